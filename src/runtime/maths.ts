/** Maths functions (aoz-facts §9). */
import { AozError } from '../interpreter/errors.js';
import type { Arg, BuiltinEntry } from '../interpreter/runtime-api.js';
import { FALSE, TRUE, toInteger, type Value } from '../interpreter/values.js';

/** Results that are not numbers are an Illegal function call, as AOZ's checkNumber does (§9.6). */
function checked(fn: string, v: number): number {
  if (Number.isNaN(v)) throw new AozError('illegal_function_call', [fn]);
  return v;
}

let lastRnd = 0;

function minMax(a: Arg, b: Arg, pick: (x: number) => boolean): Value {
  if (typeof a !== typeof b) throw new AozError('type_mismatch');
  const x = a as Value;
  const y = b as Value;
  return pick(x < y ? -1 : x > y ? 1 : 0) ? x : y;
}

export const mathsTable: readonly BuiltinEntry[] = [
  {
    name: 'Abs',
    kind: 'function',
    returns: 'float',
    params: [{ name: 'x', type: 'number' }],
    doc: 'The absolute value.',
    run: (_rt, [x]) => Math.abs(x as number),
  },
  {
    name: 'Int',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'x', type: 'number' }],
    doc: 'The integer part, truncated toward zero (Int(-1.5) = -1 in AOZ).',
    run: (_rt, [x]) => toInteger(x as number),
  },
  {
    name: 'Sgn',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'x', type: 'number' }],
    doc: 'The sign: -1, 0 or 1.',
    run: (_rt, [x]) => Math.sign(x as number),
  },
  {
    name: 'Sqr',
    kind: 'function',
    returns: 'float',
    params: [{ name: 'x', type: 'number' }],
    doc: 'The square root.',
    run: (_rt, [x]) => checked('Sqr', Math.sqrt(x as number)),
  },
  {
    name: 'Rnd',
    kind: 'function',
    returns: 'float',
    params: [{ name: 'n', type: 'number' }],
    doc: 'A random number: 0..n-1 for an integer n > 0, [0, n) for a fraction, the last one for 0.',
    run(_rt, [x]) {
      const n = x as number;
      if (n === 0) return lastRnd;
      lastRnd = Number.isInteger(n) ? Math.floor(Math.random() * n) : Math.random() * n;
      return lastRnd;
    },
  },
  {
    name: 'Min',
    kind: 'function',
    returns: 'float',
    params: [
      { name: 'a', type: 'any' },
      { name: 'b', type: 'any' },
    ],
    doc: 'The smaller of two numbers (or strings).',
    run: (_rt, [a, b]) => minMax(a, b, (c) => c <= 0),
  },
  {
    name: 'Max',
    kind: 'function',
    returns: 'float',
    params: [
      { name: 'a', type: 'any' },
      { name: 'b', type: 'any' },
    ],
    doc: 'The larger of two numbers (or strings).',
    run: (_rt, [a, b]) => minMax(a, b, (c) => c >= 0),
  },
  {
    name: 'True',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The truth value 1 (AOZ mode).',
    run: () => TRUE,
  },
  {
    name: 'False',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The truth value 0.',
    run: () => FALSE,
  },
];
