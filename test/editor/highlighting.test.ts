/**
 * The grammar at work, tokenized the way VS Code does (vscode-textmate + Oniguruma): the samples of
 * the AOZ documentation, small cases, every name of the tables, and every sample compared with
 * what aozrun's own lexer reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IToken } from 'chevrotain';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  grammarNames,
  renderSublimeTmLanguage,
  renderTmLanguage,
  SCOPE,
} from '../../src/editor/tmlanguage.js';
import type { BuiltinPayload } from '../../src/lexer/lexer.js';
import { tokenize } from '../../src/lexer/lexer.js';
import * as T from '../../src/lexer/tokens.js';
import { normaliseName } from '../../src/lexer/vocabulary.js';
import { builtins } from '../../src/session.js';
import { type GrammarToken, innermost, loadTokenizer, type Tokenizer } from './textmate.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples');
const names = new Map(grammarNames().map((n) => [n.key, n]));

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer(renderTmLanguage());
});

function sample(path: string): GrammarToken[] {
  return tokenizer(readFileSync(join(SAMPLES, path), 'utf8'));
}

/** The first token whose text is `text` (on `line` when given). */
function token(tokens: readonly GrammarToken[], text: string, line?: number): GrammarToken {
  const t = tokens.find((x) => x.text === text && (line === undefined || x.line === line));
  if (!t) {
    const shown = tokens
      .filter((x) => line === undefined || x.line === line)
      .map((x) => JSON.stringify(x.text))
      .join(' ');
    throw new Error(`no token ${JSON.stringify(text)}${line ? ` on line ${line}` : ''}; tokens: ${shown}`);
  }
  return t;
}

function scopeOf(tokens: readonly GrammarToken[], text: string, line?: number): string {
  return innermost(token(tokens, text, line));
}

/** The scopes of a one-line source, as `text=scope` for every token but blanks. */
function shape(source: string): string[] {
  return tokenizer(source)
    .filter((t) => t.text.trim() !== '')
    .map((t) => `${t.text}=${innermost(t)}`);
}

describe('samples/doc/call-service.aoz', () => {
  let tokens: GrammarToken[];
  beforeAll(() => {
    tokens = sample('doc/call-service.aoz');
  });

  it('reads Call Service as one name and its arguments as strings and variables', () => {
    expect(scopeOf(tokens, 'Call Service')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, '"', 10)).toBe(SCOPE.stringBegin);
    const get = tokens.filter((t) => t.line === 10 && t.scopes.includes(SCOPE.string)).map((t) => t.text);
    expect(get.slice(0, 3)).toEqual(['"', 'get', '"']);
    expect(scopeOf(tokens, 'URL $', 10)).toBe(SCOPE.stringVariable);
    expect(scopeOf(tokens, 'REQ $', 10)).toBe(SCOPE.stringVariable);
    expect(scopeOf(tokens, 'REQ$', 5)).toBe(SCOPE.stringVariable);
  });

  it('reads URL as a variable', () => {
    expect(scopeOf(tokens, 'URL $', 2)).toMatch(/^variable\.other\./);
  });

  it('reads // comments, the START: label, Procedure NAME and the structure', () => {
    const comment = tokens.filter((t) => t.line === 1);
    expect(comment.every((t) => t.scopes.includes(SCOPE.slashComment))).toBe(true);
    expect(comment.map((t) => t.text).join('')).toBe(
      '// Address of the server on which the request will be made',
    );
    expect(scopeOf(tokens, 'START', 4)).toBe(SCOPE.label);
    expect(scopeOf(tokens, ':', 4)).toBe(SCOPE.labelColon);
    expect(scopeOf(tokens, 'START', 14)).toBe(SCOPE.variable); // Goto START: a name, not a definition
    expect(scopeOf(tokens, 'Goto')).toBe(SCOPE.control);
    expect(scopeOf(tokens, 'Procedure', 16)).toBe(SCOPE.procedure);
    expect(scopeOf(tokens, 'pSuccess', 16)).toBe(SCOPE.functionName);
    expect(scopeOf(tokens, 'pError', 22)).toBe(SCOPE.functionName);
    expect(scopeOf(tokens, 'status$', 16)).toBe(SCOPE.stringVariable);
    expect(scopeOf(tokens, 'status $', 22)).toBe(SCOPE.stringVariable);
    expect(scopeOf(tokens, 'End Proc', 20)).toBe(SCOPE.control);
    expect(scopeOf(tokens, 'Wait Key')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, 'Print')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, 'Input')).toBe(SCOPE.instruction);
  });
});

