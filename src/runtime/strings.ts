/**
 * String functions (aoz-facts §8). Positions follow String Base Index: 1 by default (the AOZ
 * manifest's `stringBaseIndex: 1`), 0 after `String Base Index 0`; Left$/Right$ counts do not.
 */
import { AozError } from '../interpreter/errors.js';
import {
  type Arg,
  type BuiltinEntry,
  ofOne,
  type Runtime,
  type StateKey,
  type VariableRef,
} from '../interpreter/runtime-api.js';
import { formatNumber, MAX_STRING_LENGTH } from '../interpreter/values.js';

/** Per-run String Base Index (0 or 1). */
const BASE: StateKey<{ index: number }> = { name: 'String Base Index', create: () => ({ index: 1 }) };

function base(rt: Runtime): number {
  return rt.state(BASE).index;
}

/** The resource limit on strings (values.ts), checked before building one. */
function checkLength(fn: string, length: number): void {
  if (length > MAX_STRING_LENGTH) throw new AozError('string_too_long', [`${fn}: ${length} characters`]);
}

/**
 * A count or position: truncated toward zero; negative is an Illegal function call as in AOZ.
 * (AOZ lets fractions reach JavaScript, where a loop bound of 2.5 repeats 3 times; see
 * docs/compatibility.md.)
 */
function count(n: unknown, fn: string): number {
  const v = Math.trunc(n as number);
  if (!(v >= 0)) throw new AozError('illegal_function_call', [`${fn} ${v}`]);
  return v;
}

/** 0-based start from a position in the current base: below the base counts as the first character. */
function start(rt: Runtime, p: unknown, fn: string): number {
  return Math.max(count(p, fn) - base(rt), 0);
}

/** The string variable of an in-place `Left$/Mid$/Right$(v$, ...) = x$`. */
function stringTarget(a: Arg, fn: string): VariableRef {
  const ref = a as VariableRef;
  if (ref?.kind !== 'variable' || ref.type !== 'string') throw new AozError('type_mismatch', [fn]);
  return ref;
}

/**
 * Writes `text` over `value` from `from`, at most `n` characters, never past the end: the length
 * never changes (§8 table). AOZ's setMid$/setRight$ can grow or shorten the string when the text
 * runs past the end or is shorter than a Right$ zone (docs/compatibility.md).
 */
function overwrite(value: string, from: number, n: number, text: string): string {
  const k = Math.min(text.length, n, value.length - from);
  return value.slice(0, from) + text.slice(0, k) + value.slice(from + k);
}

/** Hex$/Bin$ digits: zero-padded to `digits`, never truncated. */
function padded(fn: string, digits: string, width: Arg): string {
  if (width === undefined) return digits;
  const w = Math.trunc(width as number);
  checkLength(fn, w);
  return digits.padStart(w, '0');
}

/**
 * Replace$ as AOZ's replaceStringInText: each time the search starts again from the beginning of
 * the modified string; a replacement that contains the searched text is done once only (it would
 * never end otherwise).
 */
function replace(text: string, find: string, rep: string, times: number): string {
  let n = rep.includes(find) ? Math.min(times, 1) : times;
  let pos = text.indexOf(find);
  while (pos >= 0 && n > 0) {
    text = text.slice(0, pos) + rep + text.slice(pos + find.length);
    checkLength('Replace$', text.length);
    // Nothing before pos matched, so a new match can only start where it overlaps the
    // replacement: searching from there finds the same first match as a search from 0.
    pos = text.indexOf(find, Math.max(0, pos - find.length + 1));
    n--;
  }
  return text;
}

