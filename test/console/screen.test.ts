/**
 * Terminal drawing (terminal.ts): a program that only prints stays a stream; the first cursor
 * positioning switches to drawing the 80x25 window at the top of the terminal. The output is
 * replayed on a small VT emulator and compared with the model, cell by cell.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STYLE } from '../../src/runtime/console/index.js';
import { Session } from '../../src/session.js';
import { Collector, type FakeStdin, type Harness, harness, settle } from './helpers.js';
import { Vt } from './vt.js';

const ESC = '\x1b';
let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
});

function tty(size: { columns?: number; rows?: number } = {}): Harness {
  const t = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
  t.stdout.columns = size.columns ?? 80;
  t.stdout.rows = size.rows ?? 25;
  return t;
}

/** What the terminal shows of model rows [top, top + rows), as the model has them. */
function modelRows(t: Harness, top = 0, rows = 25, cols = 80): string[] {
  return t.con
    .screenLines()
    .slice(top, top + rows)
    .map((l) => l.slice(0, cols));
}

describe('stream mode (before any cursor positioning)', () => {
  it('writes plain prints as a pipe would, without cursor addressing', () => {
    h = tty();
    h.con.print('Hello\n');
    h.con.print('A\tB\n');
    expect(h.stdout.text).toBe('Hello\nA   B\n');
  });

  it('shows Inverse, Under and Shade as SGR 7, 4 and 2, switched off when the style ends', () => {
    h = tty();
    h.con.setStyle(STYLE.inverse, true);
    h.con.print('inv');
    h.con.setStyle(STYLE.inverse, false);
    h.con.setStyle(STYLE.under, true);
    h.con.print('und');
    h.con.setStyle(STYLE.under, false);
    h.con.setStyle(STYLE.shade, true);
    h.con.print('dim');
    h.con.setStyle(STYLE.shade, false);
    h.con.print('x');
    expect(h.stdout.text).toBe(`${ESC}[7minv${ESC}[27;4mund${ESC}[24;2mdim${ESC}[22mx`);
  });

  it('switches off inverse before a new line (the terminal would fill the new line with it)', () => {
    h = tty();
    h.con.setStyle(STYLE.inverse, true);
    h.con.print('a\nb');
    expect(h.stdout.text).toBe(`${ESC}[7ma${ESC}[27m\n${ESC}[7mb`);
  });
});

