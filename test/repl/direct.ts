/**
 * Direct mode without a terminal: the REPL's workspace and a direct-mode machine on pipes, driven
 * line by line as the prompt would (the terminal side is tested through tmux in repl.test.ts).
 */
import { PassThrough } from 'node:stream';
import { errorMessage } from '../../src/interpreter/errors.js';
import type { Entered } from '../../src/repl/workspace.js';
import { Workspace } from '../../src/repl/workspace.js';
import { type Assembled, assemble, builtins, type RunOptions, sessionConsole } from '../../src/session.js';

export { errorMessage };

export interface DirectSession {
  readonly workspace: Workspace;
  /** Enters a line; when it makes a program, runs it until the machine is idle again. */
  enter(line: string): Promise<Entered>;
  /** Everything printed on stdout since the last call. */
  out(): string;
  /** Everything on stderr (errors, Break) since the last call. */
  err(): string;
  /** Resolves the next time the machine is idle (after events ran while idle). */
  nextIdle(): Promise<void>;
  /** Ctrl-C while a line runs; resolves once the machine is idle. */
  interrupt(force?: boolean): void;
  /** Run: the program in memory on a new machine. */
  run(): Promise<Entered>;
  readonly engine: () => Assembled;
  close(): Promise<void>;
}

export function directSession(net: RunOptions['net'] = {}): DirectSession {
  const workspace = new Workspace(builtins());
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
  const options: RunOptions = { file: 'repl', stdin, stdout, stderr, consoleMode: 'pipe', net };
  let engine: Assembled | undefined;
  const waiting: (() => void)[] = [];
  const console = sessionConsole(
    options,
    () => engine?.scheduler.wake(),
    () => undefined,
  );
  const start = (): Assembled => {
    const e = assemble(options, workspace.emptyProgram(), console, {
      onStop: (reason, section) => {
        err += workspace.stopReport(reason, section);
      },
      onIdle: () => {
        for (const w of waiting.splice(0)) w();
      },
    });
    void e.scheduler.run();
    return e;
  };
  engine = start();
  const nextIdle = () => new Promise<void>((resolve) => waiting.push(resolve));
  const runEntered = async (entered: Entered, drain: boolean): Promise<Entered> => {
    if (entered.kind === 'errors') err += entered.report;
    if (entered.kind !== 'program') return entered;
    err += entered.report;
    const idle = nextIdle();
    engine!.machine.load(entered.program, drain);
    engine!.scheduler.wake();
    await idle;
    // Let the console's writes reach the PassThrough readers.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return entered;
  };
  const stop = async (): Promise<void> => {
    engine!.machine.end({ kind: 'end' });
    engine!.scheduler.wake();
    await engine!.net.close();
  };
  return {
    workspace,
    enter: (line) => runEntered(workspace.enter(line), false),
    out: () => {
      const s = out;
      out = '';
      return s;
    },
    err: () => {
      const s = err;
      err = '';
      return s;
    },
    nextIdle,
    interrupt: (force = false) => engine!.scheduler.interrupt(force),
    run: async () => {
      const entered = workspace.run();
      await stop();
      engine = start();
      return runEntered(entered, true);
    },
    engine: () => engine!,
    close: async () => {
      await stop();
      console.close();
    },
  };
}
