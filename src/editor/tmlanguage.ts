/**
 * The TextMate grammar of AOZ for editors (VS Code, Sublime Text, ...), generated from the keyword
 * table of the lexer (src/lexer/tokens.ts), the statements table of the reference
 * (src/docs/statements.ts) and the runtime's instruction tables, so that every name the lexer
 * knows is highlighted the way the lexer reads it: multi-word names as a whole, longest first,
 * case-insensitively, words separated by exactly one space. Its outputs (`npm run editor:update`):
 * editors/vscode/syntaxes/aoz.tmLanguage.json (JSON, for VS Code and the editors that read VS Code
 * extensions) and editors/sublime/AOZ.tmLanguage (the same grammar as an XML property list, the
 * format Sublime Text reads).
 */
import type { TokenType } from 'chevrotain';
import { type StatementDoc, type StatementGroup, statementGroups } from '../docs/statements.js';
import * as T from '../lexer/tokens.js';
import { normaliseName } from '../lexer/vocabulary.js';
import { type Family, families as runtimeFamilies } from '../runtime/index.js';
import { type Json, jsonText } from './json-text.js';
import { plistText } from './plist-text.js';

/** The scopes the grammar gives; themes colour them by their leading parts. */
export const SCOPE = {
  remComment: 'comment.line.rem.aoz',
  apostropheComment: 'comment.line.apostrophe.aoz',
  slashComment: 'comment.line.double-slash.aoz',
  blockComment: 'comment.block.aoz',
  continuationComment: 'comment.line.continuation.aoz',
  commentPunctuation: 'punctuation.definition.comment.aoz',
  string: 'string.quoted.double.aoz',
  stringBegin: 'punctuation.definition.string.begin.aoz',
  stringEnd: 'punctuation.definition.string.end.aoz',
  decimal: 'constant.numeric.decimal.aoz',
  hex: 'constant.numeric.hex.aoz',
  binary: 'constant.numeric.binary.aoz',
  label: 'entity.name.label.aoz',
  labelColon: 'punctuation.separator.label.aoz',
  lineNumber: 'entity.name.label.line-number.aoz',
  directive: 'meta.preprocessor.aoz',
  directiveMark: 'punctuation.definition.directive.aoz',
  directiveText: 'keyword.other.directive.aoz',
  continuation: 'punctuation.separator.continuation.line.aoz',
  procedure: 'storage.type.procedure.aoz',
  defFn: 'storage.type.function.aoz',
  declaration: 'storage.modifier.aoz',
  dim: 'storage.type.array.aoz',
  functionName: 'entity.name.function.aoz',
  control: 'keyword.control.aoz',
  otherKeyword: 'keyword.other.aoz',
  wordOperator: 'keyword.operator.word.aoz',
  operator: 'keyword.operator.aoz',
  function: 'support.function.aoz',
  instruction: 'support.function.instruction.aoz',
  variable: 'variable.other.aoz',
  stringVariable: 'variable.other.string.aoz',
  floatVariable: 'variable.other.float.aoz',
  statementSeparator: 'punctuation.separator.statement.aoz',
  separator: 'punctuation.separator.aoz',
  parenBegin: 'punctuation.section.parens.begin.aoz',
  parenEnd: 'punctuation.section.parens.end.aoz',
  bracketBegin: 'punctuation.section.brackets.begin.aoz',
  bracketEnd: 'punctuation.section.brackets.end.aoz',
} as const;

/**
 * Keywords whose scope is not their group's: declarations. Everything else follows the statements
 * table: operators, keywords written as functions (`=Errn`), then the group.
 */
const TOKEN_SCOPES = new Map<TokenType, string>([
  [T.Procedure, SCOPE.procedure],
  [T.DefFn, SCOPE.defFn],
  [T.Global, SCOPE.declaration],
  [T.Shared, SCOPE.declaration],
  [T.Dim, SCOPE.dim],
]);

/** By the title of a group of src/docs/statements.ts; a group not listed is `keyword.other`. */
const GROUP_SCOPES: Readonly<Record<string, string>> = {
  // Print and Input read like the instructions of the tables.
  'Statements: printing and input': SCOPE.instruction,
  'Statements: control flow': SCOPE.control,
  'Statements: procedures': SCOPE.control,
  'Statements: errors and events': SCOPE.control,
};

