/**
 * What a user sees when the built CLI draws AOZ's text window in a real terminal (tmux): where
 * Locate, Centre, Home, the cursor moves and At() put text, what Cls clears, the colours and
 * styles (capture-pane -e) at each colour depth, and a terminal shorter than the window.
 * The programs run all at once, each in its own pane (tmux.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  type Attrs,
  attrsAt,
  type Cell,
  HAVE_TMUX,
  NO_TMUX_NOTICE,
  Pane,
  PLAIN,
  parallelTests,
  type RunOptions,
  TmuxServer,
} from './tmux.js';

if (!HAVE_TMUX) console.warn(NO_TMUX_NOTICE);

/** The attributes shared by the cells [x, x + n) of a row ("mixed" when they differ). */
function attrsOf(cells: Cell[][], y: number, x: number, n: number): Attrs | 'mixed' | undefined {
  const all = attrsAt(cells, y, x, n);
  const first = JSON.stringify(all[0]);
  return all.every((a) => JSON.stringify(a) === first) ? all[0] : 'mixed';
}

const spaces = (n: number): string => ' '.repeat(n);

describe.skipIf(!HAVE_TMUX)('the text window in a terminal (tmux)', () => {
  const server = new TmuxServer();
  const test = parallelTests(server);

  /** Runs a program to its end; the screen then, and the row of the shell's line after it. */
  async function screen(
    o: RunOptions,
  ): Promise<{ lines: string[]; cells: Cell[][]; after: number; pane: Pane }> {
    const pane = await server.run(o);
    expect(await pane.exitStatus()).toBe(0);
    const lines = await pane.lines();
    return { lines, cells: await pane.cells(), after: Pane.rowOf(lines, '__EXIT='), pane };
  }

  describe('positions', () => {
    test('Locate x,y prints at column x of row y; the switch keeps what was printed, clears the rest', async () => {
      const { lines, after } = await screen({
        source: 'Print "first"\nLocate 10,5 : Print "X"\n',
        before: '$ aozrun locate.aoz',
      });
      expect(lines.slice(0, 7)).toEqual(['first', '', '', '', '', `${spaces(10)}X`, '__EXIT=0__']);
      expect(lines.join('\n')).not.toContain('$ aozrun');
      // The shell's output goes on the line below the window's last one.
      expect(after).toBe(6);
    });

    test('Centre prints at column 40 - len/2 of the current row', async () => {
      const { lines } = await screen({
        source:
          'Locate 0,3 : Centre "hello"\nLocate 0,4 : Centre "abcd"\nLocate 0,6 : Centre "centred text!"\n',
      });
      expect(lines[3]).toBe(`${spaces(38)}hello`);
      expect(lines[4]).toBe(`${spaces(38)}abcd`);
      expect(lines[6]).toBe(`${spaces(34)}centred text!`);
    });

    test('Cls clears what was printed before, on the screen too', async () => {
      const { lines, after } = await screen({
        source: 'Print "old one"\nLocate 0,10 : Print "old two"\nCls\nPrint "new"\n',
        before: 'shell line',
      });
      expect(lines[0]).toBe('new');
      expect(lines.join('\n')).not.toMatch(/old|shell line/);
      expect(after).toBe(1);
    });

    test('Home and the cursor moves (CDown, CRight, CUp, CLeft) move where the next Print goes', async () => {
      const { lines } = await screen({
        source: [
          'Locate 5,5 : Print "A";',
          'Home : Print "H";',
          'CDown : CDown : CRight : Print "M";',
          'CUp : CLeft : CLeft : Print "U";',
          'Locate 0,7',
        ].join('\n'),
      });
      expect(lines.slice(0, 6)).toEqual(['H', ' U', '  M', '', '', `${spaces(5)}A`]);
    });

    test('At(x,y) inside Print moves the cursor between the strings', async () => {
      const { lines } = await screen({ source: 'Print At(20,8);"AT";At(3,12);"B"\n' });
      expect(lines[8]).toBe(`${spaces(20)}AT`);
      expect(lines[12]).toBe(`${spaces(3)}B`);
      expect(lines.slice(0, 8).every((l) => l === '')).toBe(true);
    });

    test('a listing longer than the window scrolls it: the last 24 lines show above the cursor', async () => {
      const { lines, after } = await screen({
        source: 'Locate 0,0\nFor I = 0 To 39 : Print "Line"; I : Next I\n',
      });
      expect(lines.slice(0, 24)).toEqual(Array.from({ length: 24 }, (_, i) => `Line ${i + 16}`));
      expect(after).toBe(24);
    });
  });

  describe('colours and styles', () => {
    const STYLED = [
      'Pen 6 : Print "red" : Pen 1',
      'Print "plain"',
      'Paper 11 : Print "greenbg" : Paper 0',
      'Inverse On : Print "inv" : Inverse Off',
      'Under On : Print "und" : Under Off',
      'Print "end"',
    ].join('\n');

    /** Checks the rows STYLED prints from row `top`, with the colours expected for Pen 6 and Paper 11. */
    function expectStyled(cells: Cell[][], lines: string[], top: number, red: string, green: string): void {
      expect(lines.slice(top, top + 6)).toEqual(['red', 'plain', 'greenbg', 'inv', 'und', 'end']);
      expect(attrsOf(cells, top, 0, 3)).toEqual({ ...PLAIN, fg: red });
      expect(attrsOf(cells, top + 1, 0, 5)).toEqual(PLAIN);
      expect(attrsOf(cells, top + 2, 0, 7)).toEqual({ ...PLAIN, bg: green });
      // The paper does not run on to the end of the line.
      expect(attrsAt(cells, top + 2, 7, 1)[0] ?? PLAIN).toEqual(PLAIN);
      expect(attrsOf(cells, top + 3, 0, 3)).toEqual({ ...PLAIN, inverse: true });
      expect(attrsOf(cells, top + 4, 0, 3)).toEqual({ ...PLAIN, underline: true });
      expect(attrsOf(cells, top + 5, 0, 3)).toEqual(PLAIN);
    }

    test('stream mode, COLORTERM=truecolor: 24-bit colours from the AOZ palette', async () => {
      const { cells, lines } = await screen({ source: STYLED, env: { COLORTERM: 'truecolor' } });
      expectStyled(cells, lines, 0, '2:255,0,0', '2:0,255,0');
    });

    test('screen mode, COLORTERM=truecolor: the same colours, drawn cell by cell', async () => {
      const { cells, lines } = await screen({
        source: `Locate 0,2\n${STYLED}\nLocate 0,9 : Print "Z"`,
        env: { COLORTERM: 'truecolor' },
      });
      expectStyled(cells, lines, 2, '2:255,0,0', '2:0,255,0');
    });

    test('without COLORTERM: the nearest xterm-256 colours', async () => {
      const { cells, lines } = await screen({ source: `Locate 0,2\n${STYLED}` });
      expectStyled(cells, lines, 2, '5:196', '5:46');
    });

    test('NO_COLOR=1: no colours, but Inverse and Under still show', async () => {
      const { cells, lines } = await screen({
        source: STYLED,
        env: { NO_COLOR: '1', COLORTERM: 'truecolor' },
      });
      expectStyled(cells, lines, 0, 'default', 'default');
    });

    test('--color never: no colours, even with COLORTERM=truecolor', async () => {
      const { cells, lines } = await screen({
        source: `Locate 0,2\n${STYLED}`,
        args: ['--color', 'never'],
        env: { COLORTERM: 'truecolor' },
      });
      expectStyled(cells, lines, 2, 'default', 'default');
    });

    test('Cls with a colour paints the screen with it; text keeps its paper; the shell gets its colours back', async () => {
      const { cells, lines, after } = await screen({
        source: 'Cls 6 : Pen 16 : Locate 2,1 : Print "yellow on red"\n',
        env: { COLORTERM: 'truecolor' },
      });
      expect(lines[1]).toBe('  yellow on red');
      // Paper is still 0, the terminal's own background (AOZ draws text with the paper, not the Cls colour).
      expect(attrsOf(cells, 1, 2, 13)).toEqual({ ...PLAIN, fg: '2:255,255,0' });
      // The cells cleared in the Cls colour (capture-pane only reports those left of something drawn).
      expect(attrsOf(cells, 1, 0, 2)).toEqual({ ...PLAIN, bg: '2:255,0,0' });
      expect(attrsOf(cells, after, 0, 8)).toEqual(PLAIN);
    });
  });

  test('a terminal shorter than the window (80x24) shows the rows around the cursor', async () => {
    const pane = await server.run({
      cols: 80,
      rows: 24,
      source: [
        'For I = 0 To 24 : Locate 0, I : Print "Row"; I; : Next I',
        'Print At(70,24);"END";',
        'Wait Key',
        'Locate 0,0 : Print "TOP";',
        'Wait Key',
      ].join('\n'),
    });
    // The cursor is on the window's last row: rows 1 to 24 show.
    let lines = await pane.waitForText('END');
    expect(lines).toEqual(
      Array.from({ length: 24 }, (_, i) => (i === 23 ? `Row 24${spaces(64)}END` : `Row ${i + 1}`)),
    );
    await pane.type('x');
    // Back on the first row: rows 0 to 23 show.
    lines = await pane.waitForText('TOP');
    expect(lines).toEqual(Array.from({ length: 24 }, (_, i) => (i === 0 ? 'TOP 0' : `Row ${i}`)));
    await pane.type('x');
    expect(await pane.exitStatus()).toBe(0);
  });

  test('a resize while the program waits for a key repaints the window at once', async () => {
    const pane = await server.run({
      source: 'For I = 0 To 24 : Locate 0, I : Print "Row"; I; : Next I\nPrint " END";\nWait Key\n',
    });
    const rows = Array.from({ length: 25 }, (_, i) => (i === 24 ? 'Row 24 END' : `Row ${i}`));
    expect((await pane.waitForText('Row 24 END')).slice(0, 25)).toEqual(rows);
    // 15 rows: those around the cursor (on the last row) show.
    await pane.resize(70, 15);
    await pane.waitFor((lines) => lines[14] === 'Row 24 END', 'the rows around the cursor', 5000);
    expect(await pane.lines()).toEqual(rows.slice(10));
    // Back to 30 rows: the whole window again.
    await pane.resize(100, 30);
    const lines = await pane.waitFor(
      (l) => l[0] === 'Row 0' && l[24] === 'Row 24 END',
      'the whole window',
      5000,
    );
    expect(lines.slice(0, 25)).toEqual(rows);
    await pane.type('x');
    expect(await pane.exitStatus()).toBe(0);
  });
});

if (!HAVE_TMUX) it.skip(NO_TMUX_NOTICE, () => {});