describe('samples/doc/websocket.aoz', () => {
  let tokens: GrammarToken[];
  beforeAll(() => {
    tokens = sample('doc/websocket.aoz');
  });

  it('reads the WebSocket names as one token each', () => {
    expect(scopeOf(tokens, 'WebSocket Is Connected')).toBe(SCOPE.function);
    expect(scopeOf(tokens, 'WebSocket Is Message')).toBe(SCOPE.function);
    expect(scopeOf(tokens, 'WebSocket Message$')).toBe(SCOPE.function);
    expect(scopeOf(tokens, 'WebSocket Open')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, 'WebSocket Send Message')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, 'WebSocket Close')).toBe(SCOPE.instruction);
    expect(scopeOf(tokens, 'Inkey$')).toBe(SCOPE.function);
  });

  it('reads Rem, also after a colon, as a comment to the end of the line', () => {
    expect(tokens.filter((t) => t.line === 1).map(innermost)).toEqual([
      SCOPE.commentPunctuation,
      SCOPE.remComment,
    ]);
    expect(token(tokens, ' Opens the connection to the Socket server on channel 1').scopes).toContain(
      SCOPE.remComment,
    );
    const line17 = tokens.filter((t) => t.line === 17);
    expect(token(line17, 'REM').scopes).toContain(SCOPE.commentPunctuation);
    expect(token(line17, ' have a space in there').scopes).toContain(SCOPE.remComment);
  });

  it('reads the control keywords', () => {
    for (const k of ['Repeat', 'Until', 'Do', 'Loop', 'If', 'End If', 'Then', 'Exit']) {
      expect(scopeOf(tokens, k), k).toBe(SCOPE.control);
    }
  });

  it('reads strings in typographic quotes', () => {
    const line14 = tokens.filter((t) => t.line === 14);
    expect(token(line14, '\u201c').scopes).toContain(SCOPE.string);
    expect(token(line14, 'Received:').scopes).toContain(SCOPE.string);
    expect(innermost(token(line14, '+'))).toBe(SCOPE.operator);
    const line19 = tokens.filter((t) => t.line === 19);
    expect(token(line19, 'Shipment: HELLO').scopes).toContain(SCOPE.string);
    const line22 = tokens.filter((t) => t.line === 22);
    expect(token(line22, 'e').scopes).toContain(SCOPE.string);
    expect(innermost(token(line22, 'Then'))).toBe(SCOPE.control);
  });
});

