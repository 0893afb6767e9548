/**
 * Shared pieces of the fault-matrix suite (net-fault-matrix.md): running a BASIC program the way
 * `aozrun` does, with the time at which each output line appeared; the invariants checked in every
 * row (no unhandled rejection or uncaught exception, no JavaScript stack trace, handles released
 * after the run, memory bounded); small network limits so that the suite runs fast.
 */
import type { LookupFunction } from 'node:net';
import { PassThrough } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, it } from 'vitest';
import type { NetOptions } from '../../../src/runtime/net/net.js';
import { Session } from '../../../src/session.js';
import type { TestServer } from '../servers.js';

/**
 * NetOptions as this suite uses them: the fields that exist today plus the ones being added
 * (permissions, proxies, heartbeat, send back-pressure, the request queue). Passed to the Session
 * as they are; until a field lands the runtime ignores it and the rows that need it fail.
 */
export type MatrixNet = Partial<NetOptions> & {
  maxQueuedRequests?: number;
  wsHeartbeatMs?: number;
  wsSendHighWaterBytes?: number;
  allowNet?: string[];
  denyNet?: string[] | 'all';
  env?: NodeJS.ProcessEnv;
};

/** Limits small enough for a fast suite; each row overrides what it measures. */
export const FAST: MatrixNet = {
  connectTimeoutMs: 1000,
  headersTimeoutMs: 1000,
  bodyTimeoutMs: 1000,
  requestDeadlineMs: 3000,
  maxResponseBytes: 1024 * 1024,
  maxRedirects: 3,
  maxConnectionsPerOrigin: 8,
  wsHandshakeTimeoutMs: 1000,
  wsMaxMessageBytes: 64 * 1024,
  wsMaxQueuedMessages: 1000,
};

export interface RunOptions {
  net?: MatrixNet;
  /** --timeout (default 10 s). */
  timeoutMs?: number;
  maxHeapBytes?: number;
  maxCallDepth?: number;
}

export interface Line {
  /** Milliseconds from the start of the run to the moment the line was written. */
  readonly ms: number;
  readonly text: string;
}

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  /** Duration of the whole run, in ms. */
  readonly ms: number;
  readonly lines: readonly Line[];
}

