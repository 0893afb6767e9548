import { afterEach, describe, expect, it } from 'vitest';
import { nearestXterm256, paletteRgb } from '../../src/runtime/console/palette.js';
import { type Harness, harness } from './helpers.js';

const ESC = '\x1b';
let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
});

describe('pipe output', () => {
  it('is chosen when stdout or stdin is not a TTY', () => {
    h = harness();
    expect(h.con.mode).toBe('pipe');
    expect(h.con.colorDepth).toBe('none');
    const t = harness({ tty: true });
    Object.assign(t.stdin, { isTTY: false });
    const half = harness({ stdin: t.stdin, stdout: t.stdout });
    expect(half.con.mode).toBe('pipe');
    expect(harness({ tty: true, mode: 'pipe' }).con.mode).toBe('pipe');
    t.con.close();
    half.con.close();
  });

  it('expands tabs to the next multiple of the tab width on the output line', () => {
    h = harness();
    h.con.print('A\t|\n');
    h.con.print('ABCD\t|\n');
    h.con.print('ABC\tD\t|\n');
    expect(h.stdout.text).toBe('A   |\nABCD    |\nABC D   |\n');
    h.con.tabWidth = 10;
    h.con.print('xy\t|\n');
    expect(h.stdout.text.split('\n')[3]).toBe('xy        |');
  });

  it('counts tab columns on the output line, not on the wrapped model row', () => {
    h = harness();
    h.con.print(`${'a'.repeat(81)}\t|\n`);
    expect(h.stdout.text).toBe(`${'a'.repeat(81)}   |\n`);
  });

  it('does not wrap long lines, while the model does', () => {
    h = harness();
    const long = 'x'.repeat(200);
    h.con.print(long);
    expect(h.stdout.text).toBe(long);
    expect([h.con.cursorX, h.con.cursorY]).toEqual([40, 2]);
  });

  it('shows newlines, and moves only the model for cursor controls', () => {
    h = harness();
    h.con.print('one\ntwo');
    h.con.print(`\x08\x08\x1c\x1d\x1e\x1f\x0c\rZ`);
    expect(h.stdout.text).toBe('one\ntwoZ');
    expect(h.con.screenLines()[0]).toBe('Zne');
    expect([h.con.cursorX, h.con.cursorY]).toEqual([1, 0]);
  });

  it('scrolls the model past row 24', () => {
    h = harness();
    for (let i = 1; i <= 26; i++) h.con.print(`row ${i}\n`);
    expect(h.con.screenLines()[0]).toBe('row 3');
    expect(h.con.screenLines()[23]).toBe('row 26');
    expect(h.con.cursorY).toBe(24);
    expect(h.stdout.text.split('\n')).toHaveLength(27);
  });

  it('never writes an escape byte, whatever is printed', () => {
    h = harness({ color: 'always' });
    h.con.pen = 6;
    h.con.paper = 3;
    h.con.print(`${ESC}PE4\rred${ESC}MX5\r${ESC}[31m${String.fromCharCode(0x9b)}x\n`);
    h.con.cls(2);
    h.con.cls();
    h.con.print('after\x07\n');
    h.con.close();
    expect(h.stdout.text.includes(ESC)).toBe(false);
    expect(h.stdout.text.includes('\x9b')).toBe(false);
    expect(h.stdout.text).toBe('redmx\nafter\n');
  });

  it('sends notices to stderr with a newline', () => {
    h = harness();
    h.con.notice('End of input');
    expect(h.stderr.text).toBe('End of input\n');
    expect(h.stdout.text).toBe('');
  });
});

