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
 * falls through to the next operation, jumps (`jsJump`), or is a call or a return (`jsCall`,
 * `jsReturn`). See the names it may use at the top of expressions.ts.
 */
export type JsOp = (pc: number) => string;

/** A procedure run without a frame (jit.ts): its End Proc value, undefined when it has none. */
export type DirectRun = (m: Machine, resultSlot: number, ...args: Value[]) => Value | undefined;

/*
 * Marks in that text for jit.ts, which decides what they become: variables may live in JavaScript
 * locals, backward jumps count toward the time slice, calls and returns depend on who runs the
 * procedure. Control characters never occur in the text otherwise: string literals are written by
 * JSON.stringify, which escapes them.
 */
export const MARK = {
  VAR: '\x01',
  JUMP: '\x02',
  RETURN: '\x04',
  OPAQUE: '\x05',
  CALL: '\x06',
  ARGS: '\x07',
  NEXT: '\x08',
  END_ARGS: '\x0e',
} as const;

/** A variable: slot `slot` of the frame's variables (`v`) or the main program's (`g`). */
export function jsVar(global: boolean, slot: number): string {
  return `${MARK.VAR}${global ? 'g' : 'v'}${slot}${MARK.VAR}`;
}

/** Go on at operation `target`. */
export function jsJump(target: number): string {
  return `${MARK.JUMP}${target}${MARK.JUMP}`;
}

/** The whole text of a call: procedure `section` (a `K[i]` name) with `args` ("a, b"), its value to `slot` (or -1). */
export function jsCall(section: string, args: string, slot: number): string {
  return `${MARK.CALL}${section}${MARK.CALL}${args}${MARK.CALL}${slot}${MARK.CALL}`;
}

/** The whole text of End Proc / Pop Proc, with the value's text or none. */
export function jsReturn(value: string | null): string {
  return `${MARK.RETURN}${value ?? ''}${MARK.RETURN}`;
}

/** The arguments of a table's function, an array of these texts (jit.ts reuses one per call). */
export function jsArgs(texts: readonly string[]): string {
  return `${MARK.ARGS}${texts.join(MARK.NEXT)}${MARK.END_ARGS}`;
}

/** A closure called from the text: it may read or write variables behind the text's back. */
export function jsOpaque(text: string): string {
  return `${MARK.OPAQUE}${text}${MARK.OPAQUE}`;
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
  /**
   * jit.ts: a procedure compiled to a JavaScript function called with its arguments, without a
   * frame (null: it cannot be; undefined: not decided yet).
   */
  direct: DirectRun | null | undefined;
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
