/**
 * The network flags of the command line reach the Session's NetOptions (seconds and MB converted).
 * main() runs with a stand-in Session that records its options.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { netOptionsFromFlags, normaliseNetArgv } from '../../src/runtime/net/options.js';
import type { SessionOptions } from '../../src/session.js';

const captured: SessionOptions[] = [];
let onRun: (o: SessionOptions) => void = () => undefined;

vi.mock('../../src/session.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/session.js')>();
  class RecordingSession {
    constructor(readonly options: SessionOptions) {
      captured.push(options);
    }
    async run(): Promise<number> {
      onRun(this.options);
      return 0;
    }
    check(): number {
      return 0;
    }
    report(): void {}
    interrupt(): void {}
  }
  return { ...original, Session: RecordingSession };
});

const { main } = await import('../../src/cli/main.js');

const dir = mkdtempSync(join(tmpdir(), 'aozrun-net-flags-'));
const file = join(dir, 'prog.aoz');
writeFileSync(file, 'Print 1\n');

let exits: number[] = [];
let stdoutErrorListeners: ((...args: unknown[]) => void)[] = [];
beforeEach(() => {
  captured.length = 0;
  exits = [];
  onRun = () => undefined;
  stdoutErrorListeners = process.stdout.listeners('error') as typeof stdoutErrorListeners;
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code ?? 0);
  }) as typeof process.exit);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const l of process.stdout.listeners('error')) {
    if (!stdoutErrorListeners.includes(l as (typeof stdoutErrorListeners)[number])) {
      process.stdout.off('error', l as (...args: unknown[]) => void);
    }
  }
});

async function run(
  ...args: string[]
): Promise<{ exit: number | undefined; options: SessionOptions | undefined }> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(((_chunk: unknown, cb?: unknown) => {
    if (typeof cb === 'function') (cb as () => void)();
    return true;
  }) as typeof process.stdout.write);
  try {
    await main(['node', 'aozrun', ...args]);
  } catch (e) {
    // main() rethrows after exit(); with exit stubbed, the error arrives here
    if (exits.length === 0) throw e;
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
  return { exit: exits[0], options: captured.at(-1) };
}

describe('network flags', () => {
  it('every flag reaches the NetOptions, converted from seconds and MB', async () => {
    const { exit, options } = await run(
      '--connect-timeout',
      '2.5',
      '--headers-timeout',
      '3',
      '--body-timeout',
      '4',
      '--request-timeout',
      '70',
      '--max-response',
      '0.5',
      '--max-redirects',
      '0',
      '--max-connections',
      '3',
      '--max-queued-requests',
      '12',
      '--ws-handshake-timeout',
      '6',
      '--ws-max-message',
      '2',
      '--ws-max-queue',
      '50',
      '--ws-heartbeat',
      '0',
      '--ws-send-high-water',
      '0.25',
      '--allow-net=example.com,127.0.0.1:8080',
      '--allow-net=[::1]',
      '--deny-net=evil.test',
      '--map',
      'http://a/=http://127.0.0.1:9/',
      file,
    );
    expect(exit).toBe(0);
    expect(options?.file).toBe(file);
    expect(options?.net).toEqual({
      maps: [['http://a/', 'http://127.0.0.1:9/']],
      connectTimeoutMs: 2500,
      headersTimeoutMs: 3000,
      bodyTimeoutMs: 4000,
      requestDeadlineMs: 70_000,
      maxResponseBytes: 512 * 1024,
      maxRedirects: 0,
      maxConnectionsPerOrigin: 3,
      maxQueuedRequests: 12,
      wsHandshakeTimeoutMs: 6000,
      wsMaxMessageBytes: 2 * 1024 * 1024,
      wsMaxQueuedMessages: 50,
      wsHeartbeatMs: 0,
      wsSendHighWaterBytes: 256 * 1024,
      allowNet: ['example.com', '127.0.0.1:8080', '[::1]'],
      denyNet: ['evil.test'],
    });
  });

  it('without flags only the maps are set (the Net defaults apply)', async () => {
    const { options } = await run(file);
    expect(options?.net).toEqual({ maps: [] });
  });

  it('bare --deny-net blocks everything and never takes the program as its value', async () => {
    const { exit, options } = await run('--deny-net', file);
    expect(exit).toBe(0);
    expect(options?.file).toBe(file);
    expect(options?.net?.denyNet).toBe('all');
    const bare = await run('--allow-net', '--deny-net=x.test', file);
    expect(bare.options?.net?.allowNet).toBeUndefined();
    expect(bare.options?.net?.denyNet).toEqual(['x.test']);
  });

  it.each([
    ['--allow-net=bad host'],
    ['--allow-net=*.example.com'],
    ['--deny-net=http://x/'],
    ['--ws-heartbeat', '-1'],
    ['--max-connections', '0'],
    ['--max-redirects', '1.5'],
    ['--connect-timeout', '0'],
    ['--max-response', 'lots'],
    ['--trace-net='],
  ])('%s is a usage error (exit 64)', async (...args) => {
    const { exit } = await run(...args, file);
    expect(exit).toBe(64);
    expect(captured).toHaveLength(0);
  });

  it('--trace-net=FILE writes the lines into the file, --trace-net alone to stderr', async () => {
    const traceFile = join(dir, 'trace.txt');
    onRun = (o) => {
      o.net?.trace?.('http> GET http://x/');
      o.net?.trace?.('http< 200 GET http://x/ (2 bytes)');
    };
    const { exit } = await run(`--trace-net=${traceFile}`, file);
    expect(exit).toBe(0);
    expect(readFileSync(traceFile, 'utf8')).toBe('http> GET http://x/\nhttp< 200 GET http://x/ (2 bytes)\n');
    // closed at the end: a late line is dropped, never written
    captured.at(-1)?.net?.trace?.('late');
    expect(readFileSync(traceFile, 'utf8')).not.toContain('late');

    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write);
    onRun = (o) => o.net?.trace?.('ws 1 connected');
    await main(['node', 'aozrun', '--trace-net', file]);
    stderr.mockRestore();
    expect(written).toContain('ws 1 connected\n');
    expect(captured.at(-1)?.file).toBe(file);
  });

  it('an unwritable trace file is a usage error', async () => {
    const { exit } = await run(`--trace-net=${join(dir, 'no', 'such', 'dir', 'trace.txt')}`, file);
    expect(exit).toBe(64);
  });
});

describe('helpers', () => {
  it('normaliseNetArgv gives the bare flags their explicit value, up to --', () => {
    expect(
      normaliseNetArgv(['--allow-net', '--deny-net', '--trace-net', 'p.aoz', '--', '--deny-net']),
    ).toEqual(['--allow-net=*', '--deny-net=*', '--trace-net=-', 'p.aoz', '--', '--deny-net']);
  });

  it('netOptionsFromFlags: * in a list means every host', () => {
    expect(netOptionsFromFlags({ allowNet: ['a.test', '*'], denyNet: ['*'] })).toEqual({ denyNet: 'all' });
    expect(netOptionsFromFlags({ allowNet: true, denyNet: true })).toEqual({ denyNet: 'all' });
    expect(netOptionsFromFlags({ maxResponse: 1e-9 })).toEqual({ maxResponseBytes: 1 });
  });
});
