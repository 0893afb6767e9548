/**
 * One run of one program (DESIGN §2): program + machine + console + network. The CLI, the REPL and
 * the tests all go through it; nothing is global.
 */
import { Writable } from 'node:stream';
import type { IToken } from 'chevrotain';
import { BuiltinRegistry } from './interpreter/builtins.js';
import { compile } from './interpreter/compile.js';
import { type Diagnostic, formatDiagnostic, type SourcePos } from './interpreter/errors.js';
import { JIT_MODES, type JitMode } from './interpreter/jit.js';
import { type EndReason, Machine } from './interpreter/machine.js';
import type { CompiledProgram, Section } from './interpreter/program.js';
import type { ServiceKey } from './interpreter/runtime-api.js';
import { Scheduler } from './interpreter/scheduler.js';
import type { Program } from './parser/ast.js';
import { parse } from './parser/parse.js';
import { CONSOLE, type ColorOption, type Console, createConsole } from './runtime/console/index.js';
import { builtinTable } from './runtime/index.js';
import { NET, Net, type NetOptions } from './runtime/net/index.js';

export const EXIT = {
  ok: 0,
  runtimeError: 1,
  compileError: 2,
  usage: 64,
  timeout: 124,
  interrupted: 130,
} as const;

export interface SessionOptions {
  /** The name shown in messages. */
  readonly file: string;
  readonly source: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(b: boolean): unknown };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly consoleMode?: 'auto' | 'terminal' | 'pipe';
  readonly color?: ColorOption;
  readonly env?: NodeJS.ProcessEnv;
  /** --strict: the documentation's transcription artefacts are errors, not warnings (DESIGN §9). */
  readonly strict?: boolean;
  readonly net?: Partial<NetOptions>;
  readonly timeoutMs?: number;
  readonly trace?: boolean;
  readonly eofGraceMs?: number;
  readonly maxCallDepth?: number;
  /** Memory a program may use before "Out of memory", in bytes of JavaScript heap. */
  readonly maxHeapBytes?: number;
  /**
   * --dump-screen: print nothing while the program runs, then the final 80x25 window (rows
   * trailing spaces trimmed, empty rows at the bottom left out), for golden tests of programs
   * that position text.
   */
  readonly dumpScreen?: boolean;
  /** The instruction tables (default: the runtime's); embedders and tests may add entries. */
  readonly builtins?: BuiltinRegistry;
  /** When procedures and loops are compiled to JavaScript (jit.ts); default $AOZRUN_JIT, else auto. */
  readonly jit?: JitMode;
}

let registry: BuiltinRegistry | undefined;

/** The instruction tables, indexed once per process. */
export function builtins(): BuiltinRegistry {
  registry ??= new BuiltinRegistry(builtinTable);
  return registry;
}

export interface Checked {
  readonly tokens: readonly IToken[];
  readonly ast: Program;
  readonly program: CompiledProgram | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Under --strict, the parser's warnings (transcription artefacts) are errors. */
export function strictly(diagnostics: readonly Diagnostic[], strict: boolean): Diagnostic[] {
  return diagnostics.map((d) =>
    strict && d.severity === 'warning'
      ? {
          ...d,
          severity: 'error' as const,
          id: 'strict_violation' as const,
          message: `${d.message} (rejected by --strict)`,
        }
      : d,
  );
}

/** Parse and compile; under --strict, warnings count as errors. */
export function check(source: string, strict = false, reg: BuiltinRegistry = builtins()): Checked {
  const parsed = parse(source, reg.vocabulary);
  let diagnostics = strictly(parsed.diagnostics, strict);
  let program: CompiledProgram | null = null;
  if (!diagnostics.some((d) => d.severity === 'error')) {
    const compiled = compile(parsed.program, reg);
    diagnostics = [...diagnostics, ...compiled.diagnostics];
    program = compiled.program;
  }
  return { tokens: parsed.tokens, ast: parsed.program, program, diagnostics };
}

export class Session {
  private readonly lines: string[];
  private scheduler: Scheduler | undefined;
  private interruptRequested = false;

  constructor(private readonly options: SessionOptions) {
    this.lines = options.source.split(/\r\n|\r|\n/);
  }

  /** Writes diagnostics to stderr: errors with the source line and a caret, warnings on one line. */
  report(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      this.options.stderr.write(
        d.severity === 'error'
          ? formatDiagnostic('error', d.message, d.pos, this.options.file, this.lines, d.length)
          : formatDiagnostic('warning', d.message, d.pos, this.options.file, undefined),
      );
    }
  }

  /** --check: parse and compile only. */
  check(): number {
    const checked = check(this.options.source, this.options.strict, this.options.builtins);
    this.report(checked.diagnostics);
    return checked.program ? EXIT.ok : EXIT.compileError;
  }

  /** Ctrl-C from outside (SIGINT in pipe mode). */
  interrupt(): void {
    this.interruptRequested = true;
    this.scheduler?.interrupt();
  }

  async run(): Promise<number> {
    const o = this.options;
    const checked = check(o.source, o.strict, o.builtins);
    this.report(checked.diagnostics);
    if (!checked.program) return EXIT.compileError;

    const console = sessionConsole(
      o.dumpScreen
        ? { ...o, stdout: new Writable({ write: (_chunk, _enc, done) => done() }), consoleMode: 'pipe' }
        : o,
      () => this.scheduler?.wake(),
      () => this.interrupt(),
    );
    const run = assemble(o, checked.program, console, {
      trace: o.trace ? traceTo(o.stderr, () => this.lines) : undefined,
      timeoutMs: o.timeoutMs,
    });
    this.scheduler = run.scheduler;
    if (this.interruptRequested) run.scheduler.interrupt();
    try {
      const { status, message } = this.outcome(await run.scheduler.run());
      if (o.dumpScreen) o.stdout.write(screenDump(console.screenLines()));
      if (message) console.notice(message);
      return status;
    } finally {
      console.close();
      await run.net.close();
    }
  }

