import { afterEach, describe, expect, it } from 'vitest';
import { EndOfInput } from '../../src/interpreter/runtime-api.js';
import { type Harness, harness, settle } from './helpers.js';

const ESC = '\x1b';
const chr = (n: number): string => String.fromCharCode(n);
let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
});

function tty(): Harness {
  return harness({ tty: true, env: { COLORTERM: 'truecolor' } });
}

/** A one-line terminal: printable characters overwrite, CSI n C / n D move the cursor. */
function replay(out: string): { line: string; cursor: number } {
  const cells: string[] = [];
  let x = 0;
  for (let i = 0; i < out.length; i++) {
    if (out.startsWith(`${ESC}[`, i)) {
      const m = /^(\d*)([CD])/.exec(out.slice(i + 2))!;
      const n = Number(m[1] || '1');
      x += m[2] === 'C' ? n : -n;
      i += 2 + m[0].length - 1;
      continue;
    }
    cells[x++] = out[i]!;
  }
  return { line: cells.join('').trimEnd(), cursor: x };
}

async function type(t: Harness, ...chunks: string[]): Promise<void> {
  for (const c of chunks) {
    t.stdin.write(c);
    await settle();
  }
}

describe('terminal keyboard', () => {
  it('sets raw mode lazily on the first input call and restores it on close, once', () => {
    h = tty();
    expect(h.rawMode).not.toHaveBeenCalled();
    h.con.inkey();
    h.con.inkey();
    expect(h.rawMode.mock.calls).toEqual([[true]]);
    h.con.close();
    h.con.close();
    expect(h.rawMode.mock.calls).toEqual([[true], [false]]);
    expect(h.stdin.listenerCount('data')).toBe(0);
  });

  it('never sets raw mode for a program that does not read the keyboard', () => {
    h = tty();
    h.con.print('hi\n');
    h.con.close();
    expect(h.rawMode).not.toHaveBeenCalled();
  });

  it('listens (raw mode) from the moment the window is drawn at the top of the terminal', async () => {
    h = tty();
    h.con.print('stream\n');
    expect(h.rawMode).not.toHaveBeenCalled();
    h.con.locate(0, 3);
    // Typed keys are not echoed over the window, and Ctrl-C is a key the console handles.
    expect(h.rawMode.mock.calls).toEqual([[true]]);
    await type(h, 'k');
    h.con.print('more');
    expect(h.rawMode.mock.calls).toEqual([[true]]);
    // The key pressed while the program was not reading is the pending key (AOZ).
    expect(h.con.inkey()).toBe('k');
    await type(h, '\x03');
    expect(h.onInterrupt).toHaveBeenCalledTimes(1);
    h.con.close();
    expect(h.rawMode.mock.calls).toEqual([[true], [false]]);
  });

  it('decodes keys to AOZ Inkey$ values and wakes on every key', async () => {
    h = tty();
    const got: string[] = [];
    h.con.inkey();
    for (const seq of [`${ESC}[D`, `${ESC}[C`, `${ESC}[A`, `${ESC}[B`, '\x7f', ESC, '\r', 'x']) {
      await type(h, seq);
      got.push(h.con.inkey());
    }
    expect(got).toEqual([chr(28), chr(31), chr(29), chr(30), chr(8), chr(27), chr(13), 'x']);
    expect(h.wake).toHaveBeenCalledTimes(8);
  });

  it('keeps a single pending-key slot: each key overwrites it', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'abc');
    expect(h.con.inkey()).toBe('c');
    expect(h.con.inkey()).toBe('');
    await type(h, 'p', `${ESC}[A`);
    expect(h.con.inkey()).toBe(chr(29));
  });

  it('Ctrl-C calls onInterrupt and is not a key', async () => {
    h = tty();
    h.con.inkey();
    await type(h, '\x03');
    expect(h.onInterrupt).toHaveBeenCalledTimes(1);
    expect(h.con.inkey()).toBe('');
  });

  it('Wait Key is ready once a key is pending and consumes it', async () => {
    h = tty();
    const w = h.con.waitKey();
    expect(h.rawMode).toHaveBeenCalledWith(true);
    expect(w.ready()).toBe(false);
    await type(h, 'k');
    expect(w.ready()).toBe(true);
    expect(h.con.inkey()).toBe('');
  });

  it('Wait Key ends immediately on a key pressed earlier and not consumed', async () => {
    h = tty();
    h.con.inkey();
    await type(h, 'z');
    expect(h.con.waitKey().ready()).toBe(true);
  });

  it('Wait Key throws EndOfInput when stdin ends', async () => {
    h = tty();
    const w = h.con.waitKey();
    h.stdin.end();
    await settle();
    expect(() => w.ready()).toThrow(EndOfInput);
  });

  it('Inkey$ after the end of stdin: grace, then EndOfInput', async () => {
    h = harness({ tty: true, eofGraceMs: 100 });
    h.con.inkey();
    h.stdin.end();
    await settle();
    expect(h.con.inkey()).toBe('');
    h.clock.t = 100;
    expect(() => h!.con.inkey()).toThrow(EndOfInput);
  });
});

