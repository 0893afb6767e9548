/**
 * The aozrun command (DESIGN §1, §8): run a file, check it, dump its tokens or AST, or serve the
 * playground. Exit statuses: 0 normal end, 1 runtime error, 2 syntax/compile error, 64 usage,
 * 124 --timeout, 130 Ctrl-C.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { closeMatches, docText } from '../docs/reference.js';
import { JIT_MODES, type JitMode } from '../interpreter/jit.js';
import type { NetOptions } from '../runtime/net/index.js';
import { NET_FLAGS, type NetFlags, netOptionsFromFlags, normaliseNetArgv } from '../runtime/net/options.js';
import { check, EXIT, Session, type SessionOptions } from '../session.js';
import { dumpAst, dumpJs, dumpTokens } from './dump.js';

declare const AOZRUN_VERSION: string;
const VERSION = typeof AOZRUN_VERSION === 'string' ? AOZRUN_VERSION : '0.0.0-dev';

interface RunFlags extends NetFlags {
  check?: boolean;
  map: [string, string][];
  playground?: boolean;
  timeout?: number;
  strict?: boolean;
  trace?: boolean;
  dumpTokens?: boolean;
  dumpAst?: boolean;
  dumpJs?: boolean;
  jit?: JitMode;
  color: 'auto' | 'always' | 'never';
  doc?: string;
  dumpScreen?: boolean;
  maxCallDepth?: number;
  maxMemory?: number;
  eval?: string;
}

function parseMap(value: string, previous: [string, string][]): [string, string][] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError('expected FROM=TO');
  return [...previous, [value.slice(0, eq), value.slice(eq + 1)]];
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number of seconds > 0');
  return n;
}

function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number > 0');
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number');
  return n;
}

/** A network flag's parser, its errors shown by commander as usage errors. */
function netArgument(parse: (value: string, previous: unknown) => unknown) {
  return (value: string, previous: unknown): unknown => {
    try {
      return parse(value, previous);
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
  };
}

/** --trace-net: stderr, or a file opened once and closed at the end. */
function traceSink(target: string | true | undefined): { trace?: (line: string) => void; close(): void } {
  if (target === undefined) return { close: () => undefined };
  if (target === true || target === '-') {
    return { trace: (line) => process.stderr.write(`${line}\n`), close: () => undefined };
  }
  const fd = openSync(target, 'w');
  let open = true;
  return {
    trace: (line) => {
      if (open) writeSync(fd, `${line}\n`);
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/** --doc NAME: the reference entry of an instruction, function or statement (docs/reference.md). */
function printDoc(name: string): number {
  const text = docText(name);
  if (text !== undefined) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  const close = closeMatches(name);
  process.stderr.write(
    `aozrun: no instruction, function or statement called "${name}"` +
      (close.length > 0 ? `. Did you mean: ${close.join(', ')}?\n` : '\n') +
      'The whole reference is docs/reference.md.\n',
  );
  return EXIT.usage;
}

/** Flags that only mean something for a program, not for the interactive session. */
const PROGRAM_ONLY = ['check', 'timeout', 'trace', 'dumpTokens', 'dumpAst', 'dumpJs', 'dumpScreen'] as const;

/**
 * Where the program comes from: `-e CODE`, a file, or stdin (`-`, or no file when stdin is not a
 * terminal, as python does). Undefined: no program, stdin a terminal: the interactive session.
 */
function programSource(
  file: string | undefined,
  flags: RunFlags,
): { file: string; source: string } | { error: string } | undefined {
  if (flags.eval !== undefined) {
    if (file !== undefined) return { error: 'give either a program file or -e CODE, not both' };
    return { file: '-e', source: flags.eval };
  }
  if (file === '-' || (file === undefined && !process.stdin.isTTY)) {
    try {
      return { file: '<stdin>', source: readFileSync(0, 'utf8') };
    } catch (e) {
      return { error: `cannot read the program from stdin: ${(e as NodeJS.ErrnoException).code ?? e}` };
    }
  }
  if (file === undefined) return undefined;
  try {
    return { file, source: readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}` };
  }
}

async function runFile(file: string | undefined, flags: RunFlags): Promise<number> {
  if (flags.doc !== undefined) return printDoc(flags.doc);
  const program = programSource(file, flags);
  if (program === undefined) return interactive(flags);
  if ('error' in program) {
    process.stderr.write(`aozrun: ${program.error}\n`);
    return EXIT.usage;
  }
  const { source } = program;
  file = program.file;
  const options: SessionOptions = {
    file,
    source,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    color: flags.color,
    strict: flags.strict ?? false,
    trace: flags.trace ?? false,
    net: { maps: flags.map, ...netOptionsFromFlags(flags) },
    dumpScreen: flags.dumpScreen ?? false,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
    ...(flags.maxCallDepth === undefined ? {} : { maxCallDepth: flags.maxCallDepth }),
    ...(flags.maxMemory === undefined ? {} : { maxHeapBytes: flags.maxMemory * 2 ** 20 }),
    ...(flags.jit === undefined ? {} : { jit: flags.jit }),
  };
  if (flags.dumpTokens || flags.dumpAst || flags.dumpJs) {
    const checked = check(source, flags.strict);
    if (flags.dumpTokens) process.stdout.write(dumpTokens(checked.tokens));
    if (flags.dumpAst) process.stdout.write(dumpAst(checked.ast));
    if (flags.dumpJs && checked.program) process.stdout.write(dumpJs(checked.program));
    new Session(options).report(checked.diagnostics);
    return checked.program ? EXIT.ok : EXIT.compileError;
  }
  if (flags.check) return new Session(options).check();

  return withNetwork(flags, async (net) => {
    const session = new Session({ ...options, net: { ...options.net, ...net } });
    let interrupts = 0;
    const onSigint = () => {
      if (++interrupts > 1) process.exit(EXIT.interrupted);
      session.interrupt();
    };
    process.on('SIGINT', onSigint);
    try {
      return await session.run();
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}

/** --playground and --trace-net, set up around a run (or a session) and taken down after it. */
async function withNetwork(
  flags: RunFlags,
  run: (net: Partial<NetOptions>) => Promise<number>,
): Promise<number> {
  let playground: { close(): Promise<void> } | undefined;
  let maps = flags.map;
  if (flags.playground) {
    const { startPlayground } = await import('../playground/server.js');
    const pg = await startPlayground({ port: 0 });
    maps = [...maps, ...pg.maps];
    playground = pg;
  }
  let sink: ReturnType<typeof traceSink>;
  try {
    sink = traceSink(flags.traceNet);
  } catch (e) {
    process.stderr.write(
      `aozrun: cannot write the trace to ${String(flags.traceNet)}: ${(e as NodeJS.ErrnoException).code ?? e}\n`,
    );
    await playground?.close();
    return EXIT.usage;
  }
  try {
    return await run({ ...netOptionsFromFlags(flags), maps, ...(sink.trace ? { trace: sink.trace } : {}) });
  } finally {
    sink.close();
    await playground?.close();
  }
}

/** `aozrun` alone in a terminal: the interactive session (docs/repl.md). */
async function interactive(flags: RunFlags): Promise<number> {
  const given = PROGRAM_ONLY.filter((f) => flags[f] !== undefined && flags[f] !== false);
  if (given.length > 0 || !process.stdout.isTTY) {
    process.stderr.write(
      'aozrun: no program given. Usage: aozrun [options] FILE, aozrun -e CODE, or aozrun - (program on stdin)\n' +
        (given.length > 0
          ? `(--${given.map(kebab).join(', --')} need a program; the interactive session starts without options)\n`
          : '(the interactive session needs a terminal for its output too)\n'),
    );
    return EXIT.usage;
  }
  const { startRepl } = await import('../repl/repl.js');
  return withNetwork(flags, (net) =>
    startRepl({
      file: 'your input',
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      color: flags.color,
      strict: flags.strict ?? false,
      net,
      ...(flags.maxCallDepth === undefined ? {} : { maxCallDepth: flags.maxCallDepth }),
      ...(flags.maxMemory === undefined ? {} : { maxHeapBytes: flags.maxMemory * 2 ** 20 }),
      banner:
        `aozrun ${VERSION}: AOZ Studio BASIC, text mode and networking.\n` +
        'Type BASIC lines to run them. Help for the commands; Quit or Ctrl-D to leave.\n',
    }),
  );
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function serve(opts: { port: number }): Promise<void> {
  const { startPlayground } = await import('../playground/server.js');
  const pg = await startPlayground({ port: opts.port, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(
    `aozrun playground listening on ${pg.httpUrl} (WebSocket relay: ${pg.wsUrl}/v3/<channel>)\n` +
      `Run a program against it with:\n` +
      pg.maps.map(([from, to]) => `  --map ${from}=${to}`).join('\n') +
      '\nCtrl-C stops it.\n',
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await pg.close();
}

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (aozrun prog.aoz | head): stop quietly.
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
  });
  const program = new Command()
    .name('aozrun')
    .description('Run AOZ Studio BASIC programs (text mode and networking) from a terminal.')
    .version(VERSION, '-V, --version')
    .argument('[file]', 'the .aoz program to run (- reads it from stdin); none: the interactive session')
    .option('-e, --eval <code>', 'run CODE, a program given on the command line')
    .option('--check', 'parse and compile only; report every error (exit 2 when there is one)')
    .option('--map <FROM=TO>', 'rewrite URLs starting with FROM to start with TO (repeatable)', parseMap, [])
    .option('--playground', 'start the local playground server and map the documentation hosts to it')
    .option('--timeout <seconds>', 'stop the program after this many seconds (exit 124)', parseSeconds)
    .option(
      '--strict',
      'treat transcription artefacts (typographic quotes, "URL $", spaces in URLs) as errors',
    )
    .option('--trace', 'print each statement on stderr as it runs')
    .option('--dump-screen', 'print nothing while running, then the final 80x25 text window')
    .option(
      '--max-call-depth <n>',
      'nested procedure calls before "Out of stack space" (default 10000)',
      parsePositiveInteger,
    )
    .option('--max-memory <MB>', 'memory a program may fill before "Out of memory"', parsePositiveInteger)
    .option('--dump-tokens', 'print the tokens of the program and stop')
    .option('--dump-ast', 'print the syntax tree of the program and stop')
    .option('--dump-js', 'print the JavaScript each procedure compiles to once hot, and stop')
    .addOption(
      new Option('--jit <when>', 'compile busy procedures and loops to JavaScript (default auto)').choices(
        JIT_MODES,
      ),
    )
    .option('--doc <name>', 'print the reference entry of an instruction, function or statement and stop')
    .addOption(
      new Option('--color <when>', 'colours in a terminal')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    );
  for (const flag of NET_FLAGS) program.option(flag.flags, flag.description, netArgument(flag.parse));
  program
    .showHelpAfterError()
    .exitOverride()
    .action(async (file: string | undefined, flags: RunFlags) => {
      await exit(await runFile(file, flags));
    });
  program
    .command('serve')
    .description('serve the playground (café service, echo, WebSocket relay) on 127.0.0.1')
    .option('--port <n>', 'port to listen on', parsePort, 8765)
    .action(async (opts: { port: number }) => {
      await serve(opts);
      await exit(EXIT.ok);
    });
  try {
    await program.parseAsync(normaliseNetArgv(argv));
  } catch (e) {
    if (e instanceof CommanderError) {
      await exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    throw e;
  }
}
