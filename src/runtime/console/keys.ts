/**
 * Decoding a raw-mode terminal's input into key presses, and the value Inkey$ gives for each
 * (aoz-facts §4.3): printable characters as typed; Return 13, Tab 9, Backspace 8, Escape 27;
 * Left 28, Right 31, Up 29, Down 30 (AOZ's Inkey$ codes, which differ from the print cursor
 * codes); Home/End/PageUp/PageDown 0; Insert, Delete and function keys 30.
 *
 * Also what ScanCode and ScanShift report for a key (aoz-facts §4.4): AOZ's keymap is the
 * browser's keyCode (Return 13, Escape 27, Space 32, arrows 37-40, digits 48-57, letters 65-90,
 * F1 112...), and the modifier mask uses AOZ's bits (left Shift 1, left Ctrl 4, left Alt 16,
 * left Meta 64). A terminal only reports modifiers through the characters it sends, so they are
 * inferred: Shift for capitals and shifted symbols (US layout), Ctrl for Ctrl+letter, Alt for an
 * ESC prefix, and the modifier parameter of cursor and function key sequences (`ESC [1;5D`).
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
  | { readonly type: 'char'; readonly char: string; readonly shift?: number }
  /** `fn`: the number of a function key (F1 = 1), when known. */
  | { readonly type: 'key'; readonly name: KeyName; readonly fn?: number; readonly shift?: number }
  /** Ctrl-C: a break request, not a key. */
  | { readonly type: 'interrupt' };

/** AOZ's modifier bits (Key Shift, ScanShift) for the modifiers a terminal can report. */
export const MODIFIER = { shift: 0x0001, control: 0x0004, alt: 0x0010, meta: 0x0040 } as const;

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

/** Browser keyCodes of the named keys (AOZ keymap). */
const KEYCODE: Readonly<Record<KeyName, number>> = {
  Return: 13,
  Tab: 9,
  Backspace: 8,
  Escape: 27,
  Left: 37,
  Up: 38,
  Right: 39,
  Down: 40,
  Home: 36,
  End: 35,
  PageUp: 33,
  PageDown: 34,
  Insert: 45,
  Delete: 46,
  Function: 0,
};

/** Keys of a US keyboard that type punctuation: unshifted, shifted, keyCode. */
const PUNCTUATION: readonly (readonly [string, string, number])[] = [
  [';', ':', 186],
  ['=', '+', 187],
  [',', '<', 188],
  ['-', '_', 189],
  ['.', '>', 190],
  ['/', '?', 191],
  ['`', '~', 192],
  ['[', '{', 219],
  ['\\', '|', 220],
  [']', '}', 221],
  ["'", '"', 222],
];
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** keyCode and whether Shift types it, for the characters of a US keyboard. */
const CHAR_KEYS: ReadonlyMap<string, readonly [number, boolean]> = (() => {
  const m = new Map<string, readonly [number, boolean]>();
  for (let i = 0; i < 26; i++) {
    m.set(String.fromCharCode(97 + i), [65 + i, false]);
    m.set(String.fromCharCode(65 + i), [65 + i, true]);
  }
  for (let d = 0; d < 10; d++) {
    m.set(String(d), [48 + d, false]);
    m.set(SHIFTED_DIGITS[d]!, [48 + d, true]);
  }
  for (const [plain, shifted, code] of PUNCTUATION) {
    m.set(plain, [code, false]);
    m.set(shifted, [code, true]);
  }
  m.set(' ', [32, false]);
  return m;
})();

/** ScanCode of a key: the browser keyCode AOZ reports (0 for characters no US key types). */
export function keyCode(key: Key): number {
  if (key.type === 'char') return CHAR_KEYS.get(key.char)?.[0] ?? 0;
  if (key.type !== 'key') return 0;
  if (key.name === 'Function') return key.fn !== undefined && key.fn >= 1 && key.fn <= 24 ? 111 + key.fn : 0;
  return KEYCODE[key.name];
}

/** ScanShift of a key as a terminal reports it (see the top of this file). */
export function keyModifiers(key: Key): number {
  if (key.type === 'interrupt') return 0;
  const shifted = key.type === 'char' && CHAR_KEYS.get(key.char)?.[1] === true ? MODIFIER.shift : 0;
  return (key.shift ?? 0) | shifted;
}