describe('small cases', () => {
  it('keeps names that merely start with a keyword as variables', () => {
    expect(shape('PRINTER=1')).toEqual([
      `PRINTER=${SCOPE.variable}`,
      `==${SCOPE.operator}`,
      `1=${SCOPE.decimal}`,
    ]);
    expect(shape('KEYS=2')[0]).toBe(`KEYS=${SCOPE.variable}`);
    expect(shape('REMAINING=3')[0]).toBe(`REMAINING=${SCOPE.variable}`);
    expect(shape('Ending = Endif')).toEqual([
      `Ending=${SCOPE.variable}`,
      `==${SCOPE.operator}`,
      `Endif=${SCOPE.variable}`,
    ]);
  });

  it('matches a multi-word name only with single spaces, in any case', () => {
    expect(shape('Wait Key')).toEqual([`Wait Key=${SCOPE.instruction}`]);
    expect(shape('WAIT KEY')).toEqual([`WAIT KEY=${SCOPE.instruction}`]);
    expect(shape('wait key')).toEqual([`wait key=${SCOPE.instruction}`]);
    expect(shape('Wait  Key')).toEqual([`Wait=${SCOPE.instruction}`, `Key=${SCOPE.variable}`]);
    expect(shape('Wait 2')).toEqual([`Wait=${SCOPE.instruction}`, `2=${SCOPE.decimal}`]);
    expect(shape('End Proc')).toEqual([`End Proc=${SCOPE.control}`]);
    expect(shape('End')).toEqual([`End=${SCOPE.control}`]);
    expect(shape('Else If A')).toEqual([`Else If=${SCOPE.control}`, `A=${SCOPE.variable}`]);
    expect(shape('Wait Keys')).toEqual([`Wait=${SCOPE.instruction}`, `Keys=${SCOPE.variable}`]);
  });

  it('reads numbers: decimal, float, hexadecimal, binary', () => {
    expect(shape('Print $FF; %101; 2.5; 12')).toEqual([
      `Print=${SCOPE.instruction}`,
      `$FF=${SCOPE.hex}`,
      `;=${SCOPE.separator}`,
      `%101=${SCOPE.binary}`,
      `;=${SCOPE.separator}`,
      `2.5=${SCOPE.decimal}`,
      `;=${SCOPE.separator}`,
      `12=${SCOPE.decimal}`,
    ]);
  });

  it('reads variables with their suffixes', () => {
    expect(shape('A$ = B# + C')).toEqual([
      `A$=${SCOPE.stringVariable}`,
      `==${SCOPE.operator}`,
      `B#=${SCOPE.floatVariable}`,
      `+=${SCOPE.operator}`,
      `C=${SCOPE.variable}`,
    ]);
    expect(shape('Print Left$(A$, 2)')).toEqual([
      `Print=${SCOPE.instruction}`,
      `Left$=${SCOPE.function}`,
      `(=${SCOPE.parenBegin}`,
      `A$=${SCOPE.stringVariable}`,
      `,=${SCOPE.separator}`,
      `2=${SCOPE.decimal}`,
      `)=${SCOPE.parenEnd}`,
    ]);
    expect(shape('X = Inkey $')).toEqual([
      `X=${SCOPE.variable}`,
      `==${SCOPE.operator}`,
      `Inkey $=${SCOPE.function}`,
    ]);
    expect(shape('Param# + Param$')[0]).toBe(`Param#=${SCOPE.function}`);
    expect(shape('Param# + Param$')[2]).toBe(`Param$=${SCOPE.function}`);
  });

  it('reads comments of every kind, a block comment over several lines', () => {
    const tokens = tokenizer("A = 1 /* one\ntwo */ B = 2\n' quote\nC = 3 // slash");
    const text = (s: string) => token(tokens, s);
    expect(text(' one').scopes).toContain(SCOPE.blockComment);
    expect(text('two ').scopes).toContain(SCOPE.blockComment);
    expect(innermost(text('B'))).toBe(SCOPE.variable);
    expect(text(' quote').scopes).toContain(SCOPE.apostropheComment);
    expect(text(' slash').scopes).toContain(SCOPE.slashComment);
    expect(innermost(text('C'))).toBe(SCOPE.variable);
  });

  it('reads labels and line numbers only at the start of a line', () => {
    expect(shape('  LOOP1: Print')).toEqual([
      `LOOP1=${SCOPE.label}`,
      `:=${SCOPE.labelColon}`,
      `Print=${SCOPE.instruction}`,
    ]);
    expect(shape('Cls: Print')).toEqual([
      `Cls=${SCOPE.instruction}`,
      `:=${SCOPE.statementSeparator}`,
      `Print=${SCOPE.instruction}`,
    ]);
    expect(shape('A = 1 : B: C')[4]).toBe(`B=${SCOPE.variable}`);
    expect(shape('10 Goto 10')).toEqual([
      `10=${SCOPE.lineNumber}`,
      `Goto=${SCOPE.control}`,
      `10=${SCOPE.decimal}`,
    ]);
  });

  it('reads the rest of a continued line as ignored', () => {
    expect(shape('Print "a" + \\ skipped')).toEqual([
      `Print=${SCOPE.instruction}`,
      `"=${SCOPE.stringBegin}`,
      `a=${SCOPE.string}`,
      `"=${SCOPE.stringEnd}`,
      `+=${SCOPE.operator}`,
      `\\=${SCOPE.continuation}`,
      ` skipped=${SCOPE.continuationComment}`,
    ]);
  });

  it('ends an unclosed string at the end of its line', () => {
    const tokens = tokenizer('Print "open\nA = 1');
    expect(innermost(token(tokens, 'A'))).toBe(SCOPE.variable);
  });

  it('reads word operators and the procedure keywords', () => {
    expect(shape('If A And Not B Or C Xor D Mod 2')).toEqual([
      `If=${SCOPE.control}`,
      `A=${SCOPE.variable}`,
      `And=${SCOPE.wordOperator}`,
      `Not=${SCOPE.wordOperator}`,
      `B=${SCOPE.variable}`,
      `Or=${SCOPE.wordOperator}`,
      `C=${SCOPE.variable}`,
      `Xor=${SCOPE.wordOperator}`,
      `D=${SCOPE.variable}`,
      `Mod=${SCOPE.wordOperator}`,
      `2=${SCOPE.decimal}`,
    ]);
    expect(shape('Proc HELLO[1] : Def Fn SQ(X) = X * X')).toEqual([
      `Proc=${SCOPE.control}`,
      `HELLO=${SCOPE.functionName}`,
      `[=${SCOPE.bracketBegin}`,
      `1=${SCOPE.decimal}`,
      `]=${SCOPE.bracketEnd}`,
      `:=${SCOPE.statementSeparator}`,
      `Def Fn=${SCOPE.defFn}`,
      `SQ=${SCOPE.functionName}`,
      `(=${SCOPE.parenBegin}`,
      `X=${SCOPE.variable}`,
      `)=${SCOPE.parenEnd}`,
      `==${SCOPE.operator}`,
      `X=${SCOPE.variable}`,
      `*=${SCOPE.operator}`,
      `X=${SCOPE.variable}`,
    ]);
    expect(shape('On Error Proc TRAPPED')).toEqual([
      `On Error=${SCOPE.control}`,
      `Proc=${SCOPE.control}`,
      `TRAPPED=${SCOPE.functionName}`,
    ]);
  });
});