/** Keywords followed by the name of a procedure or function: the name is `entity.name.function`. */
const NAME_DEFINERS: readonly TokenType[] = [T.Procedure, T.DefFn, T.Proc, T.Fn];

export type NameSource = 'keyword' | 'instruction' | 'function' | 'instruction+function';

/** One name the grammar matches as a whole. */
export interface GrammarName {
  /** As written in the tables ("Wait Key", "Else If"). */
  readonly spelling: string;
  /** normaliseName(spelling): lower case, single spaces. */
  readonly key: string;
  readonly scope: string;
  readonly source: NameSource;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** After a name without suffix: the lexer's word goes on with letters, digits, `_` or a suffix. */
const NAME_END = '(?![A-Za-z0-9_$#])';

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|#/-]/g, '\\$&');
}

function findStatement(key: string, groups: readonly StatementGroup[]) {
  for (const group of groups) {
    for (const doc of group.entries) {
      if (normaliseName(doc.name) === key) return { group, doc, spelling: doc.name };
      const alias = doc.aliases?.find((a) => normaliseName(a) === key);
      if (alias) return { group, doc, spelling: alias };
    }
  }
  return undefined;
}

function writtenAsFunction(doc: StatementDoc): boolean {
  const forms = doc.syntax.filter((s) => s.trim() !== '');
  return forms.length > 0 && forms.every((s) => s.startsWith('='));
}

function keywordScope(type: TokenType, found: ReturnType<typeof findStatement>): string {
  const byToken = TOKEN_SCOPES.get(type);
  if (byToken) return byToken;
  if (!found) return SCOPE.otherKeyword;
  if (found.doc.kind === 'operator') return SCOPE.wordOperator;
  if (writtenAsFunction(found.doc)) return SCOPE.function;
  return GROUP_SCOPES[found.group.title] ?? SCOPE.otherKeyword;
}

/** The lower-cased spelling of a keyword of tokens.ts. */
function keywordKey(type: TokenType): string {
  for (const [key, t] of T.KEYWORDS) if (t === type) return key;
  throw new Error(`no keyword for token type ${type.name}`);
}

/**
 * Every keyword (but Rem, a comment) and every instruction and function, with its scope. As in the
 * lexer, a keyword wins over an instruction spelled the same way.
 */
export function grammarNames(
  families: readonly Family[] = runtimeFamilies,
  groups: readonly StatementGroup[] = statementGroups,
): GrammarName[] {
  const names = new Map<string, GrammarName>();
  for (const [key, type] of T.KEYWORDS) {
    if (type === T.Rem) continue;
    const found = findStatement(key, groups);
    names.set(key, {
      spelling: found?.spelling ?? key,
      key,
      scope: keywordScope(type, found),
      source: 'keyword',
    });
  }
  const builtins = new Map<string, { spelling: string; kinds: Set<'instruction' | 'function'> }>();
  for (const family of families) {
    for (const e of family.entries) {
      const key = normaliseName(e.name);
      const b = builtins.get(key) ?? { spelling: e.name.trim().replace(/\s+/g, ' '), kinds: new Set() };
      b.kinds.add(e.kind);
      builtins.set(key, b);
    }
  }
  for (const [key, b] of builtins) {
    if (names.has(key)) continue;
    const both = b.kinds.size === 2;
    const isFunction = b.kinds.has('function');
    names.set(key, {
      spelling: b.spelling,
      key,
      // A name that is both (Pen, Timer) is a function in an expression: support.function.
      scope: isFunction ? SCOPE.function : SCOPE.instruction,
      source: both ? 'instruction+function' : isFunction ? 'function' : 'instruction',
    });
  }
  return [...names.values()];
}