export interface Running {
  readonly session: Session;
  readonly result: Promise<Ran>;
  /** The output lines so far (live). */
  readonly lines: readonly Line[];
  /** Resolves with the time (ms since the start) of the first line matching `re`. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<number>;
}

/** Runs a program through a Session with pipes, as `aozrun` does in pipe mode. */
export function start(source: string, opts: RunOptions = {}): Running {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const t0 = performance.now();
  let out = '';
  let err = '';
  let partial = '';
  const lines: Line[] = [];
  const watchers: { re: RegExp; resolve: (ms: number) => void }[] = [];
  stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    partial += c;
    const ms = performance.now() - t0;
    let nl = partial.indexOf('\n');
    while (nl >= 0) {
      const text = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push({ ms, text });
      for (const w of watchers.splice(0)) {
        if (w.re.test(text)) w.resolve(ms);
        else watchers.push(w);
      }
      nl = partial.indexOf('\n');
    }
  });
  stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const session = new Session({
    file: 'test.aoz',
    source,
    stdin,
    stdout,
    stderr,
    consoleMode: 'pipe',
    timeoutMs: opts.timeoutMs ?? 10_000,
    ...(opts.net ? { net: opts.net as Partial<NetOptions> } : {}),
    ...(opts.maxHeapBytes === undefined ? {} : { maxHeapBytes: opts.maxHeapBytes }),
    ...(opts.maxCallDepth === undefined ? {} : { maxCallDepth: opts.maxCallDepth }),
  });
  stdin.end();
  const result = session.run().then((exit) => {
    if (partial !== '') lines.push({ ms: performance.now() - t0, text: partial });
    return { stdout: out, stderr: err, exit, ms: performance.now() - t0, lines };
  });
  return {
    session,
    result,
    lines,
    waitForLine(re: RegExp, timeoutMs = 10_000): Promise<number> {
      const seen = lines.find((l) => re.test(l.text));
      if (seen) return Promise.resolve(seen.ms);
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output line matching ${re} in time`)), timeoutMs);
        watchers.push({
          re,
          resolve: (ms) => {
            clearTimeout(timer);
            resolve(ms);
          },
        });
        void result.then(() => {
          clearTimeout(timer);
          reject(new Error(`the program ended without a line matching ${re}`));
        });
      });
    },
  };
}

export function run(source: string, opts: RunOptions = {}): Promise<Ran> {
  return start(source, opts).result;
}

/** Output lines (text only). */
export function textLines(r: Ran): string[] {
  return r.lines.map((l) => l.text);
}

/** The lines printed by the OK and KO procedures of PROCS. */
export function outcomes(r: Ran): string[] {
  return textLines(r).filter((l) => l.startsWith('OK ') || l.startsWith('KO '));
}

/**
 * Success and error procedures that print what they receive and count the outcomes in DONE (for
 * programs that wait for asynchronous replies).
 */
export const PROCS = [
  'Procedure OK[S$, R$] : Shared DONE : DONE = DONE + 1 : Print "OK "; S$; " "; R$ : End Proc',
  'Procedure KO[S$, R$] : Shared DONE : DONE = DONE + 1 : Print "KO "; S$; " "; R$ : End Proc',
].join('\n');

/** A program's text, lines joined. */
export function program(...lines: string[]): string {
  return lines.join('\n');
}

const JS_STACK = /(^|\n)\s*at .+[:(]\d+:\d+\)?/;
const JS_ERRORS =
  /\b(TypeError|ReferenceError|RangeError|EvalError|Maximum call stack|Internal error|internal error|\[object Object\])\b/;

/** No JavaScript stack trace or JavaScript error name on either stream. */
export function expectNoJsLeak(r: Ran): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(JS_STACK);
    expect(text).not.toMatch(JS_ERRORS);
  }
}

/** The program ended normally and nothing leaked. */
export function expectOk(r: Ran): void {
  expectNoJsLeak(r);
  expect(r.exit, r.stderr).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// Memory

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

export interface MemoryProbe {
  /**
   * Stops sampling; the highest live memory (heap + external, measured after a full collection
   * every 100 ms and at the end) above the starting point, in bytes. Garbage not yet collected does
   * not count: a bounded program may leave plenty of it between two collections.
   */
  stop(): number;
}

/** Samples the process's live memory every 100 ms from now on (after a full collection). */
export function probeMemory(): MemoryProbe {
  collect();
  const base = used();
  let peak = base;
  const timer = setInterval(() => {
    collect();
    peak = Math.max(peak, used());
  }, 100);
  return {
    stop(): number {
      clearInterval(timer);
      collect();
      peak = Math.max(peak, used());
      return peak - base;
    },
  };
}

export const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The invariants of every row

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** Resource types whose count went up from `before`, as "Type +n". */
function resourceGrowth(before: Map<string, number>): string[] {
  const grown: string[] = [];
  for (const [type, n] of resourceCounts()) {
    const was = before.get(type) ?? 0;
    if (n > was) grown.push(`${type} +${n - was}`);
  }
  return grown;
}

export class Guard {
  readonly rejections: unknown[] = [];
  readonly exceptions: unknown[] = [];
  private readonly cleanups: (() => unknown)[] = [];
  private readonly before: Map<string, number>;
  private readonly onRejection = (e: unknown): void => {
    this.rejections.push(e);
  };
  private readonly onException = (e: unknown): void => {
    this.exceptions.push(e);
  };

  constructor() {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    this.before = resourceCounts();
  }

  /** A server that is closed at the end of the row (before the handle check). */
  async serve<T extends TestServer | { close(): Promise<void> }>(server: Promise<T> | T): Promise<T> {
    const s = await server;
    this.cleanups.push(() => s.close());
    return s;
  }

  /** Something to undo at the end of the row (before the handle check). */
  defer(f: () => unknown): void {
    this.cleanups.push(f);
  }

  async cleanup(): Promise<void> {
    for (const f of this.cleanups.splice(0).reverse()) {
      try {
        await f();
      } catch {
        // a cleanup that fails must not hide the row's own failure
      }
    }
  }

  /** Listeners off; then the checks: nothing unhandled, every handle of the row released. */
  async verify(): Promise<void> {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
    expect(this.rejections.map(String), 'unhandled rejections').toEqual([]);
    expect(this.exceptions.map(String), 'uncaught exceptions').toEqual([]);
    let grown = resourceGrowth(this.before);
    for (let i = 0; i < 150 && grown.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      grown = resourceGrowth(this.before);
    }
    expect(grown, 'handles still active after the run').toEqual([]);
  }

  dispose(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }
}

/**
 * One row of the matrix: `it("row N: scenario")` with the invariants around the body (servers
 * the body registered with `g.serve` are closed first, then the handles must be back to what they
 * were before the row).
 */
export function row(
  n: number,
  scenario: string,
  body: (g: Guard) => Promise<void>,
  timeoutMs = 20_000,
): void {
  it(
    `row ${n}: ${scenario}`,
    async () => {
      // The test runner arms a ~100 ms timer of its own as a test starts: let it go first, so
      // that the baseline has no timer and a timer the row leaks is seen.
      const t0 = performance.now();
      while (process.getActiveResourcesInfo().includes('Timeout') && performance.now() - t0 < 200) {
        await new Promise((r) => setImmediate(r));
      }
      const g = new Guard();
      try {
        await body(g);
      } catch (e) {
        await g.cleanup();
        g.dispose();
        throw e;
      }
      await g.cleanup();
      await g.verify();
    },
    timeoutMs,
  );
}

/** A row that cannot run here, with the reason shown in the report. */
export function skippedRow(n: number, scenario: string, reason: string): void {
  it.skip(`row ${n}: ${scenario} (skipped: ${reason})`, () => undefined);
}

// ---------------------------------------------------------------------------------------------
// HTTP failures as a program sees them

export interface FailureCheck {
  /** The class word expected after "508 ". */
  readonly cls: string;
  /** More about the text after the class word. */
  readonly text?: RegExp;
  /** Limits on the time from the start of the run to the outcome line, in ms. */
  readonly minMs?: number;
  readonly maxMs?: number;
}

/** A string literal for a program (URLs and texts never contain a double quote here). */
export function q(s: string): string {
  if (s.includes('"')) throw new Error(`no double quote allowed in ${s}`);
  return `"${s}"`;
}

/**
 * The failure of one request as a program sees it, three ways: with an error procedure
 * (synchronous), without any procedure and trapped by On Error (a catchable runtime error at the
 * Call Service line), and asynchronously. Each gets exactly one outcome, the program goes on.
 */
export async function expectRequestFailure(
  method: string,
  url: string,
  check: FailureCheck,
  opts: RunOptions = {},
  ways: readonly ('sync' | 'trapped' | 'async')[] = ['sync', 'trapped', 'async'],
): Promise<string> {
  const start508 = new RegExp(`^KO 508 ${check.cls}: `);
  let text = '';
  for (const way of ways) {
    let src: string;
    if (way === 'sync') {
      src = program(
        `Call Service ${q(method)}, ${q(url)}, "", "OK", "KO"`,
        'Print "NEXT"',
        'Wait 0.2',
        'Print "END"',
        PROCS,
      );
    } else if (way === 'trapped') {
      src = program(
        'On Error Goto HANDLER',
        `Call Service ${q(method)}, ${q(url)}`,
        'Print "NEXT"',
        'End',
        'HANDLER: Print "TRAP "; Errn; " "; Err$ : Resume Next',
      );
    } else {
      src = program(
        `Call Service ${q(method)}, ${q(url)}, "", "OK", "KO", "", 1`,
        'Print "NEXT"',
        'Repeat : Wait 0.01 : Until DONE > 0',
        'Wait 0.2',
        'Print "END"',
        PROCS,
      );
    }
    const r = await run(src, opts);
    expectOk(r);
    const lines = textLines(r);
    if (way === 'trapped') {
      expect(lines, way).toHaveLength(2);
      expect(lines[0], way).toMatch(
        new RegExp(`^TRAP  262 The request has failed, status: 508 ${check.cls}: `),
      );
      expect(lines[1]).toBe('NEXT');
      continue;
    }
    const outs = outcomes(r);
    expect(outs, `${way}: exactly one outcome`).toHaveLength(1);
    const line = outs[0]!;
    expect(line, way).toMatch(start508);
    if (check.text) expect(line.replace(/^KO 508 /, ''), way).toMatch(check.text);
    const at = r.lines.find((l) => l.text === line)!.ms;
    if (check.minMs !== undefined) expect(at, `${way}: outcome time`).toBeGreaterThanOrEqual(check.minMs);
    if (check.maxMs !== undefined) expect(at, `${way}: outcome time`).toBeLessThan(check.maxMs);
    expect(lines.at(-1)).toBe('END');
    if (way === 'sync') expect(lines).toEqual([line, 'NEXT', 'END']);
    else expect(lines).toEqual(['NEXT', line, 'END']);
    text = line.replace(/^KO 508 /, '');
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// DNS

/**
 * A dns.lookup replacement that knows only the given names (everything else is ENOTFOUND), so a
 * test can use host names without any real resolver being asked.
 */
export function mapLookup(names: Readonly<Record<string, string>>): LookupFunction {
  return ((hostname: string, options: unknown, callback: (...args: unknown[]) => void): void => {
    const cb = typeof options === 'function' ? (options as (...args: unknown[]) => void) : callback;
    const all =
      typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    const address = names[hostname.toLowerCase()];
    if (address === undefined) {
      const err: NodeJS.ErrnoException & { hostname?: string } = new Error(
        `getaddrinfo ENOTFOUND ${hostname}`,
      );
      err.code = 'ENOTFOUND';
      err.syscall = 'getaddrinfo';
      err.hostname = hostname;
      process.nextTick(cb, err);
      return;
    }
    const family = address.includes(':') ? 6 : 4;
    if (all) process.nextTick(cb, null, [{ address, family }]);
    else process.nextTick(cb, null, address, family);
  }) as LookupFunction;
}
