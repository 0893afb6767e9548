/**
 * Keys typed in a real terminal (tmux send-keys), read in raw mode by the built CLI: Inkey$ and
 * ScanCode for arrows and letters (AOZ's codes), Wait Key, Input's line editing, and what the
 * terminal shows while a program draws the window and does not read the keyboard.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_TMUX, NO_TMUX_NOTICE, parallelTests, TmuxServer } from './tmux.js';

if (!HAVE_TMUX) console.warn(NO_TMUX_NOTICE);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!HAVE_TMUX)('keys in a terminal (tmux)', () => {
  const server = new TmuxServer();
  const test = parallelTests(server);

  describe('reading keys', () => {
    test('Inkey$ gives AOZ codes for the arrows (Left 28, Right 31, Up 29, Down 30) and ScanCode the key code', async () => {
      const pane = await server.run({
        source: [
          'Print "READY"',
          'N = 0',
          'Do',
          '  K$ = Inkey$',
          '  If K$ <> "" Then Print "K"; Asc(K$); " S"; Scancode : N = N + 1',
          '  Exit If N = 6',
          'Loop',
        ].join('\n'),
      });
      await pane.waitForText('READY');
      // One key at a time: AOZ keeps only the key pressed last until Inkey$ reads it.
      const keys: [string, string][] = [
        ['Left', 'K 28 S 37'],
        ['Right', 'K 31 S 39'],
        ['Up', 'K 29 S 38'],
        ['Down', 'K 30 S 40'],
        ['a', 'K 97 S 65'],
        ['Z', 'K 90 S 90'],
      ];
      for (const [i, [key, shown]] of keys.entries()) {
        await pane.keys(key);
        await pane.waitFor((lines) => lines[1 + i] === shown, `${shown} for ${key}`);
      }
      expect(await pane.exitStatus()).toBe(0);
      expect((await pane.lines()).slice(0, 7)).toEqual(['READY', ...keys.map(([, shown]) => shown)]);
    });

    test('Wait Key waits for one key, without Return and without echoing it', async () => {
      const pane = await server.run({ source: 'Print "W1"\nWait Key\nPrint "W2"\n' });
      await pane.waitForText('W1');
      await sleep(300);
      expect(await pane.lines()).not.toContain('W2');
      await pane.type('q');
      expect(await pane.exitStatus()).toBe(0);
      const lines = await pane.lines();
      expect(lines.slice(0, 2)).toEqual(['W1', 'W2']);
      expect(lines.join('\n')).not.toContain('q');
    });

    test('Input edits the line: typing, Left, Backspace, Right, Enter give the edited line', async () => {
      const pane = await server.run({ source: 'Input "Name: ";A$\nPrint "[";A$;"]"\n' });
      await pane.waitForText('Name:');
      await pane.type('helo');
      await pane.keys('Left', 'Left', 'BSpace');
      await pane.type('X');
      await pane.keys('Right');
      await pane.type('!');
      // What is being edited shows as it is typed.
      await pane.waitForText('Name: hXl!o');
      await pane.keys('Enter');
      expect(await pane.exitStatus()).toBe(0);
      expect((await pane.lines()).slice(0, 2)).toEqual(['Name: hXl!o', '[hXl!o]']);
    });

    test('Input in screen mode echoes where the window cursor is', async () => {
      const pane = await server.run({
        source: 'Locate 20,3 : Print "header"\nLocate 5,10 : Input "Age? ";N\nPrint "N=";N*2\n',
      });
      await pane.waitForText('Age?');
      await pane.type('4');
      await pane.type('2');
      await pane.waitForText('Age? 42');
      await pane.keys('Enter');
      expect(await pane.exitStatus()).toBe(0);
      const lines = await pane.lines();
      expect(lines[3]).toBe(`${' '.repeat(20)}header`);
      expect(lines[10]).toBe(`${' '.repeat(5)}Age? 42`);
      expect(lines[11]).toBe('N= 84');
    });
  });

  describe('keys typed while the window is drawn and the program does not read them', () => {
    test('are not echoed over the window', async () => {
      const pane = await server.run({
        source: 'Locate 0,2 : Print "BUSY"\nWait 1\nLocate 0,4 : Print "DONE"\n',
      });
      await pane.waitForText('BUSY');
      await pane.type('zzz');
      expect(await pane.exitStatus()).toBe(0);
      const lines = await pane.lines();
      // (Typed after the end of the run on a very slow machine, they would show at READY> below.)
      expect(lines.slice(0, 6)).toEqual(['', '', 'BUSY', '', 'DONE', '__EXIT=0__']);
    });

    test('Ctrl-C during Do : Loop ends the run with status 130, without "^C" over the window', async () => {
      const pane = await server.run({ source: 'Locate 0,2 : Print "LOOPING";\nDo : Loop\n' });
      await pane.waitForText('LOOPING');
      await pane.keys('C-c');
      expect(await pane.exitStatus()).toBe(130);
      const lines = await pane.lines();
      expect(lines[2]).toBe('LOOPING');
      expect(lines[3]).toMatch(/^Interrupted \(Ctrl-C\)/);
      expect(lines.join('\n')).not.toContain('^C');
    });
  });
});

if (!HAVE_TMUX) it.skip(NO_TMUX_NOTICE, () => {});
