/**
 * Plays a golden transcript against a Session in this process, with pipes for stdin/stdout/stderr
 * (the console's pipe mode), exactly as `aozrun FILE` would run it.
 */
import { PassThrough } from 'node:stream';
import { Session } from '../../src/session.js';
import type { Step, Transcript } from './transcript.js';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  /** The steps as they happened: in update mode, the transcript to write back. */
  readonly steps: Step[];
  /** Why the run stopped early, if it did (expected output never came). */
  readonly problem?: string;
}

export interface RunOptions {
  readonly file: string;
  readonly source: string;
  readonly maps: [string, string][];
  /** Record what the program prints instead of checking it (send each input once output settles). */
  readonly update?: boolean;
  readonly waitMs?: number;
}

function collect(stream: PassThrough): { text: () => string; changed: () => number } {
  let text = '';
  let changed = Date.now();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    changed = Date.now();
  });
  return { text: () => text, changed: () => changed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes URLs of the in-process playground back as the hosts they stand for. */
function unmap(line: string, maps: readonly [string, string][]): string {
  let out = line;
  for (const [from, to] of maps) out = out.split(to).join(from);
  return out;
}

export async function playTranscript(t: Transcript, o: RunOptions): Promise<RunResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const session = new Session({
    file: o.file,
    source: o.source,
    stdin,
    stdout,
    stderr,
    consoleMode: 'pipe',
    strict: t.strict,
    dumpScreen: t.dumpScreen,
    net: {
      maps: o.maps,
      // The playground's port changes from run to run: the trace shows the mapped host instead.
      ...(t.traceNet ? { trace: (line: string) => stderr.write(`${unmap(line, o.maps)}\n`) } : {}),
    },
    timeoutMs: 60_000,
  });
  let exited: number | undefined;
  const done = session.run().then((code) => {
    exited = code;
    return code;
  });
  const waitMs = o.waitMs ?? 10_000;
  const steps: Step[] = [];
  let expected = '';
  let recorded = 0;
  let problem: string | undefined;

  /** Waits for `expected` to have appeared (or, in update mode, for the output to settle). */
  const settle = async (): Promise<boolean> => {
    const start = Date.now();
    for (;;) {
      const actual = out.text();
      if (o.update) {
        if ((Date.now() - out.changed() > 300 && Date.now() - start > 300) || exited !== undefined)
          return true;
      } else {
        if (actual.startsWith(expected)) return true;
        if (!expected.startsWith(actual) || exited !== undefined) {
          problem = 'the output differs from the transcript';
          return false;
        }
      }
      if (Date.now() - start > waitMs) {
        problem = `timed out after ${waitMs} ms waiting for the output before an input`;
        return false;
      }
      await sleep(5);
    }
  };

  const record = () => {
    const actual = out.text();
    if (actual.length > recorded) steps.push({ kind: 'output', text: actual.slice(recorded) });
    recorded = actual.length;
  };

  for (const step of t.steps) {
    if (step.kind === 'output') {
      expected += step.text;
      continue;
    }
    // With --dump-screen nothing is printed before the end: inputs go in without waiting.
    if (!t.dumpScreen && !(await settle())) break;
    record();
    steps.push(step);
    stdin.write(step.text);
  }
  if (!problem) await settle();
  stdin.end();
  const timeout = sleep(waitMs).then(() => undefined);
  const code = await Promise.race([done, timeout]);
  if (code === undefined) {
    session.interrupt();
    problem ??= `the program did not end within ${waitMs} ms`;
    await done;
  }
  record();
  return {
    stdout: out.text(),
    stderr: err.text(),
    exit: exited ?? -1,
    steps,
    ...(problem ? { problem } : {}),
  };
}
