import { afterEach } from 'vitest';
/**
 * A Runtime for the network tests: records warnings, notices, posted events, procedure calls,
 * wake-ups and holds, and drives a Wait to completion the way the machine does (poll ready()
 * after each wake-up, then run then()).
 */
import { AozError, type SourcePos } from '../../src/interpreter/errors.js';
import type {
  ConsoleDevice,
  InstructionEntry,
  ProcedureRef,
  Runtime,
  RuntimeEvent,
  ServiceKey,
  StateKey,
  Wait,
} from '../../src/interpreter/runtime-api.js';
import type { Value } from '../../src/interpreter/values.js';
import { NET, Net, type NetOptions } from '../../src/runtime/net/net.js';

export interface Call {
  readonly proc: string;
  readonly args: readonly Value[];
}

export class FakeRuntime implements Runtime {
  readonly warnings: string[] = [];
  readonly notices: string[] = [];
  readonly events: RuntimeEvent[] = [];
  readonly calls: Call[] = [];
  wakes = 0;
  holds = 0;
  released = 0;
  pos: SourcePos = { line: 1, column: 1 };
  fix = 16;
  readonly net: Net;
  private readonly procedures: ProcedureRef[];
  private wakeWaiters: (() => void)[] = [];
  readonly console: ConsoleDevice;

  constructor(
    options: Partial<NetOptions> = {},
    procedures: readonly string[] = ['OnSuccess', 'OnError'],
    readonly strict = false,
  ) {
    this.net = new Net(options);
    this.procedures = procedures.map((name) => ({ name, paramCount: 2 }));
    const notices = this.notices;
    this.console = {
      print: () => undefined,
      cursorX: 0,
      cursorY: 0,
      pen: 2,
      paper: 1,
      cls: () => undefined,
      inkey: () => '',
      waitKey: () => {
        throw new Error('not in these tests');
      },
      readLine: () => {
        throw new Error('not in these tests');
      },
      notice: (text: string) => {
        notices.push(text);
      },
      close: () => undefined,
    };
  }

  service<T>(key: ServiceKey<T>): T {
    if (key.name === NET.name) return this.net as T;
    throw new Error(`no service ${key.name}`);
  }

  private readonly states = new Map<string, unknown>();

  state<T>(key: StateKey<T>): T {
    if (!this.states.has(key.name)) this.states.set(key.name, key.create());
    return this.states.get(key.name) as T;
  }

  warn(message: string): void {
    if (this.strict) throw new AozError('strict_violation', [message]);
    this.warnings.push(message);
  }

  polls = 0;
  polled(): void {
    this.polls++;
  }

  wake(): void {
    this.wakes++;
    const waiters = this.wakeWaiters;
    this.wakeWaiters = [];
    for (const w of waiters) w();
  }

  post(event: RuntimeEvent): void {
    this.events.push(event);
  }

  findProcedure(name: string): ProcedureRef | undefined {
    return this.procedures.find((p) => p.name.toLowerCase() === name.toLowerCase());
  }

  call(proc: ProcedureRef, args: readonly Value[]): void {
    this.calls.push({ proc: proc.name, args });
  }

  hold(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) throw new Error('hold released twice');
      done = true;
      this.released++;
    };
  }

  now(): number {
    return performance.now();
  }

  /** Resolves at the next wake() (fails after `ms`). */
  nextWake(ms = 15_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no wake-up')), ms);
      this.wakeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Wait (driven by wake-ups only) until `test()` holds. */
  async until(test: () => boolean, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!test()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error('condition not reached');
      await this.nextWake(left);
    }
  }

  /** Run an instruction entry. */
  run(entry: InstructionEntry, ...args: (Value | undefined)[]): Wait | undefined {
    return entry.run(this, args);
  }

  /** Drive a Wait like the machine: re-poll ready() after each wake-up, then run then(). */
  async drive(wait: Wait | undefined, ms = 15_000): Promise<void> {
    if (!wait) throw new Error('expected a Wait');
    await this.until(() => wait.ready(), ms);
    wait.onReady?.(this);
  }

  /** Run a synchronous Call Service and return what the procedures received (or the error). */
  async callService(...args: (Value | undefined)[]): Promise<Call> {
    const { callServiceEntry } = await import('../../src/runtime/net/call-service.js');
    const wait = callServiceEntry.run(this, args);
    await this.drive(wait);
    const last = this.calls.at(-1);
    if (!last) throw new Error('no procedure was called');
    return last;
  }
}

/** The AozError that `f` throws (the test fails when it throws nothing, or something else). */
export function catchError(f: () => unknown): AozError {
  try {
    f();
  } catch (e) {
    if (e instanceof AozError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

/**
 * Per-file test scope: runtimes and servers made through it are closed after each test, in
 * reverse order; `defer` adds any other clean-up.
 */
export function testScope(): {
  runtime: (options?: Partial<NetOptions>, procedures?: readonly string[]) => FakeRuntime;
  serve: <T extends { close(): Promise<void> | void }>(server: Promise<T>) => Promise<T>;
  defer: (f: () => Promise<void> | void) => void;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });
  return {
    runtime(options = {}, procedures) {
      const rt = new FakeRuntime(options, procedures);
      cleanups.push(() => rt.net.close());
      return rt;
    },
    async serve(server) {
      const s = await server;
      cleanups.push(() => s.close());
      return s;
    },
    defer: (f) => {
      cleanups.push(f);
    },
  };
}
