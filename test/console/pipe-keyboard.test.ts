import { afterEach, describe, expect, it } from 'vitest';
import { EndOfInput } from '../../src/interpreter/runtime-api.js';
import { type Harness, harness, settle } from './helpers.js';

let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
});

/** Polls a Wait the way the scheduler does after a wake-up. */
function poll(wait: { ready(): boolean }): boolean {
  return wait.ready();
}

describe('pipe keyboard: Inkey$', () => {
  it('returns "" until a character arrives, then one character at a time', async () => {
    h = harness();
    expect(h.con.inkey()).toBe('');
    h.stdin.write('ab');
    await settle();
    expect(h.wake).toHaveBeenCalled();
    expect(h.con.inkey()).toBe('a');
    expect(h.con.inkey()).toBe('b');
    expect(h.con.inkey()).toBe('');
  });

  it('gives "\\n" as Chr$(13), and "\\r\\n" or a lone "\\r" as one Return', async () => {
    h = harness();
    h.con.inkey();
    h.stdin.write('x\r');
    await settle();
    h.stdin.write('\ny\rz\n');
    await settle();
    const keys: string[] = [];
    for (let k = h.con.inkey(); k !== ''; k = h.con.inkey()) keys.push(k);
    expect(keys).toEqual(['x', '\r', 'y', '\r', 'z', '\r']);
  });

  it('decodes UTF-8 split across chunks and returns whole code points', async () => {
    h = harness();
    h.con.inkey();
    const bytes = Buffer.from('é😀', 'utf8');
    h.stdin.write(bytes.subarray(0, 1));
    await settle();
    expect(h.con.inkey()).toBe('');
    h.stdin.write(bytes.subarray(1));
    await settle();
    expect(h.con.inkey()).toBe('é');
    expect(h.con.inkey()).toBe('😀');
  });

  it('does not touch stdin before the first input call', async () => {
    h = harness();
    h.stdin.write('abc');
    await settle();
    expect(h.stdin.listenerCount('data')).toBe(0);
    expect(h.wake).not.toHaveBeenCalled();
    expect(h.con.inkey()).toBe('');
    await settle();
    expect(h.con.inkey()).toBe('a');
  });

  it('after the end of stdin returns "" during the grace period, then throws EndOfInput', async () => {
    h = harness({ eofGraceMs: 1000 });
    h.con.inkey();
    h.stdin.end('k');
    await settle();
    expect(h.wake).toHaveBeenCalled();
    expect(h.con.inkey()).toBe('k');
    h.clock.t = 5000;
    expect(h.con.inkey()).toBe(''); // the grace period starts at this first empty poll
    h.clock.t = 5999;
    expect(h.con.inkey()).toBe('');
    h.clock.t = 6000;
    expect(() => h!.con.inkey()).toThrow(EndOfInput);
    try {
      h.con.inkey();
    } catch (e) {
      expect((e as EndOfInput).what).toBe('Inkey$');
    }
  });

  it('uses the real clock when none is injected', async () => {
    h = harness({ now: undefined, eofGraceMs: 30 });
    h.con.inkey();
    h.stdin.end();
    await settle();
    expect(h.con.inkey()).toBe('');
    await new Promise((r) => setTimeout(r, 40));
    expect(() => h!.con.inkey()).toThrow(EndOfInput);
  });
});

describe('pipe keyboard: Wait Key', () => {
  it('is ready once a character is available, and consumes it', async () => {
    h = harness();
    const w = h.con.waitKey();
    expect(w.what).toBe('Wait Key');
    expect(w.input).toBe(true);
    expect(poll(w)).toBe(false);
    h.stdin.write('\nq');
    await settle();
    expect(poll(w)).toBe(true);
    expect(poll(w)).toBe(true);
    expect(h.con.inkey()).toBe('q');
  });

  it('throws EndOfInput when stdin ends with nothing left', async () => {
    h = harness();
    const w = h.con.waitKey();
    h.stdin.end();
    await settle();
    expect(h.wake).toHaveBeenCalled();
    expect(() => w.ready()).toThrow(EndOfInput);
  });
});

describe('pipe keyboard: readLine', () => {
  it('assembles a line across chunks, strips the newline and echoes it once consumed', async () => {
    h = harness();
    h.con.print('? ');
    const w = h.con.readLine('Input');
    expect(w.input).toBe(true);
    expect(w.what).toBe('Input');
    h.stdin.write('hel');
    await settle();
    expect(poll(w)).toBe(false);
    expect(h.stdout.text).toBe('? ');
    h.stdin.write('lo\r');
    await settle();
    h.stdin.write('\nnext\n');
    await settle();
    expect(poll(w)).toBe(true);
    expect(w.result()).toBe('hello');
    expect(h.stdout.text).toBe('? hello');
    expect(h.con.cursorX).toBe(7);
    const w2 = h.con.readLine('Line Input');
    expect(poll(w2)).toBe(true);
    expect(w2.result()).toBe('next');
    expect(h.stdout.text).toBe('? hellonext');
  });

  it('echoes without control characters', async () => {
    h = harness();
    const w = h.con.readLine('Input');
    h.stdin.write('a\x1b[31mb\tc\n');
    await settle();
    expect(poll(w)).toBe(true);
    expect(w.result()).toBe('a\x1b[31mb\tc');
    expect(h.stdout.text).toBe('a[31mb  c');
  });

  it('takes a last line without newline at the end of stdin, then throws EndOfInput', async () => {
    h = harness();
    const w = h.con.readLine('Input');
    h.stdin.write('last');
    await settle();
    expect(poll(w)).toBe(false);
    h.stdin.end();
    await settle();
    expect(poll(w)).toBe(true);
    expect(w.result()).toBe('last');
    const w2 = h.con.readLine('Input');
    let thrown: unknown;
    try {
      w2.ready();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(EndOfInput);
    expect((thrown as EndOfInput).what).toBe('Input');
  });

  it('an empty line is a line', async () => {
    h = harness();
    h.stdin.end('\n');
    const w = h.con.readLine('Input');
    await settle();
    expect(poll(w)).toBe(true);
    expect(w.result()).toBe('');
  });

  it('shares the buffer with Inkey$', async () => {
    h = harness();
    h.con.inkey();
    h.stdin.write('yes\n');
    await settle();
    expect(h.con.inkey()).toBe('y');
    const w = h.con.readLine('Input');
    expect(poll(w)).toBe(true);
    expect(w.result()).toBe('es');
  });
});

describe('pipe keyboard: close', () => {
  it('stops reading stdin, is idempotent, and ends pending input', async () => {
    h = harness();
    const w = h.con.waitKey();
    expect(h.stdin.listenerCount('data')).toBe(1);
    h.con.close();
    h.con.close();
    expect(h.stdin.listenerCount('data')).toBe(0);
    expect(h.stdin.isPaused()).toBe(true);
    expect(() => w.ready()).toThrow(EndOfInput);
  });
});