describe('screen mode', () => {
  it('starts at the first Locate: clears the terminal and paints what was printed, in place', () => {
    h = tty();
    h.con.print('first\nsecond\n');
    h.stdout.take();
    h.con.locate(10, 5);
    h.con.print('here');
    const vt = new Vt().write(h.stdout.text);
    expect(vt.lines()).toEqual(modelRows(h));
    expect(vt.lines().slice(0, 6)).toEqual(['first', 'second', '', '', '', '          here']);
    expect([vt.x, vt.y]).toEqual([14, 5]);
  });

  it('redraws only what changed once switched', () => {
    h = tty();
    h.con.home();
    h.stdout.take();
    h.con.print('abc');
    expect(h.stdout.take()).toBe('abc');
    h.con.locate(40, 10);
    expect(h.stdout.take()).toBe(`${ESC}[11;41H`);
    h.con.print('x\n');
    expect(h.stdout.take()).toBe(`x${ESC}[12;1H`);
  });

  it('keeps Cls as a clear and home, and then draws in place', () => {
    h = tty();
    h.con.print('old');
    h.con.cls();
    h.con.print('new');
    h.con.locate(0, 2);
    h.con.print('third row');
    expect(h.stdout.text).toBe(`old${ESC}[2J${ESC}[Hnew${ESC}[3;1Hthird row`);
  });

  it('scrolls the window rows with a scroll region instead of repainting', () => {
    h = tty({ rows: 30 });
    h.con.cls();
    for (let i = 0; i < 25; i++) h.con.print(`line ${i}\n`);
    const out = h.stdout.take();
    expect(out).toContain(`${ESC}[1;25r${ESC}[25;1H${ESC}D${ESC}[r`);
    const vt = new Vt(80, 30).write(`${ESC}[2J${ESC}[H${out}`);
    expect(vt.lines().slice(0, 25)).toEqual(modelRows(h));
    expect(vt.lines()[0]).toBe('line 1');
  });

  it('matches the model after any mix of operations (randomised)', () => {
    for (const size of [
      { columns: 80, rows: 25 },
      { columns: 100, rows: 40 },
      { columns: 60, rows: 24 },
    ]) {
      const t = tty(size);
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      t.con.print('some stream text first\n');
      const vt = new Vt(size.columns, size.rows);
      let drawn = 0;
      for (let step = 0; step < 400; step++) {
        switch (rnd(10)) {
          case 0:
            t.con.locate(rnd(80), rnd(25));
            break;
          case 1:
            t.con.print(`${'word '.repeat(rnd(30))}\n`);
            break;
          case 2:
            t.con.cmove(rnd(200) - 100, rnd(8) - 4);
            break;
          case 3:
            t.con.cline(rnd(2) === 0 ? undefined : rnd(90));
            break;
          case 4:
            t.con.paper = rnd(4);
            t.con.pen = rnd(8);
            t.con.setStyle(STYLE.inverse, rnd(2) === 0);
            t.con.print(`[${step}]`);
            break;
          case 5:
            t.con.print(String.fromCharCode(28 + rnd(4)).repeat(rnd(5)));
            break;
          case 6:
            t.con.print(`tab\there\t${rnd(1000)}`);
            break;
          case 7:
            if (rnd(8) === 0) t.con.cls(rnd(3));
            else t.con.centre(`centred ${step}`);
            break;
          case 8:
            t.con.print('\n'.repeat(rnd(30)));
            break;
          default:
            t.con.print(`${ESC}DY-${rnd(30)}\r${ESC}MX${rnd(80)}\rz`);
        }
        // Before the first positioning the terminal is a stream: taller than the window, it
        // does not scroll with it.
        vt.write(t.stdout.take());
        if (!t.con.drawing) continue;
        const shown = Math.min(25, size.rows);
        const top = t.con.cursorY - vt.y; // the rows shown follow the cursor
        expect(top).toBeGreaterThanOrEqual(0);
        expect(vt.lines().slice(0, shown)).toEqual(
          modelRows(t, top, shown, size.columns).map((l) => l.trimEnd()),
        );
        expect([vt.x, vt.y]).toEqual([Math.min(t.con.cursorX, size.columns - 1), t.con.cursorY - top]);
        drawn++;
      }
      expect(drawn).toBeGreaterThan(300);
      t.con.close();
    }
  });

  it('records Inverse and Under per cell and draws them', () => {
    h = tty();
    h.con.home();
    h.con.setStyle(STYLE.inverse, true);
    h.con.print('I');
    h.con.setStyle(STYLE.inverse, false);
    h.con.setStyle(STYLE.under, true);
    h.con.print('U');
    h.con.setStyle(STYLE.under, false);
    h.con.print('n');
    const vt = new Vt().write(h.stdout.text);
    expect(vt.inverse[0]!.slice(0, 3)).toEqual([true, false, false]);
    expect(vt.under[0]!.slice(0, 3)).toEqual([false, true, false]);
    expect(h.con.window.styleAt(0, 0)).toBe(STYLE.inverse);
  });

  it('on a 24-row terminal, shows the rows around the cursor', () => {
    h = tty({ rows: 24 });
    h.con.locate(0, 0);
    h.con.print('top row');
    h.con.locate(0, 24);
    h.con.print('bottom row');
    let vt = new Vt(80, 24).write(h.stdout.text);
    expect(vt.lines()).toEqual(modelRows(h, 1, 24));
    expect(vt.lines()[23]).toBe('bottom row');
    h.con.home();
    vt = new Vt(80, 24).write(h.stdout.text);
    expect(vt.lines()).toEqual(modelRows(h, 0, 24));
    expect(vt.lines()[0]).toBe('top row');
    expect([vt.x, vt.y]).toEqual([0, 0]);
  });

  it('repaints after a resize', () => {
    h = tty();
    h.con.home();
    h.con.print('resize me');
    h.stdout.rows = 10;
    h.con.locate(0, 20);
    h.con.print('low');
    const vt = new Vt(80, 10).write(h.stdout.text);
    expect(vt.lines()).toEqual(modelRows(h, 11, 10));
  });

  it('repaints at once when the terminal is resized, without waiting for the next Print', () => {
    h = tty({ rows: 30 });
    h.con.locate(0, 24);
    h.con.print('bottom row');
    h.con.home();
    h.stdout.rows = 10;
    h.stdout.emit('resize');
    let vt = new Vt(80, 10).write(h.stdout.take());
    expect(vt.lines()).toEqual(modelRows(h, 0, 10));
    h.stdout.rows = 30;
    h.stdout.emit('resize');
    vt = new Vt(80, 30).write(h.stdout.take());
    expect(vt.lines().slice(0, 25)).toEqual(modelRows(h));
    expect(vt.lines()[24]).toBe('bottom row');
    // Once the run ended, a resize draws nothing.
    h.con.close();
    h.stdout.take();
    h.stdout.emit('resize');
    expect(h.stdout.text).toBe('');
    expect(h.stdout.listenerCount('resize')).toBe(0);
  });

  it('parks the cursor below what the window shows when the run ends', () => {
    h = tty({ rows: 40 });
    h.con.locate(0, 10);
    h.con.print('last text');
    h.con.home();
    h.con.close();
    const vt = new Vt(80, 40).write(h.stdout.text);
    expect([vt.x, vt.y]).toEqual([0, 11]);
  });

  it('scrolls the terminal by one line to park when the window fills it', () => {
    h = tty();
    h.con.locate(0, 24);
    h.con.print('bottom');
    h.con.close();
    expect(h.stdout.text.endsWith(`${ESC}[25;1H\n`)).toBe(true);
  });

  it('writes a notice below the window and repaints before drawing again', () => {
    h = tty({ rows: 40 });
    h.con.locate(0, 3);
    h.con.print('text');
    h.con.notice('Warning: careful');
    expect(h.stderr.text).toBe('Warning: careful\n');
    const parkedAt = new Vt(80, 40).write(h.stdout.text);
    expect([parkedAt.x, parkedAt.y]).toEqual([0, 4]);
    h.con.print('more');
    const vt = new Vt(80, 40).write(h.stdout.text);
    expect(vt.lines().slice(0, 25)).toEqual(modelRows(h));
  });

  it('hides and shows the terminal cursor on Curs Off/On, and shows it again at the end', () => {
    h = tty();
    h.con.setCursor(false);
    expect(h.stdout.take()).toBe(`${ESC}[?25l`);
    h.con.setCursor(false);
    expect(h.stdout.take()).toBe('');
    h.con.setCursor(true);
    expect(h.stdout.take()).toBe(`${ESC}[?25h`);
    h.con.setCursor(false);
    h.stdout.take();
    h.con.close();
    expect(h.stdout.take()).toBe(`${ESC}[?25h`);
  });

  it('shows the cursor while Input edits a line, even after Curs Off', async () => {
    h = tty();
    h.con.setCursor(false);
    h.con.locate(10, 5);
    h.con.print('Name? ');
    const w = h.con.readLine('Input');
    const vt = new Vt().write(h.stdout.text);
    expect(vt.cursorVisible).toBe(true);
    h.stdin.write('Bob\r');
    await settle();
    expect(w.ready()).toBe(true);
    vt.write(h.stdout.take());
    expect(vt.lines()[5]).toBe('          Name? Bob');
    expect(vt.cursorVisible).toBe(false);
    h.con.print('!');
    vt.write(h.stdout.take());
    expect(vt.lines()[5]).toBe('          Name? Bob!');
    expect(vt.lines()).toEqual(modelRows(h));
  });
});

