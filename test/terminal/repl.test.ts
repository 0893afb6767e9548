/**
 * The interactive session in a real terminal (tmux): what a user typing at `aozrun` sees.
 * Every test waits for the prompt before typing, as a user does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_TMUX, NO_TMUX_NOTICE, type Pane, parallelTests, TmuxServer } from './tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'aozrun-repl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A history file of each test's own. */
let histories = 0;
const history = (): string => join(dir, `history-${++histories}`);

/** The rows up to the last one that is not empty. */
function text(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

const lastRow = (lines: string[]): string => text(lines).at(-1) ?? '';

/** Waits until the last row shows the prompt `shown` (">" or "...") with nothing typed. */
function prompt(pane: Pane, shown = '>'): Promise<string[]> {
  return pane.waitFor((lines) => lastRow(lines) === shown, `the prompt "${shown}"`);
}

/** Waits for the empty prompt, then types `line` and Return. */
async function enter(pane: Pane, line: string, shown = '>'): Promise<void> {
  await prompt(pane, shown);
  await pane.type(line);
  await pane.keys('Enter');
}

async function repl(server: TmuxServer, args: string[] = [], hist = history()): Promise<Pane> {
  return server.run({ args, env: { AOZRUN_HISTORY: hist } });
}

/** A server whose reply to any request comes after `ms`. */
let slow: http.Server | undefined;
let slowPort = 0;
beforeAll(async () => {
  slow = http.createServer((_req, res) => {
    setTimeout(() => res.end('pong'), 1500);
  });
  await new Promise<void>((resolve) => slow!.listen(0, '127.0.0.1', resolve));
  slowPort = (slow.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => (slow ? slow.close(() => resolve()) : resolve())));

describe.skipIf(!HAVE_TMUX)('the interactive session in a terminal', () => {
  const server = new TmuxServer();
  const test = parallelTests(server);

  test('runs each line at once, keeping variables between lines', async () => {
    const pane = await repl(server);
    await pane.waitForText('Type BASIC lines');
    await enter(pane, 'A = 6 * 7 : N$ = "Ada"');
    await enter(pane, 'Print N$; A');
    const lines = await prompt(pane);
    expect(text(lines).slice(-3)).toEqual(['> Print N$; A', 'Ada 42', '>']);
  });

  test('collects a procedure typed over several lines, then calls it', async () => {
    const pane = await repl(server);
    await enter(pane, 'Procedure GREET[WHO$]');
    await enter(pane, 'Print "Hello, "; WHO$', '...');
    await enter(pane, 'End Proc', '...');
    await enter(pane, 'GREET["world"]');
    const lines = await prompt(pane);
    expect(text(lines).slice(-6)).toEqual([
      '> Procedure GREET[WHO$]',
      '... Print "Hello, "; WHO$',
      '... End Proc',
      '> GREET["world"]',
      'Hello, world',
      '>',
    ]);
  });

  test('reports an error and goes on', async () => {
    const pane = await repl(server);
    await enter(pane, 'X = 5 : Print 10 / (X - 5)');
    await pane.waitForText('Error: ');
    await enter(pane, 'Print X');
    const lines = await prompt(pane);
    expect(text(lines).slice(-7)).toEqual([
      '> X = 5 : Print 10 / (X - 5)',
      'Error: Illegal function call: division by zero',
      '  X = 5 : Print 10 / (X - 5)',
      '          ^',
      '> Print X',
      ' 5',
      '>',
    ]);
  });

  test('Ctrl-C stops Do : Loop with Break, on its own line, and the session goes on', async () => {
    const pane = await repl(server);
    await enter(pane, 'N = 0 : Do : Add N, 1 : Loop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pane.keys('C-c');
    await pane.waitForText('Break');
    await enter(pane, 'Print N > 0');
    const lines = await prompt(pane);
    const rows = text(lines);
    expect(rows.slice(-3)).toEqual(['> Print N > 0', ' 1', '>']);
    // The terminal echoed ^C after the typed line: Break is on a line of its own.
    expect(rows).toContain('Break');
  });

  test('Ctrl-C stops a loop reading keys (raw mode) too', async () => {
    const pane = await repl(server);
    await enter(pane, 'Do : K$ = Inkey$ : Loop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pane.keys('C-c');
    await pane.waitForText('Break');
    await enter(pane, 'Print "still here"');
    const lines = await prompt(pane);
    expect(text(lines).slice(-4)).toEqual(['Break', '> Print "still here"', 'still here', '>']);
  });

  test('prints a reply that arrives while idle above the prompt, and redraws the line being typed', async () => {
    const pane = await repl(server, ['--map', `http://service.test=http://127.0.0.1:${slowPort}`]);
    await enter(pane, 'Procedure GOT[STATUS$, REPLY$] : Print "Reply: "; REPLY$ : End Proc');
    await enter(pane, 'Call Service "get", "http://service.test/x", "", "GOT", "GOT", "", 1');
    await prompt(pane);
    await pane.type('Print 12');
    const lines = await pane.waitForText('Reply: pong');
    const rows = text(lines);
    expect(rows.slice(-3)).toEqual([
      '> Call Service "get", "http://service.test/x", "", "GOT", "GOT", "", 1',
      'Reply: pong',
      '> Print 12',
    ]);
    const cursor = await pane.cursor();
    expect(cursor).toMatchObject({ x: '> Print 12'.length, y: rows.length - 1 });
    // The line was not lost: it runs.
    await pane.keys('Enter');
    const after = await prompt(pane);
    expect(text(after).slice(-3)).toEqual(['> Print 12', ' 12', '>']);
  });

  test('keeps the history across sessions, in the file named by AOZRUN_HISTORY', async () => {
    const file = history();
    writeFileSync(file, 'Print "from an earlier session"\n');
    const first = await repl(server, [], file);
    await first.waitForText('Type BASIC lines');
    await first.keys('Up');
    await first.waitFor((l) => lastRow(l) === '> Print "from an earlier session"', 'the recalled line');
    await first.keys('Enter');
    await first.waitForText('from an earlier session\n'.trim());
    await enter(first, 'Print "typed today"');
    await enter(first, 'Quit');
    expect((await first.finish()).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('Print "from an earlier session"\nPrint "typed today"\nQuit\n');

    const second = await repl(server, [], file);
    await prompt(second);
    await second.keys('Up', 'Up');
    await second.waitFor((l) => lastRow(l) === '> Print "typed today"', 'the line of the first session');
  });

  test('Tab completes instruction names (several words too), procedures and variables', async () => {
    const pane = await repl(server);
    await enter(pane, 'QUOKKA = 3');
    await enter(pane, 'Procedure SHOUT[A$] : Print Upper$(A$) : End Proc');
    await prompt(pane);
    await pane.type('Call Se');
    await pane.keys('Tab');
    await pane.waitFor((l) => lastRow(l) === '> Call Service', 'Call Service completed');
    await pane.keys('C-u');
    await pane.type('SHO');
    await pane.keys('Tab');
    await pane.waitFor((l) => lastRow(l) === '> SHOUT', 'the procedure completed');
    await pane.type('["x"] : Print QUO');
    await pane.keys('Tab', 'Enter');
    const lines = await prompt(pane);
    expect(text(lines).slice(-4)).toEqual(['> SHOUT["x"] : Print QUOKKA', 'X', ' 3', '>']);
  });

  test('Ctrl-D at the prompt leaves with status 0 and the terminal restored', async () => {
    const pane = await repl(server);
    await enter(pane, 'Print "bye"');
    await prompt(pane);
    await pane.keys('C-d');
    const finished = await pane.finish();
    expect(finished.status).toBe(0);
    expect(finished.stty.sort()).toEqual(['echo', 'icanon', 'icrnl', 'isig']);
    expect(finished.got).toBe('typed words');
  });

  test('Ctrl-C at an empty prompt tells how to leave; a second one leaves', async () => {
    const pane = await repl(server);
    await prompt(pane);
    await pane.type('Print "never run"');
    await pane.keys('C-c');
    await pane.waitForText('^C');
    await prompt(pane);
    await pane.keys('C-c');
    await pane.waitForText('(To leave, press Ctrl-C again or Ctrl-D, or type Quit)');
    await pane.keys('C-c');
    const finished = await pane.finish();
    expect(finished.status).toBe(0);
    expect(finished.lines.join('\n')).not.toContain('never run\n');
  });
});

if (!HAVE_TMUX) {
  it.skip(NO_TMUX_NOTICE, () => undefined);
}
