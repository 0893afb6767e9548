/**
 * The scheduler (DESIGN §4): runs the machine in ~10 ms slices and yields to Node's event loop in
 * between (setImmediate), so network I/O progresses while a program computes; when the machine
 * waits, it sleeps until something wakes it (input, a reply, a timer). One await per slice or wait,
 * never one per statement.
 */
import type { EndReason, Machine } from './machine.js';

export interface SchedulerOptions {
  readonly sliceMs: number;
  /** --timeout, in ms from the start of the run. */
  readonly timeoutMs?: number | undefined;
  /** Direct mode: the machine has just become idle (the REPL shows its prompt). */
  readonly onIdle?: (() => void) | undefined;
}

export class Scheduler {
  private sleeping: (() => void) | null = null;
  private woken = false;

  constructor(
    private readonly machine: Machine,
    private readonly options: SchedulerOptions,
  ) {}

  /** Something the machine may be waiting for happened. Safe to call at any time. */
  wake(): void {
    this.woken = true;
    const resume = this.sleeping;
    if (resume) {
      this.sleeping = null;
      resume();
    }
  }

  /** Ctrl-C: stop the program between two statements (unless it said Break Off, or `force`). */
  interrupt(force = false): void {
    this.machine.interrupt(force);
    this.wake();
  }

  async run(): Promise<EndReason> {
    const m = this.machine;
    const timer =
      this.options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            m.finish({ kind: 'timeout', pos: m.stopPos });
            this.wake();
          }, this.options.timeoutMs);
    try {
      for (;;) {
        this.woken = false;
        const r = m.runSlice(performance.now() + this.options.sliceMs);
        if (r === 'ended') return m.ended!;
        if (r === 'yield') {
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (!this.woken) {
          if (m.idle) this.options.onIdle?.();
          if (this.woken) continue;
          await new Promise<void>((resolve) => {
            this.sleeping = resolve;
          });
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
