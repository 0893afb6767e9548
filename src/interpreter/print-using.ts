/**
 * Print Using's formatting (aoz-facts §3.7), following AOZ 14.03's formatUsing (runtime
 * raoz.js): the format is copied with every field character turned into a space, then each value
 * is poked into its field. `~` is one character of a string; a number field is made of `#`
 * (digits before the point, then after it), `+`/`-` (where the sign goes), `.` (the point), `;`
 * (the decimal position without a point) and `^` (characters of the exponent). Values beyond the
 * last field are appended as they are.
 */
import { AozError } from './errors.js';
import { formatNumber, type Value } from './values.js';

interface StringField {
  kind: 'string';
  position: number;
  length: number;
}

interface NumberField {
  kind: 'number';
  integers: number[];
  decimals: number[];
  exponent: number[];
  sign: { kind: 'plus' | 'minus'; position: number } | null;
  dot: { kind: 'dot' | 'semicolon'; position: number } | null;
}

type Field = StringField | NumberField;

const NUMBER_CHARS = new Set(['+', '-', '\u2013', '.', ';', '#', '^']);

/** Replaces `length` characters of `s` at `position` with `text`, AOZ's pokeString. */
function poke(s: string, text: string, position: number, length: number): string {
  const put =
    text.length > length
      ? text.slice(0, length)
      : text + s.substr(position + text.length, length - text.length);
  return s.slice(0, position) + put + s.slice(position + length);
}

export function formatUsing(format: string, values: readonly Value[]): string {
  const fields: (Field | undefined)[] = [];
  let v = 0;
  let out = '';
  for (let p = 0; p < format.length; p++) {
    const c = format[p]!;
    if (c === '~') {
      if (fields[v]?.kind === 'number') v++;
      if (v < values.length) {
        const f = fields[v];
        if (f === undefined) fields[v] = { kind: 'string', position: p, length: 1 };
        else if (f.kind === 'string') f.length++;
      }
      out += ' ';
    } else if (NUMBER_CHARS.has(c)) {
      if (fields[v]?.kind === 'string') v++;
      if (v < values.length) {
        let f = fields[v];
        if (f === undefined) {
          f = { kind: 'number', integers: [], decimals: [], exponent: [], sign: null, dot: null };
          fields[v] = f;
        }
        if (f.kind === 'number') numberChar(f, c, p);
      }
      out += ' ';
    } else {
      out += c;
    }
  }
  let last = -1;
  fields.forEach((f, i) => {
    if (!f) return;
    last = i;
    const value = values[i]!;
    if (f.kind === 'string') {
      out = poke(out, typeof value === 'string' ? value : formatNumber(value), f.position, f.length);
    } else {
      if (typeof value === 'string') throw new AozError('type_mismatch', [value]);
      out = pokeNumber(out, f, value);
    }
  });
  // Values beyond the last field are appended as JavaScript shows them (no Str$ space), as AOZ does.
  for (let i = last + 1; i < values.length; i++) out += String(values[i]);
  return out;
}

function numberChar(f: NumberField, c: string, p: number): void {
  switch (c) {
    case '+':
      f.sign ??= { kind: 'plus', position: p };
      break;
    case '-':
    case '\u2013':
      f.sign ??= { kind: 'minus', position: p };
      break;
    case '.':
      f.dot ??= { kind: 'dot', position: p };
      break;
    case ';':
      f.dot ??= { kind: 'semicolon', position: p };
      break;
    case '^':
      f.exponent.push(p);
      break;
    default:
      (f.dot ? f.decimals : f.integers).push(p);
  }
}

function pokeNumber(out: string, f: NumberField, value: number): string {
  let text: string;
  let exponent = '';
  if (f.exponent.length === 0) {
    text = value.toFixed(f.decimals.length);
  } else {
    const full = value.toExponential(f.decimals.length);
    const e = full.indexOf('e');
    text = full.slice(0, e);
    exponent = full.slice(e);
  }
  // The minus sign is only shown where the format has + or - (AOZ's behaviour).
  const start = value < 0 ? 1 : 0;
  if (f.sign?.kind === 'plus') out = poke(out, value >= 0 ? '+' : '-', f.sign.position, 1);
  else if (f.sign?.kind === 'minus' && value < 0) out = poke(out, '-', f.sign.position, 1);
  const point = text.indexOf('.') < 0 ? text.length : text.indexOf('.');
  for (let d = f.integers.length - 1, pos = point - 1; d >= 0; d--, pos--) {
    if (pos >= start) out = poke(out, text[pos]!, f.integers[d]!, 1);
  }
  if (f.dot?.kind === 'dot') out = poke(out, '.', f.dot.position, 1);
  for (let d = 0, pos = point + 1; d < f.decimals.length; d++, pos++) {
    if (pos < text.length) out = poke(out, text[pos]!, f.decimals[d]!, 1);
  }
  for (let d = 0; d < f.exponent.length && d < exponent.length; d++) {
    out = poke(out, exponent[d]!, f.exponent[d]!, 1);
  }
  return out;
}
