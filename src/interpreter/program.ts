/**
 * The executable form of a program (DESIGN §4): each section (the main program, each procedure)
 * is a flat array of operations with resolved jump targets, run by the machine one after another.
 */
import type { SourcePos } from './errors.js';
import type { Frame, Machine } from './machine.js';
import type { ArrayArg } from './runtime-api.js';
import type { Value, ValueType } from './values.js';

/** One operation. It may move `m.frame.pc`, push or pop frames, suspend, or throw an AozError. */
export type Op = (m: Machine) => void;

/**
 * The same operation as JavaScript text for jit.ts, given its own index (`pc`). The text either
 * falls through to the next operation, jumps (`jsJump`), or goes back to the machine (`JS_LEAVE`)
 * after setting `f.pc` (a call, a return). See the names it may use at the top of expressions.ts.
 */
export type JsOp = (pc: number) => string;

/*
 * Marks in that text for jit.ts, which decides what they become: variables may live in JavaScript
 * locals, and backward jumps count toward the time slice. Control characters never occur in the
 * text otherwise: string literals are written by JSON.stringify, which escapes them.
 */

/** A variable: slot `slot` of the frame's variables (`v`) or the main program's (`g`). */
export function jsVar(global: boolean, slot: number): string {
  return `\x01${global ? 'g' : 'v'}${slot}\x01`;
}

/** Go on at operation `target`. */
export function jsJump(target: number): string {
  return `\x02${target}\x02`;
}

/** Back to the machine (which goes on at `f.pc`): a return. */
export const JS_LEAVE = '\x04';

/** A procedure's frame was just pushed (`m.callSection`): run it, then go on at `f.pc`. */
export const JS_CALL = '\x06';

/** A closure called from the text: it may read or write variables behind the text's back. */
export function jsOpaque(text: string): string {
  return `\x05${text}\x05`;
}

export interface Section {
  readonly name: string;
  readonly code: Op[];
  /** Source position of each operation (errors, --trace). */
  readonly positions: SourcePos[];
  /** 1 where an operation starts a statement: events are dispatched only there (DESIGN §5). */
  readonly statementStart: Uint8Array;
  /** Initial values of the section's variable slots (locals, parameters, hidden temporaries). */
  readonly varInit: Value[];
  readonly arrayCount: number;
  /** Lower-cased label name (or line number) -> pc, for computed Goto/Gosub. */
  readonly labels: ReadonlyMap<string, number>;
  /** For procedures: parameter slots and types, and the type of the End Proc value. */
  readonly params: readonly { readonly slot: number; readonly type: ValueType }[];
  readonly returns: ValueType;
  /** The section's Data items in source order, evaluated when read (aoz-facts §7.1). */
  readonly data: readonly ((m: Machine) => Value)[];
  /** Lower-cased label -> index of the first Data item after it (Restore LABEL). */
  readonly dataLabels: ReadonlyMap<string, number>;
  /** Each operation as JavaScript text, when it has one (else jit.ts calls the closure). */
  readonly js: readonly (JsOp | undefined)[];
  /** The values the JavaScript text names `K[i]`. */
  readonly consts: readonly unknown[];
  /** jit.ts: the section compiled to one JavaScript function, once hot; run from `f.pc`. */
  run: ((m: Machine, f: Frame) => void) | undefined;
  /** How many times the machine found this section busy (see Machine.runSlice). */
  heat: number;
}

export interface CompiledProgram {
  readonly main: Section;
  /** Lower-cased name -> procedure section. */
  readonly procedures: ReadonlyMap<string, Section>;
}

/** A Dim'd array: indexes 0..n inclusive in each dimension (aoz-facts §7.3). */
export type AozArray = ArrayArg;
