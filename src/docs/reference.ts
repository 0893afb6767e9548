/**
 * The language reference, generated from the instruction tables (DESIGN §3) and the table of
 * structural statements: docs/reference.md (`npm run docs:update`) and `aozrun --doc NAME` print
 * the same fields for an entry, as Markdown and as plain text.
 */
import type { BuiltinEntry, FunctionEntry, ParamSpec } from '../interpreter/runtime-api.js';
import { normaliseName } from '../lexer/vocabulary.js';
import { type Family, families as runtimeFamilies } from '../runtime/index.js';
import { aozDocPath, aozDocUrl } from './links.js';
import { type StatementGroup, statementGroups } from './statements.js';

export type DocKind = 'instruction' | 'function' | 'statement' | 'operator';

export interface DocEntry {
  readonly name: string;
  readonly kind: DocKind;
  /** The title of the section it belongs to. */
  readonly section: string;
  /** One line per form. */
  readonly syntax: readonly string[];
  readonly params: readonly ParamSpec[];
  readonly returns?: FunctionEntry['returns'];
  readonly waits: boolean;
  readonly doc: string;
  /** Path of the AOZ page under AOZ_Studio/app/aoz/, or null. */
  readonly aozDoc: string | null;
  readonly aliases: readonly string[];
  /** HTML anchor in docs/reference.md. */
  readonly anchor: string;
}

export interface DocSection {
  readonly title: string;
  readonly anchor: string;
  readonly entries: readonly DocEntry[];
}

/** `Locate x, y`, `=Left$(s$, n)`, `=Mid$(s$, start [, n])`, `Cls [colour]`. */
export function builtSyntax(entry: Pick<BuiltinEntry, 'name' | 'kind' | 'params'>): string {
  const ps = entry.params;
  // Trailing optional parameters nest: `[, a [, b]]`; an optional one before a required one is `[a]`.
  let firstTrailing = ps.length;
  while (firstTrailing > 0 && ps[firstTrailing - 1]!.optional) firstTrailing--;
  const head = ps.slice(0, firstTrailing).map((p) => (p.optional ? `[${p.name}]` : p.name));
  const tail = ps.slice(firstTrailing);
  let args = head.join(', ');
  let closing = '';
  for (const [i, p] of tail.entries()) {
    const sep = head.length > 0 || i > 0 ? ', ' : '';
    args += `${args.length > 0 ? ' ' : ''}[${sep}${p.name}`;
    closing += ']';
  }
  args += closing;
  if (entry.kind === 'function') return ps.length === 0 ? `=${entry.name}` : `=${entry.name}(${args})`;
  return args.length === 0 ? entry.name : `${entry.name} ${args}`;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/\$/g, '-str')
    .replace(/#/g, '-float')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function anchorOf(kind: DocKind, name: string): string {
  const prefix = { instruction: 'i', function: 'f', statement: 's', operator: 'o' }[kind];
  return `${prefix}-${slug(name) || 'x'}`;
}

function fromBuiltin(family: Family, e: BuiltinEntry): DocEntry {
  return {
    name: e.name,
    kind: e.kind,
    section: family.title,
    syntax: [e.syntax ?? builtSyntax(e)],
    params: e.params,
    ...(e.kind === 'function' ? { returns: e.returns } : {}),
    waits: e.waits ?? false,
    doc: e.doc,
    aozDoc: aozDocPath(family.aozFolder, e.kind, e.name),
    aliases: [],
    anchor: anchorOf(e.kind, e.name),
  };
}

/**
 * Every section of the reference: the statements first, then the runtime's families in their order.
 * A statement that the tables also define as an instruction or function is left to the tables.
 */
export function referenceSections(
  families: readonly Family[] = runtimeFamilies,
  groups: readonly StatementGroup[] = statementGroups,
): DocSection[] {
  const builtinNames = new Set(families.flatMap((f) => f.entries.map((e) => normaliseName(e.name))));
  const statementSections = groups.map((g) => ({
    title: g.title,
    anchor: slug(g.title),
    entries: g.entries
      .filter((s) => !builtinNames.has(normaliseName(s.name)))
      .map(
        (s): DocEntry => ({
          name: s.name,
          kind: s.kind ?? 'statement',
          section: g.title,
          syntax: s.syntax,
          params: [],
          waits: false,
          doc: s.doc,
          aozDoc: aozDocPath(s.aozFolder ?? g.aozFolder, s.kind ?? 'statement', s.name, s.aozDoc),
          aliases: s.aliases ?? [],
          anchor: anchorOf(s.kind ?? 'statement', s.name),
        }),
      ),
  }));
  const familySections = families.map((f) => ({
    title: f.title,
    anchor: slug(f.title),
    entries: f.entries.map((e) => fromBuiltin(f, e)),
  }));
  return [...statementSections, ...familySections];
}

function typeText(p: ParamSpec): string {
  switch (p.type) {
    case 'any':
      return 'number or string';
    case 'variable':
      return 'variable, passed by reference';
    default:
      return p.type;
  }
}

/** The fields of an entry, in the order both renderings show them. */
interface Fields {
  readonly title: string;
  readonly syntax: readonly string[];
  readonly doc: string;
  readonly params?: readonly (readonly [name: string, type: string])[];
  readonly returns?: string;
  readonly waits: boolean;
  readonly link?: readonly [label: string, url: string];
}