describe('a program run in a terminal', () => {
  it('draws Locate, At, Centre and the cursor moves where the window has them', async () => {
    const stdin: FakeStdin = new PassThrough();
    stdin.isTTY = true;
    stdin.setRawMode = vi.fn();
    const stdout = new Collector();
    stdout.isTTY = true;
    stdout.columns = 80;
    stdout.rows = 30;
    const source = [
      'Print "before"',
      'Locate 10,3 : Print "ten";',
      'Print At(2,5)+"at";',
      'Locate 0,7 : Centre "middle"',
      'Locate 0,9 : Print "AOZ"+CLeft$+CLeft$+"Z"',
      'Curs Off',
    ].join('\n');
    const session = new Session({ file: 't.aoz', source, stdin, stdout, stderr: new Collector(), env: {} });
    expect(await session.run()).toBe(0);
    const vt = new Vt(80, 30).write(stdout.text);
    expect(vt.lines().slice(0, 11)).toEqual([
      'before',
      '',
      '',
      '          ten',
      '',
      '  at',
      '',
      `${' '.repeat(37)}middle`,
      '',
      'AZZ',
      '',
    ]);
    expect([vt.x, vt.y, vt.cursorVisible]).toEqual([0, 10, true]);
  });
});

describe('pipes never see any of it', () => {
  it('shows only printed text for cursor positioning, styles and clearing', () => {
    h = harness();
    h.con.locate(10, 5);
    h.con.print('a');
    h.con.centre('mid');
    h.con.cmove(3, 3);
    h.con.cline();
    h.con.setStyle(STYLE.inverse, true);
    h.con.setCursor(false);
    h.con.print(`${ESC}MX2\rb\n`);
    h.con.clw(3);
    h.con.close();
    expect(h.stdout.text).toBe('amidb\n');
  });
});
