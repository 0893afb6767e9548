/**
 * ScanCode, ScanShift, Key State, Key Shift, Input$, Put Key and Clear Key on a terminal (raw
 * mode keys; the clock is injected).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_HOLD_MS, REPEAT_HOLD_MS } from '../../src/runtime/console/keyboard.js';
import { keyCode, keyForChar, keyModifiers, MODIFIER } from '../../src/runtime/console/keys.js';
import { type Harness, harness, settle } from './helpers.js';

const ESC = '\x1b';
let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
});

function tty(): Harness {
  return harness({ tty: true, env: {} });
}

async function type(t: Harness, ...chunks: string[]): Promise<void> {
  for (const c of chunks) {
    t.stdin.write(c);
    await settle();
  }
}

/** ScanCode and ScanShift of each key typed, read with Inkey$. */
async function scans(...seqs: string[]): Promise<[number, number][]> {
  const t = tty();
  t.con.inkey();
  const got: [number, number][] = [];
  for (const s of seqs) {
    await type(t, s);
    t.con.inkey();
    got.push([t.con.scancode(), t.con.scanShift()]);
  }
  t.con.close();
  return got;
}

describe('key codes (AOZ keymap = browser keyCodes)', () => {
  it('gives letters, digits, space, punctuation and named keys their codes', async () => {
    expect(await scans('a', 'z', '0', '9', ' ', '\r', '\t', '\x7f', ESC, '-', '/', "'")).toEqual([
      [65, 0],
      [90, 0],
      [48, 0],
      [57, 0],
      [32, 0],
      [13, 0],
      [9, 0],
      [8, 0],
      [27, 0],
      [189, 0],
      [191, 0],
      [222, 0],
    ]);
  });

  it('gives arrows 37-40, editing keys and function keys', async () => {
    expect(
      (
        await scans(
          `${ESC}[D`,
          `${ESC}[A`,
          `${ESC}[C`,
          `${ESC}[B`,
          `${ESC}[H`,
          `${ESC}[3~`,
          `${ESC}OP`,
          `${ESC}[24~`,
        )
      ).map(([c]) => c),
    ).toEqual([37, 38, 39, 40, 36, 46, 112, 123]);
  });

  it('infers the modifiers: Shift for capitals and shifted symbols, Ctrl, Alt, and CSI parameters', async () => {
    expect(await scans('A', '!', '\x01', `${ESC}x`, `${ESC}[1;5D`, `${ESC}[1;2A`, `${ESC}[Z`)).toEqual([
      [65, MODIFIER.shift],
      [49, MODIFIER.shift],
      [65, MODIFIER.control],
      [88, MODIFIER.alt],
      [37, MODIFIER.control],
      [38, MODIFIER.shift],
      [9, MODIFIER.shift],
    ]);
  });

  it('maps the characters of pipes and Put Key back to keys', () => {
    expect(
      ['\n', '\r', '\t', '\b', ESC, '\x1c', '\x1f', '\x1d', '\x1e', 'k', 'é'].map((c) =>
        keyCode(keyForChar(c)),
      ),
    ).toEqual([13, 13, 9, 8, 27, 37, 39, 38, 40, 75, 0]);
    expect(keyModifiers(keyForChar('K'))).toBe(MODIFIER.shift);
  });
});

describe('ScanCode and ScanShift', () => {
  it('are reset to 0 once read, and by Wait Key', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'B');
    expect(h.con.inkey()).toBe('B');
    expect([h.con.scancode(), h.con.scancode(), h.con.scanShift(), h.con.scanShift()]).toEqual([66, 0, 1, 0]);
    await type(h, 'c');
    expect(h.con.waitKey().ready()).toBe(true);
    expect(h.con.scancode()).toBe(0);
  });
});

describe('Key State and Key Shift on a terminal (no key-up events)', () => {
  it('holds a key for a while after its press, shorter after each auto-repeat', async () => {
    h = tty();
    h.con.inkey();
    h.clock.t = 1000;
    await type(h, `${ESC}[D`);
    expect(h.con.keyState(37)).toBe(true);
    expect(h.con.keyState(39)).toBe(false);
    h.clock.t = 1000 + FIRST_HOLD_MS - 1;
    expect(h.con.keyState(37)).toBe(true);
    await type(h, `${ESC}[D`); // auto-repeat
    h.clock.t += REPEAT_HOLD_MS - 1;
    expect(h.con.keyState(37)).toBe(true);
    h.clock.t += 2;
    expect(h.con.keyState(37)).toBe(false);
  });

  it('releases a key as soon as another one is pressed', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'a');
    expect(h.con.keyState(65)).toBe(true);
    await type(h, 'b');
    expect([h.con.keyState(65), h.con.keyState(66)]).toEqual([false, true]);
  });

  it('Key Shift is the modifier mask of the key held', async () => {
    h = tty();
    h.con.inkey();
    await type(h, `${ESC}[1;6C`); // Ctrl+Shift+Right
    expect(h.con.keyShift()).toBe(MODIFIER.control | MODIFIER.shift);
    h.clock.t += FIRST_HOLD_MS;
    expect(h.con.keyShift()).toBe(0);
  });

  it('is not disturbed by reading the key with Inkey$', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'q');
    expect(h.con.inkey()).toBe('q');
    expect(h.con.keyState(81)).toBe(true);
  });
});

describe('Input$ on a terminal', () => {
  it('clears the pending key, then collects single characters without echo', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'old');
    const w = h.con.inputChars(4);
    expect(w.ready()).toBe(false);
    await type(h, 'ab', '\r', `${ESC}[A`, 'c');
    expect(w.ready()).toBe(false);
    await type(h, 'de');
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('abcd');
    expect(h.stdout.text).toBe('');
  });

  it('loses no key of a paste (a burst of keys between two polls)', async () => {
    h = tty();
    const w = h.con.inputChars(6);
    await type(h, 'pasted!');
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('pasted');
  });
});

describe('Put Key and Clear Key on a terminal', () => {
  it('Put Key feeds Inkey$ one key at a time, before the pending key', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'k');
    h.con.putKey('ab');
    expect([h.con.inkey(), h.con.scancode()]).toEqual(['a', 65]);
    expect([h.con.inkey(), h.con.inkey(), h.con.inkey()]).toEqual(['b', 'k', '']);
  });

  it('Put Key types into Input: a default answer to edit, Return validates', async () => {
    h = tty();
    h.con.putKey('NO');
    const w = h.con.readLine('Input');
    await type(h, '\x7f', 'W', '\r');
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('NW');
    h.con.putKey(`YES\rmore`);
    const w2 = h.con.readLine('Input');
    expect(w2.ready()).toBe(true);
    expect(w2.result()).toBe('YES');
    expect(h.con.inkey()).toBe('m');
  });

  it('Put Key feeds Input$, and Clear Key forgets it and the pending key', async () => {
    h = tty();
    h.con.putKey('xy');
    const w = h.con.inputChars(3);
    await type(h, 'z');
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('xyz');
    h.con.putKey('gone');
    h.con.inkey();
    await type(h, 'p');
    h.con.clearKey();
    expect(h.con.inkey()).toBe('');
  });
});
