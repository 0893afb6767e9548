/**
 * The second tier (docs/performance.md): a section the machine finds busy is compiled to one
 * JavaScript function, from the JavaScript text compile.ts gave each operation alongside its
 * closure. The closures stay the reference semantics: an operation without text is its closure,
 * called from the generated code. The generated function keeps the machine's contract: it runs
 * from `f.pc` and returns to the machine, with `f.pc` where the machine must go on, for every wait
 * or end, and at backward jumps and calls once the slice's budget is spent — so the machine still
 * yields to Node, and dispatches events at statement starts (DESIGN §5).
 *
 * The shape, for operations 0..n:
 *
 *     let v3 = v[3], g1 = g[1];            // the variables the text names, in locals
 *     let pc = f.pc;
 *     try { for (;;) switch (pc) {
 *       case 0: pc = 0; <op 0>             // falls through to the next operation
 *       case 1: <op 1>                     // (pc is kept only before what may throw)
 *       ...
 *     } } catch (e) { <store locals>; f.pc = pc + 1; throw e; }
 *
 * `pc` names the operation running, so an error is reported and trapped (On Error, Trap) at the
 * same operation as in the machine, which sets `f.pc = pc + 1` before each operation. Locals are
 * stored back into the frame before anything else can see the variables: before a closure or a
 * procedure runs (and read again after), and whenever the function returns or throws.
 *
 * Calls. A procedure whose every operation has text and calls only such procedures is also
 * compiled "direct": a function taking its arguments and returning its End Proc value, with no
 * frame, called straight from compiled code (recursion then costs about a JavaScript call). When
 * the machine must take over — the slice is over, the calls are too deep for the JavaScript
 * stack, an error — it throws: each direct procedure on the way makes the frame it would have had
 * (same variables, same pc: the two forms share the operations' numbering), and the compiled code
 * that called the first one gives those frames to the machine (Machine.adopt), which goes on with
 * them as if they had been there all along. Other procedures called from compiled code run nested
 * on the JavaScript stack with their frames, or through the machine.
 */
import { literal } from './expressions.js';
import type { Frame, Machine } from './machine.js';
import * as H from './ops.js';
import { type DirectRun, MARK, type Section } from './program.js';
import { defaultValue } from './values.js';

export type SectionRun = (m: Machine, f: Frame) => void;

/** When sections are compiled: once hot, at first run (differential tests), or never (--trace). */
export type JitMode = 'auto' | 'always' | 'never';

export const JIT_MODES: readonly JitMode[] = ['auto', 'always', 'never'];

