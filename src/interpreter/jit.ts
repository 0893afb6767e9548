/**
 * The second tier (docs/performance.md): a section the machine finds busy is compiled to one
 * JavaScript function, from the JavaScript text compile.ts gave each operation alongside its
 * closure. The closures stay the reference semantics: an operation without text is its closure,
 * called from the generated code. The generated function keeps the machine's contract: it runs
 * from `f.pc` and returns to the machine, with `f.pc` where the machine must go on, for every call,
 * return, wait or end, and at backward jumps once the slice's budget is spent — so the machine
 * still yields to Node, and dispatches events at statement starts (DESIGN §5).
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
 * stored back into the frame before anything else can see the variables: before a closure runs
 * (and read again after it), and whenever the function returns or throws.
 */

import type { Frame, Machine } from './machine.js';
import * as H from './ops.js';
import type { Section } from './program.js';

export type SectionRun = (m: Machine, f: Frame) => void;

/** When sections are compiled: once hot, at first run (differential tests), or never (--trace). */
export type JitMode = 'auto' | 'always' | 'never';

export const JIT_MODES: readonly JitMode[] = ['auto', 'always', 'never'];

// The marks of program.ts.
const VAR = /\x01([vg])(\d+)\x01/g;
const JUMP = /\x02(\d+)\x02/g;
const LEAVE = /\x04/g;
const CALL = /\x06/g;

/**
 * A compiled procedure called from compiled code runs nested in it, on the JavaScript stack, up to
 * this depth; deeper calls (and each call once the slice's budget is spent) go through the machine.
 */
const MAX_NESTED = 64;
const OPAQUE = '\x05';

/** Text that calls something (the shared operations, a kept value, the machine) may throw. */
const MAY_THROW = /\bH\.|\bK\[|\bm\./;

/** Text that calls a table's function. */
const CALLS = /\bK\[\d+\]\.run\(/;

/** The JavaScript source of a section's function (`aozrun --dump-js` prints it). */
export function sectionSource(section: Section): string {
  const { code, js, statementStart } = section;
  const locals = new Set<string>();
  for (const text of js) {
    if (!text) continue;
    for (const [, store, slot] of text(0).matchAll(VAR)) locals.add(`${store}${slot}`);
  }
  const names = [...locals].sort();
  const store = names.map((n) => `${n[0]}[${n.slice(1)}] = ${n};`).join(' ');
  // A procedure returning leaves its own variables behind: only the main program's are kept.
  const storeGlobals = names
    .filter((n) => n[0] === 'g')
    .map((n) => `g[${n.slice(1)}] = ${n};`)
    .join(' ');
  const load = names.map((n) => `${n} = ${n[0]}[${n.slice(1)}];`).join(' ');
  /** Statements between `from` and `to`: what a backward jump counts toward the slice. */
  const statements = (from: number, to: number) => {
    let n = 0;
    for (let pc = from; pc <= to; pc++) n += statementStart[pc]!;
    return Math.max(1, n);
  };
  const out: string[] = [];
  for (let pc = 0; pc < code.length; pc++) {
    const text = js[pc]?.(pc);
    // `pc` is kept only where it may be needed: before an operation that may throw.
    out.push(text !== undefined && !MAY_THROW.test(text) ? `case ${pc}:` : `case ${pc}: pc = ${pc};`);
    if (text !== undefined && !text.includes(OPAQUE)) {
      out.push(
        `  ${text
          .replace(VAR, '$1$2')
          .replace(JUMP, (_, t: string) => jump(pc, Number(t), statements(Number(t), pc), store))
          .replace(LEAVE, `${storeGlobals} return;`)
          .replace(CALL, call(pc, store, load))}`,
      );
      // An instruction's function may have posted an event (which zeroes the budget): it runs
      // at the next statement start, as in the machine.
      if (CALLS.test(text)) out.push(`  if (m.budget <= 0) { f.pc = ${pc + 1}; ${store} return; }`);
    } else {
      // Its closure, on the variables in the frame; it may have jumped, called, waited or ended
      // the program.
      out.push(
        `  ${store} f.pc = ${pc + 1}; inClosure = true; C[${pc}](m); inClosure = false;`,
        '  if (m.frame !== f || f.wait !== null || m.ended !== null || m.budget <= 0) return;',
        `  ${load}`,
        `  if (f.pc !== ${pc + 1}) { pc = f.pc; if (pc <= ${pc} && --m.budget <= 0) { f.pc = pc; return; } continue; }`,
      );
    }
  }
  return [
    `// ${section.name}`,
    'const v = f.vars, g = m.globals;',
    names.length > 0 ? `let ${names.map((n) => `${n} = ${n[0]}[${n.slice(1)}]`).join(', ')};` : '',
    'let pc = f.pc, inClosure = false;',
    'try {',
    'for (;;) switch (pc) {',
    ...out,
    // Never reached: every section ends with a return or a wait (as the machine, an internal error).
    "default: throw new Error('no operation at ' + pc);",
    '}',
    `} catch (e) { if (!inClosure) { ${store} } f.pc = pc + 1; throw e; }`,
  ].join('\n');
}

/** A jump; a backward one spends the statements of the loop from the slice's budget. */
function jump(from: number, to: number, statements: number, store: string): string {
  if (to > from) return `{ pc = ${to}; continue; }`;
  return `{ pc = ${to}; if ((m.budget -= ${statements}) <= 0) { f.pc = ${to}; ${store} return; } continue; }`;
}

/**
 * After `m.callSection`: the callee runs nested when it is compiled; back here when it returned
 * (its frame popped, nothing waiting), the variables are read again (it may have changed globals,
 * and its value is in a slot of ours). Anything else goes back to the machine, whose frames hold
 * where everyone is.
 */
function call(pc: number, store: string, load: string): string {
  return [
    `${store}`,
    `if (--m.budget <= 0 || m.jsDepth >= ${MAX_NESTED}) return;`,
    '{ const c = m.frame, r = c.section.run; if (r === undefined) return; m.jsDepth++; r(m, c); m.jsDepth--; }',
    `if (m.frame !== f || f.wait !== null || m.ended !== null || m.budget <= 0 || f.pc !== ${pc + 1}) return;`,
    load,
  ].join(' ');
}

/** Compiles a section; the machine calls the result instead of stepping through `code`. */
export function compileSection(section: Section): SectionRun {
  const body = sectionSource(section);
  const make = new Function('H', 'K', 'C', `return function run(m, f) {\n${body}\n};`) as (
    h: typeof H,
    k: readonly unknown[],
    c: Section['code'],
  ) => SectionRun;
  return make(H, section.consts, section.code);
}
