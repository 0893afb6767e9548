/** Runs a program through a Session with pipes, as `aozrun` does in pipe mode. */
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { type ErrorId, errorMessage } from '../../src/interpreter/errors.js';
import { Session, type SessionOptions } from '../../src/session.js';

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
}

export async function runProgram(
  source: string,
  opts: { input?: string; keepStdinOpen?: boolean } & Omit<
    Partial<SessionOptions>,
    'stdin' | 'stdout' | 'stderr'
  > = {},
): Promise<Ran> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const { input, keepStdinOpen, ...rest } = opts;
  const session = new Session({
    file: 'test.aoz',
    source,
    stdin,
    stdout,
    stderr,
    consoleMode: 'pipe',
    timeoutMs: 15_000,
    ...rest,
  });
  if (input !== undefined) stdin.write(input);
  if (!keepStdinOpen) stdin.end();
  const exit = await session.run();
  return { stdout: out, stderr: err, exit };
}

/** What a program prints when it must end normally with nothing on stderr. */
export async function outputOf(source: string, input?: string): Promise<string> {
  const r = await runProgram(source, input === undefined ? {} : { input });
  expect(r.stderr).toBe('');
  expect(r.exit).toBe(0);
  return r.stdout;
}

/** Runs a program that must stop with error `id` (exit 1 at run time, 2 at compile time). */
export async function failsWith(source: string, id: ErrorId, exit = 1): Promise<string> {
  const r = await runProgram(source);
  expect(r.exit).toBe(exit);
  expect(r.stderr.startsWith(`Error: ${errorMessage(id)}`)).toBe(true);
  return r.stderr;
}