const VAR = new RegExp(`${MARK.VAR}([vg])(\\d+)${MARK.VAR}`, 'g');
const JUMP = new RegExp(`${MARK.JUMP}(\\d+)${MARK.JUMP}`, 'g');
/** Text that calls something (the shared operations, a kept value, the machine) may throw. */
const MAY_THROW = /\bH\.|\bK\[|\bm\./;
/** Text that calls a table's function, which may post an event (that zeroes the budget). */
const CALLS = /\bK\[\d+\]\.(run|one)\(/;
const PARAM = /\bf\.(param|paramStr)\b/g;
/** The innermost argument list of a table function (see jsArgs). */
const ARGS = new RegExp(`${MARK.ARGS}([^${MARK.ARGS}${MARK.END_ARGS}]*)${MARK.END_ARGS}`);
/** `H.array(store, slot, "NAME", dims)`: the array checked, found once and kept in a local. */
const ARRAY = /H\.array\((f\.arrays|m\.globalArrays), (\d+), ("(?:[^"\\]|\\.)*"), (\d+)\)/g;
/** Procedures with frames nested on the JavaScript stack, at most. */
const MAX_NESTED = 64;
/** Procedures without frames nested on the JavaScript stack, at most. */
const MAX_DIRECT = 256;

/** One operation's text, taken apart. */
type Piece =
  | { readonly kind: 'closure' }
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'call';
      readonly ref: string;
      readonly callee: Section;
      readonly args: string;
      readonly slot: number;
    }
  | { readonly kind: 'return'; readonly value: string | null };

/** The JavaScript a piece carries (variables and arrays are named there). */
function textOf(p: Piece): string {
  return p.kind === 'text' ? p.text : p.kind === 'call' ? p.args : p.kind === 'return' ? (p.value ?? '') : '';
}

const piecesCache = new WeakMap<Section, readonly Piece[]>();

function pieces(section: Section): readonly Piece[] {
  let ps = piecesCache.get(section);
  if (ps) return ps;
  ps = section.code.map((_, pc): Piece => {
    const text = section.js[pc]?.(pc);
    if (text === undefined || text.includes(MARK.OPAQUE)) return { kind: 'closure' };
    if (text.startsWith(MARK.CALL)) {
      const [, ref = '', args = '', slot = ''] = text.split(MARK.CALL);
      const callee = section.consts[Number(/\d+/.exec(ref)![0])] as Section;
      return { kind: 'call', ref, callee, args, slot: Number(slot) };
    }
    if (text.startsWith(MARK.RETURN)) {
      const value = text.slice(1, -1);
      return { kind: 'return', value: value === '' ? null : value };
    }
    return { kind: 'text', text };
  });
  piecesCache.set(section, ps);
  return ps;
}

/** Writes one section's function: with a frame (`run`) or without (`direct`). */
class Writer {
  private readonly names: string[];
  private readonly store: string;
  private readonly storeGlobals: string;
  private readonly load: string;
  private readonly loadGlobals: string;
  private readonly ps: readonly Piece[];
  /** The arrays the text uses, by store, slot and dimensions: their locals (`A0`...). */
  private readonly arrays = new Map<string, string>();

  constructor(
    private readonly section: Section,
    private readonly direct: boolean,
  ) {
    this.ps = pieces(section);
    const locals = new Set<string>();
    for (const p of this.ps) {
      const text = textOf(p);
      for (const [, store, slot] of text.matchAll(VAR)) locals.add(`${store}${slot}`);
      if (p.kind === 'call' && p.slot >= 0) locals.add(`v${p.slot}`);
      // The arrays, by store, slot and dimensions: their locals (`A0`...).
      for (const [, store, slot, , dims] of text.matchAll(ARRAY)) {
        const key = `${store} ${slot} ${dims}`;
        if (!this.arrays.has(key)) this.arrays.set(key, `A${this.arrays.size}`);
      }
    }
    this.names = [...locals].sort();
    const globals = this.names.filter((n) => n[0] === 'g');
    const stores = (ns: string[]) => ns.map((n) => `${n[0]}[${n.slice(1)}] = ${n};`).join(' ');
    const loads = (ns: string[]) => ns.map((n) => `${n} = ${n[0]}[${n.slice(1)}];`).join(' ');
    this.store = stores(this.names);
    this.storeGlobals = stores(globals);
    // Whatever ran meanwhile may have Dim'd an array: found again at their next use.
    const forget = this.arrays.size > 0 ? ` ${[...this.arrays.values()].join(' = ')} = undefined;` : '';
    this.load = loads(this.names) + forget;
    this.loadGlobals = loads(globals) + forget;
  }

  source(): string {
    const cases: string[] = [];
    this.ps.forEach((p, pc) => {
      cases.push(p.kind === 'text' && !MAY_THROW.test(p.text) ? `case ${pc}:` : `case ${pc}: pc = ${pc};`);
      cases.push(`  ${this.op(p, pc)}`);
    });
    const body = [
      'for (;;) switch (pc) {',
      ...cases,
      // Never reached: every section ends with a return or a wait (as the machine, an internal error).
      "default: throw new Error('no operation at ' + pc);",
      '}',
    ];
    const fn = this.direct ? this.directFunction(body) : this.frameFunction(body);
    // The argument arrays of table functions, one per call in the text, made once.
    const scratch = this.scratch.map((n, i) => `const T${i} = new Array(${n}).fill(undefined);`);
    return [...scratch, fn].join('\n');
  }

  private frameFunction(body: string[]): string {
    const names = this.names;
    return [
      `// ${this.section.name}`,
      'return function run(m, f) {',
      'const v = f.vars, g = m.globals;',
      names.length > 0 ? `let ${names.map((n) => `${n} = ${n[0]}[${n.slice(1)}]`).join(', ')};` : '',
      'let pc = f.pc, away = false;',
      this.arrayDeclaration(),
      'try {',
      ...body,
      `} catch (e) { if (!away) { ${this.store} } f.pc = pc + 1; if (m.unwound.length > 0 && m.adopt(e)) return; throw e; }`,
      '};',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }

  private directFunction(body: string[]): string {
    const { section, names } = this;
    const params = new Map(section.params.map((p, i) => [p.slot, i]));
    const init = names.map((n) => {
      const slot = Number(n.slice(1));
      if (n[0] === 'g') return `${n} = g[${slot}]`;
      const value = literal(section.varInit[slot]!);
      const arg = params.get(slot);
      return arg === undefined ? `${n} = ${value}` : `${n} = a${arg} === undefined ? ${value} : a${arg}`;
    });
    const frame = names
      .filter((n) => n[0] === 'v')
      .map((n) => `F.vars[${n.slice(1)}] = ${n};`)
      .join(' ');
    const args = section.params.map((_, i) => `, a${i}`).join('');
    return [
      `// ${section.name}, without a frame`,
      `return function direct(m, rslot${args}) {`,
      // Before `try`: too deep is the caller's error, at its call (as the machine's pushFrame).
      'if (m.frames.length + m.directDepth >= m.maxCallDepth) throw H.outOfStack();',
      'm.directDepth++;',
      'const g = m.globals;',
      init.length > 0 ? `let ${init.join(', ')};` : '',
      "let pc = 0, away = false, param = 0, paramStr = '';",
      this.arrayDeclaration(),
      'try {',
      ...body,
      `} catch (e) { if (!away) { ${this.storeGlobals} } const F = m.newFrame(S, rslot); F.pc = pc + 1; ${frame} F.param = param; F.paramStr = paramStr; m.unwound.push(F); throw e; }`,
      '};',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }

  private arrayDeclaration(): string {
    return this.arrays.size > 0 ? `let ${[...this.arrays.values()].join(', ')};` : '';
  }

  private op(p: Piece, pc: number): string {
    switch (p.kind) {
      case 'text': {
        const text = this.text(p.text, pc);
        if (!CALLS.test(p.text)) return text;
        // A posted event runs at the next statement start, as in the machine.
        return `${text}\n  if (m.budget <= 0) ${this.handOver(pc + 1)}`;
      }
      case 'return': {
        const value = p.value === null ? 'undefined' : this.text(p.value, pc);
        return this.direct
          ? `${this.storeGlobals} m.directDepth--; return ${value};`
          : `f.pc = ${pc + 1}; m.returnFromProcedure(${value}); ${this.storeGlobals} return;`;
      }
      case 'call':
        return p.callee.direct ? this.directCall(p, pc) : this.nestedCall(p, pc);
      case 'closure':
        // Its closure, on the variables in the frame; it may have jumped, called, waited or
        // ended the program. Only in code with a frame: a direct procedure has no closures.
        return [
          `${this.store} f.pc = ${pc + 1}; away = true; C[${pc}](m);`,
          '  if (m.frame !== f || f.wait !== null || m.ended !== null || m.budget <= 0) return;',
          `  away = false; ${this.load}`,
          `  if (f.pc !== ${pc + 1}) { pc = f.pc; if (pc <= ${pc} && --m.budget <= 0) { f.pc = pc; return; } continue; }`,
        ].join('\n');
    }
  }

  /** Lengths of the argument arrays (`T0`...) the text needs. */
  private readonly scratch: number[] = [];

  /**
   * A table function's arguments: stored into an array of this function's instead of a new one
   * for each call. No call can come back here before the function returns (procedure calls are
   * operations of their own), so each array serves one call at a time.
   */
  private args(text: string): string {
    let t = text;
    for (let m = ARGS.exec(t); m !== null; m = ARGS.exec(t)) {
      const values = m[1] === '' ? [] : m[1]!.split(MARK.NEXT);
      const name = `T${this.scratch.push(values.length) - 1}`;
      const replacement =
        values.length === 0 ? name : `(${values.map((v, i) => `${name}[${i}] = ${v}, `).join('')}${name})`;
      t = t.slice(0, m.index) + replacement + t.slice(m.index + m[0].length);
    }
    return t;
  }

  private text(text: string, pc: number): string {
    const t = this.args(text)
      .replace(VAR, '$1$2')
      .replace(ARRAY, (all, store: string, slot: string, _name: string, dims: string) => {
        const local = this.arrays.get(`${store} ${slot} ${dims}`)!;
        return `(${local} ?? (${local} = ${all}))`;
      })
      .replace(JUMP, (_, target: string) => this.jump(pc, Number(target)));
    return this.direct ? t.replace(PARAM, '$1') : t;
  }

  /** A jump; a backward one spends the statements of the loop from the slice's budget. */
  private jump(from: number, to: number): string {
    if (to > from) return `{ pc = ${to}; continue; }`;
    let statements = 0;
    for (let pc = to; pc <= from; pc++) statements += this.section.statementStart[pc]!;
    return `{ pc = ${to}; if ((m.budget -= ${Math.max(1, statements)}) <= 0) ${this.handOver(to)} continue; }`;
  }

  /** Back to the machine, which goes on at `resume`. */
  private handOver(resume: number): string {
    return this.direct
      ? `{ pc = ${resume - 1}; throw H.UNWIND; }`
      : `{ f.pc = ${resume}; ${this.store} return; }`;
  }

  /**
   * A direct procedure's call: its value goes to the slot and to Param. The machine makes the call
   * instead when the slice is over or the JavaScript stack deep.
   */
  private directCall(p: Extract<Piece, { kind: 'call' }>, pc: number): string {
    const args = this.text(p.args, pc);
    const [param, paramStr] = this.direct ? ['param', 'paramStr'] : ['f.param', 'f.paramStr'];
    const result =
      p.slot >= 0 ? ` v${p.slot} = r === undefined ? ${literal(defaultValue(p.callee.returns))} : r;` : '';
    const toMachine = this.direct
      ? `{ m.pending = { section: ${p.ref}, args: [${args}], slot: ${p.slot} }; throw H.UNWIND; }`
      : `{ m.callSection(${p.ref}, [${args}], ${p.slot}); return; }`;
    return [
      `{ ${this.direct ? '' : `f.pc = ${pc + 1}; `}${this.direct ? this.storeGlobals : this.store} away = true;`,
      `  if (--m.budget <= 0 || m.directDepth >= ${MAX_DIRECT}) ${toMachine}`,
      `  ${param} = 0; ${paramStr} = '';`,
      `  const r = ${p.ref}.direct(m, ${p.slot}${args === '' ? '' : `, ${args}`});`,
      `  away = false; ${this.direct ? this.loadGlobals : this.load}`,
      `  if (r !== undefined) ${p.callee.returns === 'string' ? paramStr : param} = r;${result}`,
      `  if (m.budget <= 0) ${this.handOver(pc + 1)} }`,
    ].join('\n');
  }

  /**
   * A call with a frame: the machine pushes it; when the callee is compiled it runs nested here.
   * Back here when it returned (its frame popped, nothing waiting), the variables are read again
   * (it may have changed globals, and its value is in a slot of ours). Anything else goes back to
   * the machine, whose frames hold where everyone is.
   */
  private nestedCall(p: Extract<Piece, { kind: 'call' }>, pc: number): string {
    return [
      `f.pc = ${pc + 1}; m.callSection(${p.ref}, [${this.text(p.args, pc)}], ${p.slot}); ${this.store} away = true;`,
      `  if (--m.budget <= 0 || m.jsDepth >= ${MAX_NESTED}) return;`,
      '  { const c = m.frame, r = c.section.run; if (r === undefined) return; m.jsDepth++; r(m, c); m.jsDepth--; }',
      `  if (m.frame !== f || f.wait !== null || m.ended !== null || m.budget <= 0 || f.pc !== ${pc + 1}) return;`,
      `  away = false; ${this.load}`,
    ].join('\n');
  }
}

/** Whether a procedure's own operations allow it to run without a frame. */
function directAlone(section: Section): boolean {
  // Its arrays would live in the frame (`f.arrays`); Param is a local.
  return pieces(section).every((p) => p.kind !== 'closure' && !/\bf\./.test(textOf(p).replace(PARAM, '')));
}

/**
 * Decides which of the procedures reachable from `root` by calls run without frames (those whose
 * operations allow it and whose callees all do), and compiles them.
 */
function decide(root: Section): void {
  const all: Section[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (s.direct !== undefined || all.includes(s)) continue;
    all.push(s);
    for (const p of pieces(s)) if (p.kind === 'call') stack.push(p.callee);
  }
  const ok = new Set(all.filter(directAlone));
  const callsOk = (s: Section) =>
    pieces(s).every((p) => p.kind !== 'call' || ok.has(p.callee) || (p.callee.direct ?? null) !== null);
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of ok) {
      if (!callsOk(s)) {
        ok.delete(s);
        changed = true;
      }
    }
  }
  // Decided before writing: their callers' text depends on it (a placeholder until compiled).
  for (const s of all) s.direct = ok.has(s) ? placeholder : null;
  for (const s of ok) s.direct = compileDirect(s);
}

const placeholder: DirectRun = () => {
  throw new Error('direct procedure not compiled yet');
};

function decideCallees(section: Section): void {
  for (const p of pieces(section)) if (p.kind === 'call' && p.callee.direct === undefined) decide(p.callee);
}

/** The JavaScript source of a section's function (`aozrun --dump-js` prints it). */
export function sectionSource(section: Section): string {
  decideCallees(section);
  return new Writer(section, false).source();
}

/** The source of a procedure's function without a frame, when it has one. */
export function directSource(section: Section): string | null {
  if (section.direct === undefined) decide(section);
  return section.direct ? new Writer(section, true).source() : null;
}

/** The shared operations as a plain object: V8 inlines calls through it, not through a namespace. */
const OPS = { ...H };

/** Compiles a section; the machine calls the result instead of stepping through `code`. */
export function compileSection(section: Section): SectionRun {
  const make = new Function('H', 'K', 'C', sectionSource(section)) as (
    h: typeof H,
    k: readonly unknown[],
    c: Section['code'],
  ) => SectionRun;
  return make(OPS, section.consts, section.code);
}

function compileDirect(section: Section): DirectRun {
  const make = new Function('H', 'K', 'S', new Writer(section, true).source()) as (
    h: typeof H,
    k: readonly unknown[],
    s: Section,
  ) => DirectRun;
  return make(OPS, section.consts, section);
}
