/**
 * The operations with a rule of their own (a check, a conversion, an AOZ quirk), shared by the
 * two ways the machine runs code: the closures compile.ts builds, and the JavaScript that jit.ts
 * generates from the same compilation (`H.name(...)` in the generated text). One definition
 * each, so both agree by construction; the plain operators (+, -, *, comparisons) are written
 * inline by both.
 */
import { AozError } from './errors.js';
import type { Machine } from './machine.js';
import type { AozArray } from './program.js';
import { MAX_STRING_LENGTH, toInteger, truthy, type Value } from './values.js';

export { toInteger, truthy };

/** Strings longer than this, when stored, are counted toward the memory limit. */
const LARGE_STRING = 64 * 1024;

/** `/` is always floating-point; a zero divisor is an Illegal function call (§2.3, runtime R2). */
export function div(x: number, y: number): number {
  if (y === 0) throw new AozError('illegal_function_call', ['division by zero']);
  return x / y;
}

export function concat(a: string, b: string): string {
  const s = a + b;
  if (s.length > MAX_STRING_LENGTH) throw new AozError('string_too_long', [`${s.length} characters`]);
  return s;
}

/** String minus removes every occurrence of the right string (§2.10). */
export function strip(a: string, b: string): string {
  return a.split(b).join('');
}

/** A string stored in a variable: large ones count toward the memory limit (Machine.trackAllocation). */
export function keep(m: Machine, s: string): string {
  if (s.length > LARGE_STRING) m.trackAllocation(s.length * 2);
  return s;
}

/** The array in `store[slot]`, which must have been Dim'd with `dims` dimensions. */
export function array(
  store: readonly (AozArray | undefined)[],
  slot: number,
  name: string,
  dims: number,
): AozArray {
  const arr = store[slot];
  if (!arr) throw new AozError('non_dimensionned_array', [name]);
  if (arr.sizes.length !== dims) throw new AozError('illegal_number_of_dimensions');
  return arr;
}

/** The flat index of one subscript, checked against its bound (§7.3). */
function subscript(arr: AozArray, d: number, index: number): number {
  const max = arr.sizes[d]!;
  const i = Math.trunc(index);
  if (!(i >= 0 && i <= max)) throw new AozError('array_index_out_of_bounds', [d + 1, i, max]);
  return i;
}

/** The flat index of `indexes` in `arr` (row-major). */
export function flat(arr: AozArray, indexes: readonly number[]): number {
  let at = 0;
  for (let d = 0; d < indexes.length; d++) at = at * (arr.sizes[d]! + 1) + subscript(arr, d, indexes[d]!);
  return at;
}

/*
 * Element access takes the array first (`array(...)`, which checks it was Dim'd), then the
 * subscripts; an assignment evaluates its value before both. That is the order in which the
 * arguments are written, so the generated code keeps it too.
 */

/** `A(i)`: the one-dimensional case, the common one, without an index array. */
export function get1(arr: AozArray, i: number): Value {
  return arr.data[subscript(arr, 0, i)]!;
}

export function set1(value: Value, arr: AozArray, i: number): void {
  arr.data[subscript(arr, 0, i)] = value;
}

export function getN(arr: AozArray, indexes: readonly number[]): Value {
  return arr.data[flat(arr, indexes)]!;
}

export function setN(value: Value, arr: AozArray, indexes: readonly number[]): void {
  arr.data[flat(arr, indexes)] = value;
}

/** A procedure call beyond --max-call-depth (the machine's pushFrame raises the same). */
export function outOfStack(): AozError {
  return new AozError('out_of_stack_space');
}

/**
 * Thrown by procedures run without a frame (jit.ts) to hand over to the machine's frames: each
 * one on the way makes its frame (Machine.unwound), and the compiled code that called the first
 * one gives them to the machine (Machine.adopt). Never reaches the machine's error handling.
 */
export const UNWIND: { readonly unwind: true } = Object.freeze({ unwind: true });
