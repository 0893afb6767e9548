/**
 * The process-wide restore of terminal consoles (exit-hook.ts): an 'exit' listener, and SIGTERM,
 * SIGHUP, SIGQUIT (and SIGINT when nobody else handles it) restoring the terminal before exiting with
 * 128 + the signal number; installed while a terminal console is open, removed after.
 * The listeners are called directly (emitting a signal would reach the test runner's own).
 * The end-to-end checks, in a real terminal, are in test/terminal/restore.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { restoreOnExit } from '../../src/runtime/console/exit-hook.js';
import { type Harness, harness } from './helpers.js';

const ESC = '\x1b';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

let h: Harness | undefined;

afterEach(() => {
  h?.con.close();
  h = undefined;
  vi.restoreAllMocks();
});

/** The listeners added to `event` since `before` was taken. */
function added(event: string, before: Set<unknown>): ((...args: unknown[]) => void)[] {
  return (process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[]).filter(
    (l) => !before.has(l),
  );
}

function snapshot(): Map<string, Set<unknown>> {
  return new Map(
    ['exit', ...SIGNALS].map((e) => [e, new Set<unknown>(process.listeners(e as NodeJS.Signals))]),
  );
}

describe('signals while a terminal console is open', () => {
  it('SIGTERM, SIGHUP and SIGQUIT restore the terminal, then exit with 128 + the signal number', () => {
    for (const [signal, status] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
      ['SIGQUIT', 131],
    ] as const) {
      const before = snapshot();
      h = harness({ tty: true, env: { COLORTERM: 'truecolor' } });
      h.con.inkey();
      h.con.setCursor(false);
      h.con.pen = 6;
      h.con.locate(0, 3);
      h.con.print('x');
      h.stdout.take();
      const listeners = added(signal, before.get(signal)!);
      expect(listeners).toHaveLength(1);
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as () => never);
      listeners[0]!(signal);
      expect(exit).toHaveBeenCalledWith(status);
      expect(h.rawMode.mock.calls).toEqual([[true], [false]]);
      // Attributes reset, the cursor below the window (row 5 here, 1-based), the cursor shown.
      expect(h.stdout.take()).toBe(`${ESC}[0m${ESC}[5;1H${ESC}[?25h`);
      // Nothing is left installed once restored.
      for (const e of ['exit', ...SIGNALS]) expect(added(e, before.get(e)!)).toEqual([]);
      h.con.close();
      vi.restoreAllMocks();
    }
  });

  it('SIGINT is left to another listener (the CLI stops the program and closes the console)', () => {
    const before = snapshot();
    h = harness({ tty: true });
    h.con.inkey();
    const mine = added('SIGINT', before.get('SIGINT')!);
    expect(mine).toHaveLength(1);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as () => never);
    const cli = (): void => undefined;
    process.on('SIGINT', cli);
    try {
      mine[0]!('SIGINT');
      expect(exit).not.toHaveBeenCalled();
      expect(h.rawMode.mock.calls).toEqual([[true]]);
    } finally {
      process.off('SIGINT', cli);
    }
    // Alone, it restores and exits with 130.
    mine[0]!('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(h.rawMode.mock.calls).toEqual([[true], [false]]);
  });

  it('adds its listeners once for several consoles and removes them when the last one closes', () => {
    const before = snapshot();
    const a = harness({ tty: true });
    const b = harness({ tty: true });
    const unregister = restoreOnExit(() => undefined);
    for (const e of ['exit', ...SIGNALS]) expect(added(e, before.get(e)!)).toHaveLength(1);
    a.con.close();
    unregister();
    for (const e of ['exit', ...SIGNALS]) expect(added(e, before.get(e)!)).toHaveLength(1);
    b.con.close();
    for (const e of ['exit', ...SIGNALS]) expect(added(e, before.get(e)!)).toEqual([]);
  });

  it('a pipe console installs nothing', () => {
    const before = snapshot();
    h = harness();
    for (const e of ['exit', ...SIGNALS]) expect(added(e, before.get(e)!)).toEqual([]);
  });
});