function fields(e: DocEntry): Fields {
  return {
    title: `${e.name} (${e.kind})`,
    syntax: e.syntax,
    doc: e.doc,
    ...(e.params.length > 0
      ? { params: e.params.map((p) => [p.name, `${typeText(p)}${p.optional ? ', optional' : ''}`] as const) }
      : {}),
    ...(e.returns
      ? { returns: e.returns === 'argument' ? 'the type of its first argument' : e.returns }
      : {}),
    waits: e.waits,
    ...(e.aozDoc
      ? {
          link: [
            e.aozDoc.replace('/doc/default/', '/').replace(/^languages\/v1_0\//, ''),
            aozDocUrl(e.aozDoc),
          ] as const,
        }
      : {}),
  };
}

/** The plain-text block of `aozrun --doc NAME`. */
export function renderEntryText(e: DocEntry): string {
  const f = fields(e);
  const lines = [`${f.title} - ${e.section}`, ...f.syntax.map((s) => (s ? `    ${s}` : '')), f.doc];
  if (f.params) lines.push(`Parameters: ${f.params.map(([n, t]) => `${n} (${t})`).join(', ')}`);
  if (f.returns) lines.push(`Returns: ${f.returns}`);
  if (f.waits) lines.push('Waits: yes (the program is suspended until it completes)');
  if (f.link) lines.push(`AOZ documentation: ${f.link[1]}`);
  return `${lines.join('\n')}\n`;
}

/** The same entry as a Markdown section of docs/reference.md. */
export function renderEntryMarkdown(e: DocEntry): string {
  const f = fields(e);
  const lines = [
    `<a id="${e.anchor}"></a>`,
    `### ${f.title}`,
    '',
    '```text',
    ...f.syntax,
    '```',
    '',
    f.doc,
    '',
  ];
  const items: string[] = [];
  if (f.params) items.push(`Parameters: ${f.params.map(([n, t]) => `\`${n}\` (${t})`).join(', ')}`);
  if (f.returns) items.push(`Returns: ${f.returns}`);
  if (f.waits) items.push('Waits: yes (the program is suspended until it completes)');
  if (f.link) items.push(`AOZ documentation: [${f.link[0]}](${f.link[1]})`);
  if (items.length > 0) lines.push(...items.map((i) => `- ${i}`), '');
  return lines.join('\n');
}

/** docs/reference.md. */
export function renderReference(sections: readonly DocSection[] = referenceSections()): string {
  const out: string[] = [
    '# aozrun language reference',
    '',
    '<!-- Generated from the instruction tables (src/runtime) and src/docs/statements.ts by',
    '     `npm run docs:update`: do not edit by hand. -->',
    '',
    'Every statement, operator, instruction and function aozrun knows, family by family. `aozrun --doc NAME`',
    'prints one entry in a terminal. In a syntax line, `[...]` is optional, `=Name(...)` is a function',
    '(it gives a value), and names ending in `$` are strings. Links go to the page of AOZ Studio’s own',
    'documentation when it has one; see [compatibility.md](compatibility.md) for where aozrun differs.',
    '',
    '## Contents',
    '',
  ];
  for (const s of sections) {
    const shared = (e: DocEntry) =>
      s.entries.some((o) => o !== e && normaliseName(o.name) === normaliseName(e.name));
    const entries = s.entries.map((e) => `[${e.name}${shared(e) ? ` (${e.kind})` : ''}](#${e.anchor})`);
    out.push(`- [${s.title}](#${s.anchor}): ${entries.join(', ') || '(none yet)'}`);
  }
  out.push('');
  for (const s of sections) {
    out.push(`<a id="${s.anchor}"></a>`, `## ${s.title}`, '');
    if (s.entries.length === 0) out.push('(none yet)', '');
    for (const e of s.entries) out.push(renderEntryMarkdown(e));
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** How a name given to `--doc` is compared: case, spaces, a leading `=`, trailing `()` ignored. */
export function normaliseQuery(query: string): string {
  return normaliseName(query.replace(/^\s*=/, '').replace(/\s*(\(\s*\)|\[\s*\])\s*$/, ''));
}

/** The entries called `query` (an instruction and a function may share a name). */
export function lookupDoc(query: string, sections: readonly DocSection[] = referenceSections()): DocEntry[] {
  const q = normaliseQuery(query);
  const order: readonly DocKind[] = ['instruction', 'function', 'statement', 'operator'];
  return sections
    .flatMap((s) =>
      s.entries.filter((e) => normaliseName(e.name) === q || e.aliases.some((a) => normaliseName(a) === q)),
    )
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** Optimal-string-alignment distance (Levenshtein with transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Names close to an unknown query, best first: small edit distance, or containing it. */
export function closeMatches(
  query: string,
  sections: readonly DocSection[] = referenceSections(),
  max = 5,
): string[] {
  const q = normaliseQuery(query);
  if (q.length === 0) return [];
  const names = new Map<string, string>();
  for (const s of sections) for (const e of s.entries) names.set(normaliseName(e.name), e.name);
  const scored: [number, string][] = [];
  for (const [key, name] of names) {
    const d = distance(q, key);
    const limit = Math.max(1, Math.floor(q.length / 3));
    if (d <= limit) scored.push([d, name]);
    else if (q.length >= 3 && (key.includes(q) || key.replace(/[$#]$/, '') === q))
      scored.push([limit + 1, name]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map(([, n]) => n);
}

/** The text `aozrun --doc NAME` prints, or undefined when no entry has that name. */
export function docText(
  query: string,
  sections: readonly DocSection[] = referenceSections(),
): string | undefined {
  const found = lookupDoc(query, sections);
  return found.length === 0 ? undefined : found.map(renderEntryText).join('\n');
}
