/**
 * Decoding a raw-mode terminal's input into key presses, and the value Inkey$ gives for each
 * (aoz-facts §4.3): printable characters as typed; Return 13, Tab 9, Backspace 8, Escape 27;
 * Left 28, Right 31, Up 29, Down 30 (AOZ's Inkey$ codes, which differ from the print cursor
 * codes); Home/End/PageUp/PageDown 0; Insert, Delete and function keys 30.
 */

export type KeyName =
  | 'Return'
  | 'Tab'
  | 'Backspace'
  | 'Escape'
  | 'Left'
  | 'Right'
  | 'Up'
  | 'Down'
  | 'Home'
  | 'End'
  | 'PageUp'
  | 'PageDown'
  | 'Insert'
  | 'Delete'
  | 'Function';

export type Key =
  | { readonly type: 'char'; readonly char: string }
  | { readonly type: 'key'; readonly name: KeyName }
  /** Ctrl-C: a break request, not a key. */
  | { readonly type: 'interrupt' };

const INKEY: Readonly<Record<KeyName, string>> = {
  Return: '\r',
  Tab: '\t',
  Backspace: '\b',
  Escape: '\x1b',
  Left: String.fromCharCode(28),
  Right: String.fromCharCode(31),
  Up: String.fromCharCode(29),
  Down: String.fromCharCode(30),
  Home: '\0',
  End: '\0',
  PageUp: '\0',
  PageDown: '\0',
  Insert: String.fromCharCode(30),
  Delete: String.fromCharCode(30),
  Function: String.fromCharCode(30),
};

/** What Inkey$ returns for a key ("" for an interrupt, which is not a key). */
export function inkeyValue(key: Key): string {
  if (key.type === 'char') return key.char;
  if (key.type === 'key') return INKEY[key.name];
  return '';
}

const ESC = '\x1b';

const named = (name: KeyName): Key => ({ type: 'key', name });

/** CSI final letters without a `~` (xterm, with or without modifier parameters). */
const CSI_LETTER: Readonly<Record<string, KeyName>> = {
  A: 'Up',
  B: 'Down',
  C: 'Right',
  D: 'Left',
  H: 'Home',
  F: 'End',
  Z: 'Tab', // Shift-Tab
  P: 'Function',
  Q: 'Function',
  R: 'Function',
  S: 'Function',
};

/** SS3 (ESC O x): application cursor keys, F1-F4 (the same letters as CSI), keypad Enter. */
const SS3: Readonly<Record<string, KeyName>> = { ...CSI_LETTER, M: 'Return' };

/** `ESC [ n ~` (VT220 style editing keys and function keys). */
function tildeKey(n: number): KeyName | undefined {
  switch (n) {
    case 1:
    case 7:
      return 'Home';
    case 4:
    case 8:
      return 'End';
    case 2:
      return 'Insert';
    case 3:
      return 'Delete';
    case 5:
      return 'PageUp';
    case 6:
      return 'PageDown';
    default:
      return n >= 11 && n <= 34 ? 'Function' : undefined; // F1-F20 (200/201: paste brackets)
  }
}

/**
 * Stateful only for an escape sequence cut at the end of a chunk (rare: terminals send a key's
 * sequence in one write). A lone ESC at the end of a chunk is the Escape key.
 */
export class KeyDecoder {
  private carry = '';

  feed(chunk: string): Key[] {
    const s = this.carry + chunk;
    this.carry = '';
    const keys: Key[] = [];
    let i = 0;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === ESC) {
        const used = this.escape(s, i, keys);
        if (used < 0) {
          this.carry = s.slice(i);
          break;
        }
        i += used;
        continue;
      }
      const cp = s.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      if (ch === '\r' && s[i + 1] === '\n') i++; // a pasted CRLF is one Return
      const key = controlOrChar(cp, String.fromCodePoint(cp));
      if (key) keys.push(key);
      i += width;
    }
    return keys;
  }

  /** At end of input: an incomplete sequence left over counts as the Escape key. */
  flush(): Key[] {
    const had = this.carry !== '';
    this.carry = '';
    return had ? [named('Escape')] : [];
  }

  /** Decodes the sequence starting with ESC at s[i]; returns characters used, or -1 when cut. */
  private escape(s: string, i: number, keys: Key[]): number {
    const next = s[i + 1];
    if (next === undefined) {
      keys.push(named('Escape'));
      return 1;
    }
    if (next === '[') return csi(s, i, keys);
    if (next === 'O') {
      const f = s[i + 2];
      if (f === undefined) return -1;
      const name = SS3[f];
      if (name) keys.push(named(name));
      return 3;
    }
    if (next === ESC || next.charCodeAt(0) < 0x20) {
      keys.push(named('Escape'));
      return 1;
    }
    // Alt+key: the key itself, as a browser reports it (the modifier is not part of Inkey$).
    return 1;
  }
}

function csi(s: string, i: number, keys: Key[]): number {
  let j = i + 2;
  if (s[j] === '[') {
    // Linux console F1-F5: ESC [ [ A..E
    if (s[j + 1] === undefined) return -1;
    keys.push(named('Function'));
    return 4;
  }
  const start = j;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) j++;
  const params = s.slice(start, j);
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j >= s.length) return -1;
  const final = s[j]!;
  const used = j + 1 - i;
  const code = final.charCodeAt(0);
  if (code < 0x40 || code > 0x7e) return j - i; // malformed: drop what was read, go on from there
  let name: KeyName | undefined;
  if (final === '~') {
    name = tildeKey(Number.parseInt(params.split(';')[0] ?? '', 10));
  } else {
    name = CSI_LETTER[final];
  }
  if (name) keys.push(named(name));
  return used;
}

/** A single character that is not part of an escape sequence. */
function controlOrChar(cp: number, ch: string): Key | undefined {
  switch (cp) {
    case 0x03:
      return { type: 'interrupt' };
    case 0x0d:
    case 0x0a:
      return named('Return');
    case 0x09:
      return named('Tab');
    case 0x08:
    case 0x7f:
      return named('Backspace');
  }
  if (cp >= 0x01 && cp <= 0x1a) {
    // Ctrl+letter: a browser reports the letter itself, and so does AOZ's Inkey$.
    return { type: 'char', char: String.fromCharCode(0x60 + cp) };
  }
  if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0)) return undefined;
  return { type: 'char', char: ch };
}
