import { PassThrough, Writable } from 'node:stream';
import { vi } from 'vitest';
import { type Console, type ConsoleOptions, createConsole } from '../../src/runtime/console/index.js';

/** A writable that keeps everything written, synchronously. */
export class Collector extends Writable {
  text = '';
  isTTY?: boolean;
  columns?: number;
  rows?: number;

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }

  /** Returns what was written since the last take(). */
  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }
}

export type FakeStdin = PassThrough & { isTTY?: boolean; setRawMode?: (b: boolean) => unknown };

export interface Harness {
  con: Console;
  stdin: FakeStdin;
  stdout: Collector;
  stderr: Collector;
  wake: ReturnType<typeof vi.fn>;
  onInterrupt: ReturnType<typeof vi.fn>;
  rawMode: ReturnType<typeof vi.fn>;
  /** The injected clock (ms). */
  clock: { t: number };
}

export function harness(options: Partial<ConsoleOptions> & { tty?: boolean } = {}): Harness {
  const { tty, ...opts } = options;
  const stdin: FakeStdin = new PassThrough();
  const stdout = new Collector();
  const stderr = new Collector();
  const rawMode = vi.fn();
  if (tty) {
    stdin.isTTY = true;
    stdin.setRawMode = rawMode;
    stdout.isTTY = true;
    stdout.columns = 80;
  }
  const wake = vi.fn();
  const onInterrupt = vi.fn();
  const clock = { t: 0 };
  const con = createConsole({
    stdin,
    stdout,
    stderr,
    wake,
    onInterrupt,
    env: {},
    now: () => clock.t,
    ...opts,
  });
  return { con, stdin, stdout, stderr, wake, onInterrupt, rawMode, clock };
}

/** Lets stream events (data, end) be delivered. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