describe('terminal readLine', () => {
  it('echoes typed characters, validates on Return without printing a newline', async () => {
    h = tty();
    h.con.print('Name? ');
    const w = h.con.readLine('Input');
    await type(h, 'Bo', 'b');
    expect(w.ready()).toBe(false);
    await type(h, '\r');
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('Bob');
    expect(h.stdout.text).toBe('Name? Bob');
    expect([h.con.cursorX, h.con.cursorY]).toEqual([9, 0]);
    expect(h.con.screenLines()[0]).toBe('Name? Bob');
  });

  it('edits with Backspace and Left/Right', async () => {
    h = tty();
    const w = h.con.readLine('Input');
    await type(h, 'abd', '\x7f', 'c', `${ESC}[D`, `${ESC}[D`, 'X', `${ESC}[C`, '\x7f', '\r');
    expect(w.result()).toBe('aXc');
    expect(h.con.screenLines()[0]).toBe('aXc');
    expect(h.con.cursorX).toBe(3);
    // Replayed on a one-line terminal, what was written shows the same line and cursor.
    expect(replay(h.stdout.text)).toEqual({ line: 'aXc', cursor: 3 });
  });

  it('supports Delete, Home and End', async () => {
    h = tty();
    const w = h.con.readLine('Input');
    await type(h, 'abc', `${ESC}[H`, `${ESC}[3~`, 'Z', `${ESC}[F`, '!', '\r');
    expect(w.result()).toBe('Zbc!');
    expect(replay(h.stdout.text)).toEqual({ line: 'Zbc!', cursor: 4 });
  });

  it('does not touch the pending-key slot while a line is edited', async () => {
    h = tty();
    const w = h.con.readLine('Input');
    await type(h, 'q\r');
    expect(w.result()).toBe('q');
    expect(h.con.inkey()).toBe('');
    await type(h, 'r');
    expect(h.con.inkey()).toBe('r');
  });

  it('echoes in the current pen colour', async () => {
    h = tty();
    h.con.pen = 6;
    const w = h.con.readLine('Input');
    await type(h, 'a\r');
    expect(w.ready()).toBe(true);
    expect(h.stdout.text).toBe(`${ESC}[38;2;255;0;0ma`);
  });

  it('keeps tab columns counted after the echoed text', async () => {
    h = tty();
    h.con.print('? ');
    const w = h.con.readLine('Input');
    await type(h, 'ab\r');
    expect(w.ready()).toBe(true);
    h.con.print('\t|');
    expect(h.stdout.text).toBe('? ab    |');
  });

  it('at the end of stdin: a typed partial line counts, an empty one throws EndOfInput', async () => {
    h = tty();
    const w = h.con.readLine('Input');
    await type(h, 'part');
    h.stdin.end();
    await settle();
    expect(w.ready()).toBe(true);
    expect(w.result()).toBe('part');
    const w2 = h.con.readLine('Line Input');
    expect(() => w2.ready()).toThrow(EndOfInput);
  });

  it('Ctrl-C during a line interrupts without ending the line', async () => {
    h = tty();
    const w = h.con.readLine('Input');
    await type(h, 'a\x03');
    expect(h.onInterrupt).toHaveBeenCalledTimes(1);
    expect(w.ready()).toBe(false);
  });
});

describe('handing stdin to the REPL prompt', () => {
  it("stops listening and leaves raw mode while suspended; keys typed then are not the program's", async () => {
    h = tty();
    h.con.inkey();
    h.con.suspendInput();
    expect(h.rawMode.mock.calls).toEqual([[true], [false]]);
    expect(h.stdin.listenerCount('data')).toBe(0);
    await type(h, 'x');
    // Asking for keys while suspended reads nothing and does not take stdin back.
    expect(h.con.inkey()).toBe('');
    expect(h.stdin.listenerCount('data')).toBe(0);
    h.con.resumeInput();
    expect(h.rawMode.mock.calls).toEqual([[true], [false], [true]]);
    await type(h, 'y');
    expect(h.con.inkey()).toBe('y');
  });

  it('does not start listening on resume when the keyboard was never used', () => {
    h = tty();
    h.con.suspendInput();
    h.con.resumeInput();
    expect(h.rawMode).not.toHaveBeenCalled();
    expect(h.stdin.listenerCount('data')).toBe(0);
  });

  it('shows the cursor for the prompt even after Curs Off, and hides it again after', () => {
    h = tty();
    h.con.setCursor(false);
    h.stdout.take();
    h.con.suspendInput();
    expect(h.stdout.take()).toBe(`${ESC}[?25h`);
    h.con.resumeInput();
    expect(h.stdout.take()).toBe(`${ESC}[?25l`);
  });

  it('settle() ends a line the program left open, so what follows starts its own', () => {
    h = tty();
    h.con.print('no newline');
    h.stdout.take();
    h.con.settle();
    expect(h.stdout.take()).toContain('\n');
    h.con.settle();
    expect(h.stdout.take()).not.toContain('\n');
  });
});

describe('process exit hook', () => {
  it('registers one exit listener that restores raw mode and colours of consoles left open', async () => {
    const before = new Set(process.listeners('exit'));
    const a = tty();
    const b = tty();
    a.con.inkey();
    b.con.inkey();
    a.con.pen = 6;
    a.con.print('r');
    a.stdout.take();
    const added = process.listeners('exit').filter((l) => !before.has(l));
    expect(added.length).toBeLessThanOrEqual(1);
    // Call our listener directly (emitting 'exit' would run the test runner's listeners too).
    const hook = added[0] ?? process.listeners('exit').at(-1)!;
    (hook as () => void)();
    expect(a.rawMode.mock.calls).toEqual([[true], [false]]);
    expect(b.rawMode.mock.calls).toEqual([[true], [false]]);
    expect(a.stdout.take()).toBe(`${ESC}[0m`);
    a.con.close();
    b.con.close();
    expect(a.rawMode).toHaveBeenCalledTimes(2);
  });
});
