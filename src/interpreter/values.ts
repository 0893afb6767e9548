/**
 * BASIC values at run time: every number is a JavaScript double (aoz-facts §2.1), every string a
 * JavaScript string. Truth values are the numbers 1 and 0 (True = 1 in AOZ mode, §2.7).
 */
export type Value = number | string;

/** Static types known to the compiler (from the name suffix: none, `#`, `$`). */
export type ValueType = 'integer' | 'float' | 'string';

export const TRUE = 1;
export const FALSE = 0;

export function truthy(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 && !Number.isNaN(v) : v !== '';
}

/** Float -> integer variable: truncation toward zero, never rounding (aoz-facts §2.2). */
export function toInteger(v: number): number {
  return Math.trunc(v) + 0; // -0 + 0 is 0: no -0 in integer variables
}

/** The same as JavaScript text, written inline by the code jit.ts generates. */
export function toIntegerJs(x: string): string {
  return `(Math.trunc(${x}) + 0)`;
}

/**
 * Str$ / Print number formatting (aoz-facts §3.4): a space before values >= 0, never a trailing
 * space, JavaScript's shortest round-trip text unless Fix asks for a fixed number of decimals.
 */
export function formatNumber(v: number, fix = 16): string {
  let text: string;
  if (Number.isNaN(v)) return 'NaN';
  if (fix === 16 || Number.isInteger(v) || !Number.isFinite(v)) {
    text = String(v);
  } else if (fix >= 0) {
    text = v.toFixed(Math.min(fix, 100));
  } else {
    text = v.toExponential(Math.min(-fix, 100));
  }
  // AOZ shows -0.00 as 0.00, and the value was negative so it gets no leading space.
  if (v < 0) return text.startsWith('-') && /^-0(\.0*)?(e|$)/.test(text) ? text.slice(1) : text;
  return ` ${text}`;
}

/**
 * Longest string a program may build (resource limit): beyond it, "String too long" rather than
 * exhausting memory. 16 Mi characters is far above anything a text program needs.
 */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;

export function typeOfName(name: string): ValueType {
  if (name.endsWith('$')) return 'string';
  if (name.endsWith('#')) return 'float';
  return 'integer';
}

export function defaultValue(t: ValueType): Value {
  return t === 'string' ? '' : 0;
}
