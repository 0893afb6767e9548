/**
 * The one piece of process-wide state: restoring the terminals of consoles still open when the
 * process ends without closing them. While at least one is registered:
 * - a single 'exit' listener restores them (an uncaught exception, a process.exit elsewhere);
 * - SIGTERM, SIGHUP and SIGQUIT (whose default action kills the process without an 'exit'
 *   event, leaving the terminal in raw mode with the cursor hidden and the colours on) restore
 *   them, then exit with 128 + the signal number, as a shell reports a process killed by it;
 * - so does SIGINT when nothing else listens to it (the CLI does: its Ctrl-C stops the program
 *   between two statements, and the console is closed on the way out).
 * The listeners are added once, when the first console registers, and removed when the last one
 * unregisters, so the process keeps Node's default behaviour when no terminal is in use.
 * Restoring must stay synchronous: 'exit' listeners cannot wait (terminal writes are
 * synchronous in Node, so what a restore writes is on the terminal before the process ends).
 */
const restorers = new Set<() => void>();
let installed = false;

/** The signals handled, with their numbers (POSIX fixes these four). */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;
type HandledSignal = keyof typeof SIGNALS;

function runRestorers(): void {
  for (const restore of restorers) {
    try {
      restore();
    } catch {
      // The process is ending: nothing useful can be done about a failing restore (a terminal
      // that hung up cannot be written to).
    }
  }
  restorers.clear();
}

function onSignal(signal: HandledSignal): void {
  // Someone else handles Ctrl-C (the CLI): it ends the run, which closes the console.
  if (signal === 'SIGINT' && process.listenerCount('SIGINT') > 1) return;
  runRestorers();
  uninstall();
  process.exit(128 + SIGNALS[signal]);
}

const listeners = new Map<HandledSignal, () => void>(
  (Object.keys(SIGNALS) as HandledSignal[]).map((s) => [s, () => onSignal(s)]),
);

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runRestorers);
  for (const [signal, listener] of listeners) {
    try {
      process.on(signal, listener);
    } catch {
      // A platform without this signal (Windows has no SIGQUIT).
    }
  }
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', runRestorers);
  for (const [signal, listener] of listeners) process.off(signal, listener);
}

/**
 * Registers `restore` to run when the process ends (exit or a signal, see the top of this file);
 * returns the function that unregisters it.
 */
export function restoreOnExit(restore: () => void): () => void {
  restorers.add(restore);
  install();
  return () => {
    restorers.delete(restore);
    if (restorers.size === 0) uninstall();
  };
}