describe('terminal output', () => {
  it('is chosen when both stdin and stdout are TTYs', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    expect(h.con.mode).toBe('terminal');
    expect(h.con.colorDepth).toBe('truecolor');
  });

  it('emits 24-bit SGR for pen 6 (#FF0000), nothing for the default colours', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    h.con.print('plain\n');
    expect(h.stdout.take()).toBe('plain\n');
    h.con.pen = 6;
    h.con.print('red');
    expect(h.stdout.take()).toBe(`${ESC}[38;2;255;0;0mred`);
    h.con.pen = 1;
    h.con.print('white');
    expect(h.stdout.take()).toBe(`${ESC}[39mwhite`);
  });

  it('colours the paper and goes back to the theme background before a newline', () => {
    h = harness({ tty: true, env: { COLORTERM: '24bit' } });
    h.con.paper = 26;
    h.con.print('blue\n');
    expect(h.stdout.take()).toBe(`${ESC}[48;2;0;0;255mblue${ESC}[49m\n`);
  });

  it('applies pen changes made by escape commands inside printed text', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    h.con.print(`a${ESC}PE11\rb`);
    expect(h.stdout.take()).toBe(`a${ESC}[38;2;0;255;0mb`);
  });

  it('falls back to the nearest xterm-256 colour without COLORTERM truecolor', () => {
    h = harness({ tty: true, env: {} });
    expect(h.con.colorDepth).toBe('256');
    h.con.pen = 6;
    h.con.print('r');
    expect(h.stdout.take()).toBe(`${ESC}[38;5;196mr`);
    expect(nearestXterm256(paletteRgb(26))).toBe(21);
    expect(nearestXterm256(paletteRgb(4))).toBe(243);
  });

  it('emits no colour codes under NO_COLOR or color "never", but still clears on Cls', () => {
    for (const opts of [{ env: { NO_COLOR: '1', COLORTERM: 'truecolor' } }, { color: 'never' as const }]) {
      const t = harness({ tty: true, ...opts });
      t.con.pen = 6;
      t.con.paper = 3;
      t.con.print('x\n');
      t.con.cls(5);
      t.con.close();
      // The end of the run puts the cursor below the window (absolute addressing: row 1 here).
      expect(t.stdout.text).toBe(`x\n${ESC}[2J${ESC}[H${ESC}[1;1H`);
    }
  });

  it('ignores an empty NO_COLOR; color "always" overrides NO_COLOR', () => {
    h = harness({ tty: true, env: { NO_COLOR: '' } });
    expect(h.con.colorDepth).toBe('256');
    const t = harness({ tty: true, color: 'always', env: { NO_COLOR: '1' } });
    expect(t.con.colorDepth).toBe('256');
    t.con.close();
  });

  it('clears the screen and homes on Cls, with the colour when it is not 0', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    h.con.print('abc');
    h.con.cls();
    expect(h.stdout.take()).toBe(`abc${ESC}[2J${ESC}[H`);
    h.con.cls(6);
    expect(h.stdout.take()).toBe(`${ESC}[48;2;255;0;0m${ESC}[2J${ESC}[H${ESC}[49m`);
    expect([h.con.cursorX, h.con.cursorY]).toEqual([0, 0]);
  });

  it('resets attributes on close, once', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    h.con.pen = 6;
    h.con.print('r');
    h.stdout.take();
    h.con.close();
    h.con.close();
    expect(h.stdout.text).toBe(`${ESC}[0m`);
  });

  it('resets colours before a notice, which starts its own line on the shared screen', () => {
    h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
    h.con.pen = 6;
    h.con.print('r');
    h.stdout.take();
    h.con.notice('careful');
    expect(h.stdout.take()).toBe(`${ESC}[0m\n`);
    expect(h.stderr.text).toBe('careful\n');
    h.con.notice('again');
    expect(h.stdout.take()).toBe('');
    h.con.print('s');
    expect(h.stdout.take()).toBe(`${ESC}[38;2;255;0;0ms`);
  });

  it('expands tabs like a pipe does', () => {
    h = harness({ tty: true, env: {} });
    h.con.print('A\tB\n');
    expect(h.stdout.text).toBe('A   B\n');
  });
});
