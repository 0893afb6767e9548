/** String functions (aoz-facts §8). Positions are 1-based (String Base Index 1, the AOZ default). */
import { AozError } from '../interpreter/errors.js';
import type { BuiltinEntry } from '../interpreter/runtime-api.js';
import { formatNumber } from '../interpreter/values.js';

function count(n: unknown, fn: string): number {
  const v = Math.trunc(n as number);
  if (!(v >= 0)) throw new AozError('illegal_function_call', [`${fn} ${v}`]);
  return v;
}

export const stringsTable: readonly BuiltinEntry[] = [
  {
    name: 'Len',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The number of characters in a string.',
    run: (_rt, [s]) => (s as string).length,
  },
  {
    name: 'Left$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The first n characters of a string.',
    run: (_rt, [s, n]) => (s as string).slice(0, count(n, 'Left$')),
  },
  {
    name: 'Right$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 's$', type: 'string' },
      { name: 'n', type: 'number' },
    ],
    doc: 'The last n characters of a string.',
    run(_rt, [s, n]) {
      const str = s as string;
      const k = count(n, 'Right$');
      return k === 0 ? '' : str.slice(Math.max(0, str.length - k));
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
    doc: 'Characters from position start (1-based; 0 counts as 1), to the end or n of them.',
    run(_rt, [s, p, n]) {
      const start = Math.max(1, count(p, 'Mid$'));
      const str = s as string;
      return n === undefined ? str.slice(start - 1) : str.substr(start - 1, count(n, 'Mid$'));
    },
  },
  {
    name: 'Instr',
    kind: 'function',
    returns: 'integer',
    params: [
      { name: 'haystack$', type: 'string' },
      { name: 'needle$', type: 'string' },
      { name: 'start', type: 'number', optional: true },
    ],
    doc: 'The 1-based position of needle$ in haystack$ (from start), or 0 when absent.',
    run(_rt, [h, g, st]) {
      const from = st === undefined ? 1 : count(st, 'Instr');
      return (h as string).indexOf(g as string, Math.max(1, from) - 1) + 1;
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
    name: 'Trim$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The string without the spaces at both ends (spaces only, not tabs).',
    run: (_rt, [s]) => (s as string).replace(/^ +| +$/g, ''),
  },
  {
    name: 'Space$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'n', type: 'number' }],
    doc: 'A string of n spaces.',
    run: (_rt, [n]) => ' '.repeat(count(n, 'Space$')),
  },
  {
    name: 'Chr$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'code', type: 'number' }],
    doc: 'The character with this code.',
    run: (_rt, [n]) => String.fromCharCode(n as number),
  },
  {
    name: 'Asc',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The code of the first character (0 for an empty string).',
    run: (_rt, [s]) => (s as string).charCodeAt(0) || 0,
  },
  {
    name: 'Str$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'n', type: 'number' }],
    doc: 'A number as Print shows it: a leading space when >= 0, Fix decimals.',
    run: (rt, [n]) => formatNumber(n as number, rt.fix),
  },
  {
    name: 'Val',
    kind: 'function',
    returns: 'float',
    params: [{ name: 's$', type: 'string' }],
    doc: 'The number at the start of a string ($hex and %binary understood), 0 when there is none.',
    run(_rt, [s]) {
      const t = (s as string).trim();
      const n = t.startsWith('$')
        ? Number.parseInt(t.slice(1), 16)
        : t.startsWith('%')
          ? Number.parseInt(t.slice(1), 2)
          : Number.parseFloat(t);
      return Number.isNaN(n) ? 0 : n;
    },
  },
];