describe('every name of the tables', () => {
  it('is one token with its scope, in any case, and not inside a longer name', () => {
    const wrong: string[] = [];
    for (const n of names.values()) {
      for (const spelling of [n.spelling, n.spelling.toUpperCase(), n.spelling.toLowerCase()]) {
        const got = shape(`X = ${spelling}`);
        if (got.length !== 3 || got[2] !== `${spelling}=${n.scope}`)
          wrong.push(`${spelling}: ${got.join(' ')}`);
      }
      if (!/[$#]$/.test(n.spelling)) {
        // `Wait KeyX9`: the last word runs on, so the name is not there (`Wait` may be).
        const longer = shape(`${n.spelling}X9 = 1`);
        const lastWord = n.spelling.split(' ').pop()!;
        if (!longer.includes(`${lastWord}X9=${SCOPE.variable}`))
          wrong.push(`${n.spelling}X9: ${longer.join(' ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('includes every keyword of the lexer (Rem as a comment)', () => {
    for (const key of T.KEYWORDS.keys()) {
      if (key === 'rem') continue;
      expect(names.has(key), key).toBe(true);
    }
    expect(shape('Rem Print')).toEqual([`Rem=${SCOPE.commentPunctuation}`, ` Print=${SCOPE.remComment}`]);
  });
});

/** Every .aoz file under samples/. */
function samplePaths(): string[] {
  return readdirSync(SAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.aoz'))
    .sort();
}

const KEYWORD_TYPES = new Set(T.KEYWORDS.values());

/** What the grammar must say about a token of aozrun's lexer, or a message when it does not. */
function disagreement(tok: IToken, tokens: Map<string, GrammarToken>): string | undefined {
  const at = tokens.get(`${tok.startLine}:${tok.startColumn! - 1}`);
  const where = `line ${tok.startLine} column ${tok.startColumn} ${tok.tokenType.name} ${JSON.stringify(tok.image)}`;
  if (!at) return `${where}: no grammar token starts there`;
  const type = tok.tokenType;
  const got = innermost(at);
  const exact = (scope: string | RegExp) => {
    const ok = typeof scope === 'string' ? got === scope : scope.test(got);
    return ok && at.text === tok.image
      ? undefined
      : `${where}: grammar has ${JSON.stringify(at.text)} ${got}`;
  };
  if (type === T.BuiltinName) {
    const name = names.get(normaliseName((tok.payload as BuiltinPayload).name));
    return name ? exact(name.scope) : `${where}: not in the grammar's names`;
  }
  if (KEYWORD_TYPES.has(type)) {
    const name = names.get(normaliseName(tok.image));
    return name ? exact(name.scope) : `${where}: not in the grammar's names`;
  }
  if (type === T.Identifier) return exact(/^variable\.other\.|^entity\.name\.function\./);
  if (type === T.Label) return exact(SCOPE.label);
  if (type === T.LineNumber) return exact(SCOPE.lineNumber);
  if (type === T.NumberLit) return exact(/^constant\.numeric\./);
  if (type === T.StringLit)
    return at.scopes.includes(SCOPE.string) ? undefined : `${where}: grammar has ${got}`;
  return exact(/^keyword\.operator\.|^punctuation\./);
}

describe('the grammar and the lexer', () => {
  it.each(samplePaths())('read samples/%s the same way', (path) => {
    const source = readFileSync(join(SAMPLES, path), 'utf8');
    const lexed = tokenize(source, builtins().vocabulary);
    const grammarTokens = new Map(tokenizer(source).map((t) => [`${t.line}:${t.start}`, t]));
    const problems = lexed.tokens
      .filter((t) => t.tokenType !== T.Newline)
      .map((t) => disagreement(t, grammarTokens))
      .filter((m) => m !== undefined);
    expect(problems).toEqual([]);
  });
});

describe('the Sublime Text grammar (a property list)', () => {
  it('reads every sample exactly as the JSON grammar does', async () => {
    const fromPlist = await loadTokenizer(renderSublimeTmLanguage(), 'AOZ.tmLanguage');
    for (const path of samplePaths()) {
      const source = readFileSync(join(SAMPLES, path), 'utf8');
      expect(fromPlist(source), path).toEqual(tokenizer(source));
    }
  });
});
