/**
 * The terminal is given back in a usable state on every way a run ends: normal end, End, a
 * runtime error, Ctrl-C (typed in raw mode, typed as SIGINT outside raw mode, sent with kill,
 * during Do : Loop, Wait Key and Input), SIGTERM, SIGHUP, SIGQUIT, --timeout. After each, in
 * the same terminal (tmux.ts):
 * - the exit status is the documented one (128 + the signal number for a signal);
 * - raw mode is off (stty: icanon echo isig icrnl) and a line typed at the shell's prompt is
 *   echoed and read back on Return;
 * - the cursor is shown (the programs say Curs Off) and the attributes are reset (the programs
 *   leave Pen, Paper, Inverse and Under on): the shell's output after the run is plain;
 * - in screen mode, the cursor was left below the drawn window: what the program drew is
 *   intact and the shell's output (and any notice) comes after it.
 */
import { describe, expect, it } from 'vitest';
import { attrsAt, HAVE_TMUX, NO_TMUX_NOTICE, Pane, PLAIN, parallelTests, TmuxServer } from './tmux.js';

if (!HAVE_TMUX) console.warn(NO_TMUX_NOTICE);

/** Screen mode, every attribute on, the cursor hidden, raw mode (Inkey$), then "RUNNING" on row 2. */
const SCREEN = [
  'Curs Off : Pen 6 : Paper 11 : Inverse On : Under On',
  'A$ = Inkey$',
  'Locate 0,2 : Print "RUNNING";',
].join('\n');

/** The same in stream mode (no Locate): what a pipe would show, plus the attributes. */
const STREAM = [
  'Curs Off : Pen 6 : Paper 11 : Inverse On : Under On',
  'A$ = Inkey$',
  'Print "RUNNING";',
].join('\n');

interface Case {
  name: string;
  source: string;
  args?: string[];
  /** What shows once the program is where the test acts (default RUNNING). */
  ready?: string;
  /** What the test does then (nothing: the program ends by itself). */
  act?: (pane: Pane) => Promise<void> | void;
  status: number;
  /** Screen mode: the row where `ready` was drawn, which must stay intact (row 2 for SCREEN). */
  drawnRow?: number;
  /** Shown after the drawn window (a notice). */
  notice?: RegExp;
}

const CASES: Case[] = [
  { name: 'normal end', source: `${SCREEN}\n`, status: 0, drawnRow: 2 },
  { name: 'End', source: `${SCREEN}\nEnd\nPrint "not here"\n`, status: 0, drawnRow: 2 },
  {
    name: 'a runtime error',
    source: `${SCREEN}\nPrint 1/0\n`,
    status: 1,
    drawnRow: 2,
    notice: /division by zero/,
  },
  {
    name: 'Ctrl-C typed in raw mode during Do : Loop',
    source: `${SCREEN}\nDo : Loop\n`,
    act: (pane) => pane.keys('C-c'),
    status: 130,
    drawnRow: 2,
    notice: /Interrupted \(Ctrl-C\)/,
  },
  {
    name: 'SIGINT sent to the process',
    source: `${SCREEN}\nDo : Loop\n`,
    act: (pane) => pane.kill('SIGINT'),
    status: 130,
    drawnRow: 2,
    notice: /Interrupted \(Ctrl-C\)/,
  },
  {
    name: 'Ctrl-C typed outside raw mode (the terminal sends SIGINT), stream mode',
    source: 'Curs Off : Pen 6 : Inverse On\nPrint "RUNNING";\nDo : Loop\n',
    act: (pane) => pane.keys('C-c'),
    status: 130,
    notice: /Interrupted \(Ctrl-C\)/,
  },
  {
    name: 'Ctrl-C while Input edits a line',
    source: 'Curs Off : Pen 6 : Paper 11\nLocate 0,2 : Input "Name? ";A$\n',
    ready: 'Name? ab',
    act: async (pane) => {
      await pane.waitForText('Name?');
      await pane.type('ab');
      await pane.waitForText('Name? ab');
      await pane.keys('C-c');
    },
    status: 130,
    drawnRow: 2,
    notice: /Interrupted \(Ctrl-C\)/,
  },
  {
    name: 'Ctrl-C during Wait Key',
    source: `${SCREEN}\nWait Key\n`,
    act: (pane) => pane.keys('C-c'),
    status: 130,
    drawnRow: 2,
    notice: /Interrupted \(Ctrl-C\)/,
  },
  {
    name: 'SIGTERM',
    source: `${SCREEN}\nDo : Loop\n`,
    act: (pane) => pane.kill('SIGTERM'),
    status: 143,
    drawnRow: 2,
  },
  {
    name: 'SIGHUP',
    source: `${SCREEN}\nDo : Loop\n`,
    act: (pane) => pane.kill('SIGHUP'),
    status: 129,
    drawnRow: 2,
  },
  {
    name: 'SIGQUIT',
    source: `${SCREEN}\nDo : Loop\n`,
    act: (pane) => pane.kill('SIGQUIT'),
    status: 131,
    drawnRow: 2,
  },
  {
    name: 'SIGTERM in stream mode',
    source: `${STREAM}\nDo : Loop\n`,
    act: (pane) => pane.kill('SIGTERM'),
    status: 143,
  },
  {
    name: 'SIGTERM while Input edits a line',
    source: 'Curs Off : Pen 6 : Paper 11\nLocate 0,2 : Input "Name? ";A$\n',
    ready: 'Name? ab',
    act: async (pane) => {
      await pane.waitForText('Name?');
      await pane.type('ab');
      await pane.waitForText('Name? ab');
      pane.kill('SIGTERM');
    },
    status: 143,
    drawnRow: 2,
  },
  {
    name: '--timeout',
    source: `${SCREEN}\nDo : Loop\n`,
    args: ['--timeout', '0.5'],
    status: 124,
    drawnRow: 2,
    notice: /time limit/,
  },
];

