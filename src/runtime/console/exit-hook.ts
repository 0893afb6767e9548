/**
 * The one piece of process-wide state: a single 'exit' listener that restores the terminals of
 * consoles still open when the process ends without closing them (an uncaught exception, a
 * process.exit elsewhere). It must stay synchronous: 'exit' listeners cannot wait.
 */

const restorers = new Set<() => void>();
let installed = false;

function runRestorers(): void {
  for (const restore of restorers) {
    try {
      restore();
    } catch {
      // The process is exiting: nothing useful can be done about a failing restore.
    }
  }
  restorers.clear();
}

/** Registers `restore` to run at process exit; returns the function that unregisters it. */
export function restoreOnExit(restore: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runRestorers);
  }
  restorers.add(restore);
  return () => {
    restorers.delete(restore);
  };
}