  private where(pos: SourcePos | undefined): string {
    return pos ? ` at line ${pos.line}, column ${pos.column} in ${this.options.file}` : '';
  }

  /** The exit status of a run and what to say on stderr about its end (DESIGN §8). */
  private outcome(reason: EndReason): { status: number; message?: string } {
    switch (reason.kind) {
      case 'end':
        return { status: EXIT.ok };
      case 'error': {
        const e = reason.error;
        return {
          status: EXIT.runtimeError,
          message: formatDiagnostic('error', e.message, e.pos, this.options.file, this.lines),
        };
      }
      case 'input':
        return {
          status: EXIT.ok,
          message: `Notice: end of input while the program waited for ${reason.what}${this.where(reason.pos)}`,
        };
      case 'interrupted':
        return { status: EXIT.interrupted, message: `Interrupted (Ctrl-C)${this.where(reason.pos)}` };
      case 'timeout':
        return {
          status: EXIT.timeout,
          message: `Error: time limit of ${(this.options.timeoutMs ?? 0) / 1000} s reached${this.where(reason.pos)}`,
        };
    }
  }
}

/** What the console and the machines of a session are made from (the CLI's and the REPL's). */
export type RunOptions = Pick<
  SessionOptions,
  | 'file'
  | 'stdin'
  | 'stdout'
  | 'stderr'
  | 'consoleMode'
  | 'color'
  | 'env'
  | 'strict'
  | 'net'
  | 'eofGraceMs'
  | 'maxCallDepth'
  | 'maxHeapBytes'
  | 'jit'
>;

/** The console outlives the machines of a session (the REPL's New and Run start new ones). */
export function sessionConsole(o: RunOptions, wake: () => void, onInterrupt: () => void): Console {
  return createConsole({
    stdin: o.stdin,
    stdout: o.stdout,
    stderr: o.stderr,
    mode: o.consoleMode ?? 'auto',
    color: o.color ?? 'auto',
    env: o.env ?? process.env,
    eofGraceMs: o.eofGraceMs ?? 1000,
    wake,
    onInterrupt,
  });
}

export interface MachineHooks {
  readonly trace?: ((section: Section, pc: number) => void) | undefined;
  readonly timeoutMs?: number | undefined;
  /** Direct mode (see MachineOptions.onStop and SchedulerOptions.onIdle). */
  readonly onStop?: ((reason: EndReason, section: string) => void) | undefined;
  readonly onIdle?: (() => void) | undefined;
}

/** A machine with its network and its scheduler (`scheduler.run()` starts it). */
export interface Assembled {
  readonly machine: Machine;
  readonly scheduler: Scheduler;
  readonly net: Net;
}

/** Builds a machine for `program` with its own network. */
export function assemble(
  o: RunOptions,
  program: CompiledProgram,
  console: Console,
  hooks: MachineHooks,
): Assembled {
  // The proxy variables come from the session's environment (tests give their own).
  const net = new Net({ env: o.env ?? process.env, ...o.net });
  const services = new Map<ServiceKey<unknown>, unknown>([
    [NET as ServiceKey<unknown>, net],
    [CONSOLE as ServiceKey<unknown>, console],
  ]);
  let scheduler: Scheduler | undefined;
  const machine = new Machine(program, {
    console,
    strict: o.strict ?? false,
    maxCallDepth: o.maxCallDepth ?? 10_000,
    services,
    onWarning: (message, pos) => console.notice(formatDiagnostic('warning', message, pos, o.file, undefined)),
    onWake: () => scheduler?.wake(),
    trace: hooks.trace,
    maxHeapBytes: o.maxHeapBytes,
    onStop: hooks.onStop,
    jit: o.jit ?? jitFromEnv(o.env ?? process.env),
  });
  scheduler = new Scheduler(machine, { sliceMs: 10, timeoutMs: hooks.timeoutMs, onIdle: hooks.onIdle });
  return { machine, scheduler, net };
}

/** AOZRUN_JIT=auto|always|never; anything else is auto (the tests run the suite with `always`). */
function jitFromEnv(env: NodeJS.ProcessEnv): JitMode | undefined {
  const mode = env['AOZRUN_JIT'];
  return JIT_MODES.find((m) => m === mode);
}

/** --trace: each statement's line, on stderr. */
function traceTo(
  stderr: NodeJS.WritableStream,
  lines: () => readonly string[],
): (section: Section, pc: number) => void {
  return (section, pc) => {
    const pos = section.positions[pc];
    if (!pos) return;
    const where = section.name === 'main' ? '' : ` [${section.name}]`;
    stderr.write(`[trace] ${pos.line}${where}: ${(lines()[pos.line - 1] ?? '').trim()}\n`);
  };
}

/** The window's rows, without the empty rows at the bottom. */
function screenDump(rows: readonly string[]): string {
  let end = rows.length;
  while (end > 0 && rows[end - 1] === '') end--;
  return rows
    .slice(0, end)
    .map((r) => `${r}\n`)
    .join('');
}