export const stringsTable: readonly BuiltinEntry[] = [
  {
    name: 'String Base Index',
    kind: 'instruction',
    params: [{ name: 'index', type: 'number', optional: true }],
    doc: 'Positions in Mid$, Instr... count from 0 or from 1 (the default); no value means 1.',
    run(rt, [n]) {
      const v = n === undefined ? 1 : (n as number);
      if (v !== 0 && v !== 1) throw new AozError('illegal_function_call', [`String Base Index ${v}`]);
      rt.state(BASE).index = v;
      return undefined;
    },
  },
  {
    name: 'Len',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The number of characters in a string.',
    ...ofOne((_rt, s: string) => s.length),
  },
  {
    name: 'Left$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The first n characters of a string (all of it when n is larger).',
    run: (_rt, [s, n]) => (s as string).slice(0, count(n, 'Left$')),
  },
  {
    name: 'Left$',
    kind: 'instruction',
    params: [
      { name: 'v$', type: 'variable', of: 'string' },
      { name: 'n', type: 'number' },
      { name: 'x$', type: 'string' },
    ],
    syntax: 'Left$(v$, n) = x$',
    doc: 'Overwrite the first n characters of a string variable with x$; the length never changes.',
    run(_rt, [v, n, x]) {
      const ref = stringTarget(v, 'Left$');
      ref.set(overwrite(ref.get() as string, 0, count(n, 'Left$'), x as string));
      return undefined;
    },
  },
  {
    name: 'Right$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The last n characters of a string (all of it when n is larger).',
    run(_rt, [s, n]) {
      const str = s as string;
      return str.slice(str.length - Math.min(count(n, 'Right$'), str.length));
    },
  },
  {
    name: 'Right$',
    kind: 'instruction',
    params: [
      { name: 'v$', type: 'variable', of: 'string' },
      { name: 'n', type: 'number' },
      { name: 'x$', type: 'string' },
    ],
    syntax: 'Right$(v$, n) = x$',
    doc: 'Overwrite the last n characters of a string variable with x$, from their start; the length never changes.',
    run(_rt, [v, n, x]) {
      const ref = stringTarget(v, 'Right$');
      const value = ref.get() as string;
      const k = Math.min(count(n, 'Right$'), value.length);
      ref.set(overwrite(value, value.length - k, k, x as string));
      return undefined;
    },
  },
  {
    name: 'Mid$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'start', type: 'number' },
      { name: 'n', type: 'number', optional: true },
    ],
    doc: 'Characters from position start (a start before the first counts as the first), to the end or n of them.',
    run(rt, [s, p, n]) {
      const from = start(rt, p, 'Mid$');
      const str = s as string;
      return n === undefined ? str.slice(from) : str.substr(from, count(n, 'Mid$'));
    },
  },
  {
    name: 'Mid$',
    kind: 'instruction',
    params: [
      { name: 'v$', type: 'variable', of: 'string' },
      { name: 'start', type: 'number' },
      { name: 'n', type: 'number', optional: true },
      { name: 'x$', type: 'string' },
    ],
    syntax: 'Mid$(v$, start [, n]) = x$',
    doc: 'Overwrite a string variable from position start with x$ (at most n characters); the length never changes.',
    run(rt, [v, p, n, x]) {
      const ref = stringTarget(v, 'Mid$');
      const value = ref.get() as string;
      const from = Math.min(start(rt, p, 'Mid$'), value.length);
      const k = n === undefined ? value.length - from : count(n, 'Mid$');
      ref.set(overwrite(value, from, k, x as string));
      return undefined;
    },
  },
  {
    name: 'Instr',
    kind: 'function',
    returns: 'integer',
    params: [
      { name: 'host$', type: 'string' },
      { name: 'guest$', type: 'string' },
      { name: 'start', type: 'number', optional: true },
    ],
    doc: 'The position of guest$ in host$ (searching from start), or 0 when absent (-1 with String Base Index 0).',
    run(rt, [h, g, st]) {
      const b = base(rt);
      const from = st === undefined ? 0 : start(rt, st, 'Instr');
      // Not found is "the position before the first": 0 in base 1, -1 in base 0 (R2 raoz.js 5393).
      return (h as string).indexOf(g as string, from) + b;
    },
  },
  {
    name: 'Upper$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The string in capitals.',
    run: (_rt, [s]) => (s as string).toUpperCase(),
  },
  {
    name: 'Lower$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The string in small letters.',
    run: (_rt, [s]) => (s as string).toLowerCase(),
  },
  {
    name: 'Flip$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The string reversed.',
    run: (_rt, [s]) => (s as string).split('').reverse().join(''),
  },
  {
    name: 'Trim$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'mode', type: 'number', optional: true },
    ],
    doc: 'The string without the spaces (not tabs) at both ends (mode 0), the start (1) or the end (2).',
    run(_rt, [s, m]) {
      const mode = m === undefined ? 0 : (m as number);
      if (mode !== 0 && mode !== 1 && mode !== 2)
        throw new AozError('illegal_function_call', [`Trim$ ${mode}`]);
      let t = s as string;
      if (mode !== 2) t = t.replace(/^ +/, '');
      if (mode !== 1) t = t.replace(/ +$/, '');
      return t;
    },
  },
  {
    name: 'Replace$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'find$', type: 'string' },
      { name: 'replacement$', type: 'string' },
      { name: 'count', type: 'number', optional: true },
    ],
    doc: 'The string with find$ replaced (every time, or count times); once only if replacement$ contains find$.',
    run: (_rt, [s, f, r, n]) =>
      replace(
        s as string,
        f as string,
        r as string,
        n === undefined ? Number.POSITIVE_INFINITY : (n as number),
      ),
  },
  {
    name: 'String$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The first character of s$, n times.',
    run(_rt, [s, n]) {
      const k = count(n, 'String$');
      checkLength('String$', k);
      return (s as string).charAt(0).repeat(k);
    },
  },
  {
    name: 'Repeat$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The whole string s$, n times.',
    run(_rt, [s, n]) {
      const k = Math.trunc(n as number);
      // AOZ files Repeat$ under text windows, hence its error (R2 raoz.js 2719).
      if (!(k >= 0)) throw new AozError('illegal_text_window_parameter', [k]);
      const str = s as string;
      checkLength('Repeat$', str.length * k);
      return str.repeat(k);
    },
  },
  {
    name: 'Space$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'n', type: 'number' }],
    doc: 'A string of n spaces.',
    run(_rt, [n]) {
      const k = count(n, 'Space$');
      checkLength('Space$', k);
      return ' '.repeat(k);
    },
  },
  {
    name: 'Zero$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 'value', type: 'any' },
      { name: 'size', type: 'number' },
    ],
    doc: 'The value (number or string) as text, with zeros in front up to size characters.',
    run(_rt, [v, n]) {
      // As AOZ's addZeroFrontValue: the number's JavaScript text (no leading space), and leading
      // or trailing spaces of a string do not count toward the size.
      const text = String(v);
      const size = Math.trunc(n as number);
      checkLength('Zero$', size);
      const missing = size - text.trim().length;
      return missing > 0 ? '0'.repeat(missing) + text : text;
    },
  },
  {
    name: 'Chr$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'code', type: 'number' }],
    doc: 'The character with this (UTF-16) code.',
    ...ofOne((_rt, n: number) => String.fromCharCode(n)),
  },
  {
    name: 'Asc',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The code of the first character (0 for an empty string).',
    ...ofOne((_rt, s: string) => s.charCodeAt(0) || 0),
  },
  {
    name: 'Str$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'n', type: 'number' }],
    doc: 'A number as Print shows it: a leading space when >= 0, Fix decimals.',
    ...ofOne((rt, n: number) => formatNumber(n, rt.fix)),
  },
  {
    name: 'Val',
    kind: 'function',
    returns: 'float',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The number at the start of a string ($hex and %binary understood), 0 when there is none.',
    run(_rt, [s]) {
      // As AOZ's val: the $ or % must be the very first character; decimals go through
      // parseFloat (leading spaces, trailing junk and 1e3 accepted).
      const t = s as string;
      const n =
        t[0] === '$'
          ? Number.parseInt(t.slice(1), 16)
          : t[0] === '%'
            ? Number.parseInt(t.slice(1), 2)
            : Number.parseFloat(t);
      return Number.isNaN(n) ? 0 : n;
    },
  },
  {
    name: 'Hex$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 'n', type: 'number' },
      { name: 'digits', type: 'number', optional: true },
    ],
    doc: '"$" and the number in hexadecimal, zero-padded to digits; negatives as 32-bit two\'s complement.',
    run(_rt, [n, d]) {
      // AOZ prints the fraction too (Hex$(255.5) = "$FF.8"); we truncate (docs/compatibility.md).
      let v = Math.trunc(n as number);
      if (v < 0) v += 0x1_0000_0000;
      return `$${padded('Hex$', v.toString(16).toUpperCase(), d)}`;
    },
  },
  {
    name: 'Bin$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 'n', type: 'number' },
      { name: 'digits', type: 'number', optional: true },
    ],
    doc: '"%" and the number in binary, zero-padded to digits; a negative number is an error.',
    run(_rt, [n, d]) {
      const v = count(n, 'Bin$');
      return `%${padded('Bin$', v.toString(2), d)}`;
    },
  },
];
