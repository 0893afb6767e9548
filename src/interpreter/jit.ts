/**
 * The second tier (docs/performance.md): a section the machine finds busy is compiled to one
 * JavaScript function, from the JavaScript text compile.ts gave each operation alongside its
 * closure. The closures stay the reference semantics: an operation without text is its closure,
 * called from the generated code, and the generated function keeps the machine's contract — it
 * runs from `f.pc`, stops at statement starts when the slice is over or an event waits (so events
 * still land between statements, DESIGN §5), and returns to the machine for every call, return,
 * wait or end, with `f.pc` where the machine must go on.
 *
 * The shape, for operations 0..n:
 *
 *     let pc = f.pc;
 *     try { for (;;) switch (pc) {
 *       case 0: pc = 0; <statement start: check>  <op 0>
 *       case 1: pc = 1; <op 1>            // falls through to the next operation
 *       ...
 *       default: throw ...                // sections end with End Proc or the end-of-program wait
 *     } } catch (e) { f.pc = pc + 1; throw e; }
 *
 * `pc` names the operation running, so an error is reported and trapped (On Error, Trap) at the
 * same operation as in the machine, which sets `f.pc = pc + 1` before each operation.
 */

import type { Frame, Machine } from './machine.js';
import * as H from './ops.js';
import type { Section } from './program.js';

export type SectionRun = (m: Machine, f: Frame) => void;

/** When sections are compiled: once hot, at first run (differential tests), or never (--trace). */
export type JitMode = 'auto' | 'always' | 'never';

export const JIT_MODES: readonly JitMode[] = ['auto', 'always', 'never'];

/** The JavaScript source of a section's function (`aozrun --dump-js` prints it). */
export function sectionSource(section: Section): string {
  const out: string[] = [];
  const { code, js, statementStart } = section;
  for (let pc = 0; pc < code.length; pc++) {
    out.push(`case ${pc}: pc = ${pc};`);
    if (statementStart[pc] === 1)
      out.push(`  if (--m.budget <= 0 || m.eventsWaiting) { f.pc = ${pc}; return; }`);
    const text = js[pc];
    if (text) {
      out.push(`  ${text(pc)}`);
    } else {
      // Its closure, with the machine's own checks after it: it may have jumped, called, waited
      // or ended the program.
      out.push(
        `  f.pc = ${pc + 1}; C[${pc}](m);`,
        '  if (m.frame !== f || f.wait !== null || m.ended !== null) return;',
        `  if (f.pc !== ${pc + 1}) { pc = f.pc; continue; }`,
      );
    }
  }
  return [
    `// ${section.name}`,
    'const v = f.vars, g = m.globals;',
    'let pc = f.pc;',
    'try {',
    'for (;;) switch (pc) {',
    ...out,
    // Never reached: every section ends with a return or a wait (as the machine, an internal error).
    "default: throw new Error('no operation at ' + pc);",
    '}',
    '} catch (e) { f.pc = pc + 1; throw e; }',
  ].join('\n');
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
