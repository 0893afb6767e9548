/**
 * The scheduler (DESIGN §4): runs the machine in ~10 ms slices and yields to Node's event loop in
 * between (setImmediate), so network I/O progresses while a program computes; when the machine
 * waits, it sleeps until something wakes it (input, a reply, a timer). One await per slice or wait,
 * never one per statement.
 */
import { getHeapStatistics } from 'node:v8';
import { AozError } from './errors.js';
import type { EndReason, Machine } from './machine.js';

export interface SchedulerOptions {
  readonly sliceMs: number;
  /** --timeout, in ms from the start of the run. */
  readonly timeoutMs?: number | undefined;
  /** The JavaScript heap a program may fill before "Out of memory" (resource limit). */
  readonly maxHeapBytes?: number | undefined;
}

/** The memory check reads V8's statistics once every this many slices (~100 ms). */
const MEMORY_CHECK_EVERY = 10;

/** By default a program may use half of V8's heap: the interpreter itself never runs short. */
export function defaultMaxHeapBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 2);
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

  /** Ctrl-C: stop the program between two statements (unless it said Break Off). */
  interrupt(): void {
    this.machine.interrupt();
    this.wake();
  }

  async run(): Promise<EndReason> {
    const m = this.machine;
    const timer =
      this.options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            m.finish({ kind: 'timeout', pos: m.pos });
            this.wake();
          }, this.options.timeoutMs);
    const maxHeap = this.options.maxHeapBytes ?? defaultMaxHeapBytes();
    let slices = 0;
    try {
      for (;;) {
        this.woken = false;
        const r = m.runSlice(performance.now() + this.options.sliceMs);
        if (r === 'ended') return m.ended!;
        if (++slices % MEMORY_CHECK_EVERY === 0 && getHeapStatistics().used_heap_size > maxHeap) {
          const error = new AozError('out_of_memory', [
            `more than ${Math.round(maxHeap / 2 ** 20)} MB in use`,
          ]);
          error.pos = m.pos;
          m.finish({ kind: 'error', error });
          return m.ended!;
        }
        if (r === 'yield') {
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (!this.woken) {
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