describe.skipIf(!HAVE_TMUX)('the terminal is restored when a run ends (tmux)', () => {
  const server = new TmuxServer();
  const test = parallelTests(server);

  for (const c of CASES) test(c.name, () => check(c));

  async function check(c: Case): Promise<void> {
    const pane = await server.run({ source: c.source, args: c.args ?? [], env: { COLORTERM: 'truecolor' } });
    const ready = c.ready ?? 'RUNNING';
    if (c.act) {
      if (!c.ready) await pane.waitForText(ready);
      await c.act(pane);
    }
    const done = await pane.finish('typed words');
    const { lines } = done;

    expect(done.status).toBe(c.status);
    // Raw mode is off: the shell read a line, which the terminal echoed as it was typed.
    expect(done.stty.sort()).toEqual(['echo', 'icanon', 'icrnl', 'isig']);
    expect(done.got).toBe('typed words');
    const readyRow = Pane.rowOf(lines, 'READY> typed words');
    expect(readyRow).toBeGreaterThan(0);
    // The cursor is shown and the shell's output has the terminal's own attributes.
    expect((await pane.cursor()).visible).toBe(true);
    const cells = await pane.cells();
    const exitRow = Pane.rowOf(lines, '__EXIT=');
    const exitCol = lines[exitRow]!.indexOf('__EXIT=');
    const exitLength = `__EXIT=${c.status}__`.length;
    expect(attrsAt(cells, exitRow, exitCol, exitLength)).toEqual(Array(exitLength).fill(PLAIN));
    expect(attrsAt(cells, readyRow, 0, 18)).toEqual(Array(18).fill(PLAIN));

    if (c.drawnRow !== undefined) {
      // What the program drew is intact, and everything after the run comes below it.
      expect(lines[c.drawnRow]).toBe(ready);
      expect(exitRow).toBeGreaterThan(c.drawnRow);
      expect(exitCol).toBe(0);
    } else {
      expect(lines[0]!.startsWith(ready)).toBe(true);
    }
    if (c.notice) {
      const noticeRow = lines.findIndex((l) => c.notice!.test(l));
      expect(noticeRow).toBeGreaterThan(c.drawnRow ?? 0);
      expect(noticeRow).toBeLessThan(exitRow);
    }
    expect(lines.join('\n')).not.toContain('not here');
  }
});

if (!HAVE_TMUX) it.skip(NO_TMUX_NOTICE, () => {});