/**
 * A character of a pipe or of Put Key as a key press: the inverse of inkeyValue for the keys a
 * character can stand for (newline or CR = Return, Tab, BS = Backspace, ESC = Escape, and the
 * Inkey$ arrow codes 28 Left, 31 Right, 29 Up, 30 Down); anything else is a character key.
 */
export function keyForChar(ch: string): Key {
  switch (ch) {
    case '\n':
    case '\r':
      return named('Return');
    case '\t':
      return named('Tab');
    case '\b':
      return named('Backspace');
    case '\x1b':
      return named('Escape');
    case '\x1c':
      return named('Left');
    case '\x1f':
      return named('Right');
    case '\x1d':
      return named('Up');
    case '\x1e':
      return named('Down');
    default:
      return { type: 'char', char: ch };
  }
}

const ESC = '\x1b';

function named(name: KeyName, shift = 0, fn?: number): Key {
  const key: { type: 'key'; name: KeyName; fn?: number; shift?: number } = { type: 'key', name };
  if (fn !== undefined) key.fn = fn;
  if (shift !== 0) key.shift = shift;
  return key;
}

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

/** The function key number of the letters P-S (F1-F4) after CSI or SS3. */
const LETTER_FN: Readonly<Record<string, number>> = { P: 1, Q: 2, R: 3, S: 4 };

/** `ESC [ n ~` codes of F1-F20 (VT220/xterm numbering has gaps). */
const TILDE_FN: readonly number[] = [
  11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 23, 24, 25, 26, 28, 29, 31, 32, 33, 34,
];

/**
 * The modifier parameter of a CSI sequence (`ESC [ 1 ; m X`, m - 1 = Shift 1 + Alt 2 + Ctrl 4 +
 * Meta 8), as AOZ's modifier bits.
 */
function csiModifiers(params: string): number {
  const m = Number.parseInt(params.split(';')[1] ?? '', 10) - 1;
  if (!(m > 0)) return 0;
  return (
    (m & 1 ? MODIFIER.shift : 0) |
    (m & 2 ? MODIFIER.alt : 0) |
    (m & 4 ? MODIFIER.control : 0) |
    (m & 8 ? MODIFIER.meta : 0)
  );
}

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
      if (name) keys.push(named(name, 0, LETTER_FN[f]));
      return 3;
    }
    if (next === ESC || next.charCodeAt(0) < 0x20) {
      keys.push(named('Escape'));
      return 1;
    }
    // Alt+key: the key itself, as a browser reports it (the modifier is not part of Inkey$).
    const cp = s.codePointAt(i + 1)!;
    const key = controlOrChar(cp, String.fromCodePoint(cp));
    if (key && key.type !== 'interrupt') keys.push({ ...key, shift: keyModifiers(key) | MODIFIER.alt });
    else if (key) keys.push(key);
    return 1 + (cp > 0xffff ? 2 : 1);
  }
}

function csi(s: string, i: number, keys: Key[]): number {
  let j = i + 2;
  if (s[j] === '[') {
    // Linux console F1-F5: ESC [ [ A..E
    const f = s[j + 1];
    if (f === undefined) return -1;
    const n = f.charCodeAt(0) - 0x40; // A..E: F1..F5
    keys.push(named('Function', 0, n >= 1 && n <= 5 ? n : undefined));
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
  let fn: number | undefined;
  if (final === '~') {
    const n = Number.parseInt(params.split(';')[0] ?? '', 10);
    name = tildeKey(n);
    const f = TILDE_FN.indexOf(n);
    if (f >= 0) fn = f + 1;
  } else {
    name = CSI_LETTER[final];
    fn = LETTER_FN[final];
  }
  const shift = csiModifiers(params) | (final === 'Z' ? MODIFIER.shift : 0); // Z: Shift-Tab
  if (name) keys.push(named(name, shift, name === 'Function' ? fn : undefined));
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
    return { type: 'char', char: String.fromCharCode(0x60 + cp), shift: MODIFIER.control };
  }
  if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0)) return undefined;
  return { type: 'char', char: ch };
}