const words = (key: string) => key.split(' ').length;
const suffixed = (key: string) => /[$#]$/.test(key);

type Rule = { readonly [key: string]: Json };

/** The rules matching names, most words first so that `Wait Key` wins over `Wait`. */
function nameRules(names: readonly GrammarName[], known: ReadonlySet<string>): Rule[] {
  const rules: Rule[] = [];
  const maxWords = Math.max(...names.map((n) => words(n.key)));
  const scopes = [...new Set(names.map((n) => n.scope))].sort();
  const order = (a: GrammarName, b: GrammarName) =>
    b.key.length - a.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  for (let n = maxWords; n >= 1; n--) {
    for (const scope of scopes) {
      const group = names.filter((x) => words(x.key) === n && x.scope === scope).sort(order);
      if (group.length === 0) continue;
      const plain = group.filter((x) => !suffixed(x.key)).map((x) => escapeRegex(x.spelling));
      const withSuffix = group
        .filter((x) => suffixed(x.key))
        .map((x) => {
          const base = x.spelling.slice(0, -1);
          // The lexer reads `Inkey $` as `Inkey$` when `Inkey` alone is no name (the printed
          // documentation has such spaces); only for one-word names of the tables ending in `$`.
          const spaced =
            x.source !== 'keyword' && n === 1 && x.key.endsWith('$') && !known.has(x.key.slice(0, -1));
          return spaced ? `${escapeRegex(base)}(?:\\$|[ \\t]+\\$(?![A-Za-z0-9_]))` : escapeRegex(x.spelling);
        });
      const alternatives: string[] = [];
      if (plain.length > 0) alternatives.push(`(?:${plain.join('|')})${NAME_END}`);
      alternatives.push(...withSuffix);
      rules.push({
        comment: `${n}-word names: ${scope}`,
        name: scope,
        match: `(?i)(?:${alternatives.join('|')})`,
      });
    }
  }
  return rules;
}

/** A keyword followed by the name it defines or calls (`Procedure NAME`, `Proc NAME`). */
function definerRule(type: TokenType, names: ReadonlyMap<string, GrammarName>): Rule {
  const name = names.get(keywordKey(type));
  if (!name) throw new Error(`keyword ${type.name} is not in the grammar's names`);
  return {
    match: `(?i)(${escapeRegex(name.spelling)})${NAME_END}(?:[ \\t]+(${IDENT}[$#]?))?`,
    captures: { '1': { name: name.scope }, '2': { name: SCOPE.functionName } },
  };
}

/** The grammar as a JSON value. */
export function buildTmLanguage(
  families: readonly Family[] = runtimeFamilies,
  groups: readonly StatementGroup[] = statementGroups,
): { readonly [key: string]: Json } {
  const names = grammarNames(families, groups);
  const byKey = new Map(names.map((n) => [n.key, n]));
  const remKey = keywordKey(T.Rem);
  const rem = findStatement(remKey, groups)?.spelling ?? remKey;
  const known = new Set([...byKey.keys(), remKey]);

  // Rules that match a keyword and what follows it must not hide a longer name.
  const prefixes = [remKey, ...NAME_DEFINERS.map(keywordKey)];
  for (const key of known) {
    const clash = prefixes.find((p) => key !== p && key.startsWith(`${p} `));
    if (clash)
      throw new Error(`"${key}" starts with the keyword "${clash}": the grammar cannot tell them apart`);
  }

  // A label is `NAME:` at the start of a line, NAME not a known word (as in the lexer).
  const labelExcluded = [...known]
    .filter((k) => words(k) === 1 && !suffixed(k))
    .sort()
    .map(escapeRegex);

  return {
    information_for_contributors: [
      'Generated from the keyword table (src/lexer/tokens.ts), src/docs/statements.ts and the',
      'instruction tables (src/runtime) by src/editor/tmlanguage.ts: run `npm run editor:update`,',
      'do not edit by hand.',
    ],
    name: 'AOZ Studio BASIC',
    scopeName: 'source.aoz',
    fileTypes: ['aoz'],
    patterns: [
      { include: '#comments' },
      { include: '#strings' },
      { include: '#line-start' },
      { include: '#continuation' },
      { include: '#definitions' },
      { include: '#names' },
      { include: '#numbers' },
      { include: '#variables' },
      { include: '#operators' },
    ],
    repository: {
      comments: {
        patterns: [
          {
            name: SCOPE.blockComment,
            begin: '/\\*',
            end: '\\*/',
            captures: { '0': { name: SCOPE.commentPunctuation } },
          },
          {
            name: SCOPE.slashComment,
            match: '(//).*$',
            captures: { '1': { name: SCOPE.commentPunctuation } },
          },
          {
            name: SCOPE.apostropheComment,
            match: "(').*$",
            captures: { '1': { name: SCOPE.commentPunctuation } },
          },
          {
            name: SCOPE.remComment,
            match: `(?i)(${escapeRegex(rem)})${NAME_END}.*$`,
            captures: { '1': { name: SCOPE.commentPunctuation } },
          },
        ],
      },
      strings: {
        patterns: [
          {
            name: SCOPE.string,
            begin: '"',
            end: '(")|$',
            beginCaptures: { '0': { name: SCOPE.stringBegin } },
            endCaptures: { '1': { name: SCOPE.stringEnd } },
          },
          {
            comment: 'Typographic quotes, as pasted from a word processor: any quote closes them.',
            name: SCOPE.string,
            begin: '[\u201c\u201d]',
            end: '(["\u201c\u201d])|$',
            beginCaptures: { '0': { name: SCOPE.stringBegin } },
            endCaptures: { '1': { name: SCOPE.stringEnd } },
          },
        ],
      },
      'line-start': {
        patterns: [
          {
            comment: 'A compiler tag line (#tag:value), ignored by aozrun.',
            name: SCOPE.directive,
            match: '^\\s*(#)(.*)$',
            captures: { '1': { name: SCOPE.directiveMark }, '2': { name: SCOPE.directiveText } },
          },
          {
            match: `(?i)^\\s*(?!(?:${labelExcluded.join('|')}):)(${IDENT})(:)`,
            captures: { '1': { name: SCOPE.label }, '2': { name: SCOPE.labelColon } },
          },
          {
            match: '^\\s*([0-9]+)',
            captures: { '1': { name: SCOPE.lineNumber } },
          },
        ],
      },
      continuation: {
        patterns: [
          {
            comment: 'A line continuation: the rest of the physical line is ignored.',
            match: '(\\\\)(.*)$',
            captures: { '1': { name: SCOPE.continuation }, '2': { name: SCOPE.continuationComment } },
          },
        ],
      },
      definitions: { patterns: NAME_DEFINERS.map((t) => definerRule(t, byKey)) },
      names: { patterns: nameRules(names, known) },
      numbers: {
        patterns: [
          { name: SCOPE.hex, match: '\\$[0-9A-Fa-f]+' },
          { name: SCOPE.binary, match: '%[01]+' },
          { name: SCOPE.decimal, match: '[0-9]+(?:\\.[0-9]*)?' },
        ],
      },
      variables: {
        patterns: [
          {
            comment: 'The lexer also reads `URL $` as URL$ (a transcription artefact of the AOZ docs).',
            name: SCOPE.stringVariable,
            match: `${IDENT}(?:\\$|[ \\t]+\\$(?![A-Za-z0-9_]))`,
          },
          { name: SCOPE.floatVariable, match: `${IDENT}#` },
          { name: SCOPE.variable, match: IDENT },
        ],
      },
      operators: {
        patterns: [
          { name: SCOPE.operator, match: '<>|!=|<=|=<|>=|=>|<<|>>|[<>=+\\-*/^&|]' },
          { name: SCOPE.statementSeparator, match: ':' },
          { name: SCOPE.separator, match: '[,;]' },
          { name: SCOPE.parenBegin, match: '\\(' },
          { name: SCOPE.parenEnd, match: '\\)' },
          { name: SCOPE.bracketBegin, match: '\\[' },
          { name: SCOPE.bracketEnd, match: '\\]' },
        ],
      },
    },
  };
}

/** editors/vscode/syntaxes/aoz.tmLanguage.json. */
export function renderTmLanguage(
  families: readonly Family[] = runtimeFamilies,
  groups: readonly StatementGroup[] = statementGroups,
): string {
  return jsonText(buildTmLanguage(families, groups));
}

/** editors/sublime/AOZ.tmLanguage: the same grammar as a property list. */
export function renderSublimeTmLanguage(
  families: readonly Family[] = runtimeFamilies,
  groups: readonly StatementGroup[] = statementGroups,
): string {
  const { information_for_contributors: info, ...grammar } = buildTmLanguage(families, groups);
  return plistText(grammar, (info as readonly string[]).join(' '));
}
