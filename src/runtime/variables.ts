/** Variable instructions (aoz-facts §7.4–7.5): Inc, Dec, Add, Swap, Sort, Match, Is Defined. */
import { AozError } from '../interpreter/errors.js';
import type { Arg, ArrayArg, BuiltinEntry, VariableRef } from '../interpreter/runtime-api.js';
import { TRUE, type Value } from '../interpreter/values.js';

function numericVariable(a: Arg, fn: string): VariableRef {
  const ref = a as VariableRef;
  if (ref?.kind !== 'variable' || ref.type === 'string') throw new AozError('type_mismatch', [fn]);
  return ref;
}

/**
 * The array of Sort/Match. AOZ selects the row of a multi-dimension array with the indexes written
 * before the last one (`Sort A(2,0)` sorts row 2); an ArrayArg does not carry them, so only
 * one-dimension arrays are accepted for now (docs/compatibility.md).
 */
function oneDimension(a: Arg, fn: string): ArrayArg {
  const arr = a as ArrayArg;
  if (arr.sizes.length !== 1) {
    throw new AozError('illegal_number_of_dimensions', [`${fn} takes a one-dimension array`]);
  }
  return arr;
}

export const variablesTable: readonly BuiltinEntry[] = [
  {
    name: 'Inc',
    kind: 'instruction',
    params: [{ name: 'v', type: 'variable', of: 'number' }],
    doc: 'Add 1 to a numeric variable or array element.',
    run(_rt, [v]) {
      const ref = numericVariable(v, 'Inc');
      ref.set((ref.get() as number) + 1);
      return undefined;
    },
  },
  {
    name: 'Dec',
    kind: 'instruction',
    params: [{ name: 'v', type: 'variable', of: 'number' }],
    doc: 'Subtract 1 from a numeric variable or array element.',
    run(_rt, [v]) {
      const ref = numericVariable(v, 'Dec');
      ref.set((ref.get() as number) - 1);
      return undefined;
    },
  },
  {
    name: 'Add',
    kind: 'instruction',
    params: [
      { name: 'v', type: 'variable', of: 'number' },
      { name: 'e', type: 'number' },
      { name: 'base', type: 'number', optional: true },
      { name: 'top', type: 'number', optional: true },
    ],
    syntax: 'Add v, e [, base To top]',
    doc: 'Add e to a variable (e truncated for an integer variable); with base To top, wrap around: past top gives base, below base gives top.',
    run(_rt, [v, e, b, t]) {
      const ref = numericVariable(v, 'Add');
      const plus = ref.type === 'integer' ? Math.trunc(e as number) : (e as number);
      let n = (ref.get() as number) + plus;
      if (b !== undefined && t !== undefined) {
        // In this order, as AOZ's add (R2 raoz.js 4892): a top below the base ends on top.
        if (n > (t as number)) n = b as number;
        if (n < (b as number)) n = t as number;
      }
      ref.set(n);
      return undefined;
    },
  },
  {
    name: 'Swap',
    kind: 'instruction',
    params: [
      { name: 'a', type: 'variable' },
      { name: 'b', type: 'variable' },
    ],
    doc: 'Exchange the values of two variables or array elements of the same type.',
    run(_rt, [a, b]) {
      const x = a as VariableRef;
      const y = b as VariableRef;
      // AOZ swaps whatever it is given, even a number into a string variable; we refuse, and an
      // integer receiving a float truncates as in an assignment (docs/compatibility.md).
      if ((x.type === 'string') !== (y.type === 'string')) throw new AozError('type_mismatch', ['Swap']);
      const old = x.get();
      x.set(y.get());
      y.set(old);
      return undefined;
    },
  },
  {
    name: 'Sort',
    kind: 'instruction',
    params: [{ name: 'array', type: 'array' }],
    syntax: 'Sort A(0)',
    doc: 'Sort an array in place, ascending (numbers by value, strings by character codes), unused elements included.',
    run(_rt, [a]) {
      const arr = oneDimension(a, 'Sort');
      if (arr.type === 'string') {
        (arr.data as string[]).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      } else {
        (arr.data as number[]).sort((x, y) => x - y);
      }
      return undefined;
    },
  },
  {
    name: 'Is Defined',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'v', type: 'variable' }],
    // aozrun always defines a variable at its first use (AOZ's `#autoVariables: True`).
    doc: 'True when the variable is defined: always, since variables are defined at their first use.',
    run: () => TRUE,
  },
  {
    name: 'Match',
    kind: 'function',
    returns: 'integer',
    params: [
      { name: 'array', type: 'array' },
      { name: 'value', type: 'any' },
    ],
    syntax: '=Match(A(0), value)',
    doc: 'The index of the first element equal to value, or -1 (a linear search; the array need not be sorted).',
    run(_rt, [a, v]) {
      const arr = oneDimension(a, 'Match');
      const value = v as Value;
      // AOZ compares with JavaScript's == (so "5" finds 5); we ask for the array's type.
      if ((arr.type === 'string') !== (typeof value === 'string'))
        throw new AozError('type_mismatch', ['Match']);
      return arr.data.indexOf(value);
    },
  },
];
