/**
 * The interactive session (docs/repl.md): `aozrun` with no program, in a terminal.
 *
 * One console for the whole session, and one machine in direct mode (MachineOptions.onStop) whose
 * scheduler never stops: each line typed is compiled in the workspace's DirectContext and loaded
 * into the machine, which runs it and goes idle; while it is idle, replies, WebSocket messages and
 * Every ticks still run their procedures. New, Load and Run start a new machine (fresh variables).
 *
 * The terminal is shared by two readers, one at a time: while the machine is idle, a readline
 * interface (created for each prompt, so it never competes with the program) owns stdin, with
 * history and completion; while a command runs, the console's keyboard does (Inkey$, Input), and
 * Ctrl-C is Break. What an event procedure prints while the prompt shows is written above it: the
 * first write clears the prompt line, and the prompt is drawn again, with what was typed and the
 * cursor where they were, when the machine is idle again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as readline from 'node:readline';
import { closeMatches, docText, referenceSections } from '../docs/reference.js';
import type { EndReason } from '../interpreter/machine.js';
import type { CompiledProgram } from '../interpreter/program.js';
import { restoreOnExit } from '../runtime/console/exit-hook.js';
import type { Console } from '../runtime/console/index.js';
import { type Assembled, assemble, builtins, EXIT, type RunOptions, sessionConsole } from '../session.js';
import { completeWord } from './complete.js';
import { type Command, Workspace } from './workspace.js';

export interface ReplOptions extends RunOptions {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Printed once at the start. */
  readonly banner: string;
  /** Where the history is kept (default ~/.aozrun_history, or $AOZRUN_HISTORY; '' keeps none). */
  readonly historyFile?: string;
}

/** Lines of history kept. */
export const HISTORY_SIZE = 1000;

const PROMPT = '> ';
const MORE = '... ';

export const REPL_HELP = `Type AOZ BASIC lines: each runs at once, and variables, arrays, procedures,
open channels and requests in flight stay until New. A line that opens a block (Procedure, For,
Do, Repeat, While, If without Then) asks for more lines until the block is closed; procedures
typed so join the program in memory.

Commands:
  Load "file.aoz"   make the file the program in memory (fresh variables)
  Run               run the program in memory (fresh variables; Ctrl-C stops it)
  List [NAME]       show the program in memory, or one of its procedures
  Save ["file.aoz"] write the program in memory (to the file it came from)
  New               forget the program and the variables
  Help "Instr"      the reference entry of an instruction, function or statement
  Quit, System      leave (so does Ctrl-D)

Keys: Tab completes names; Up/Down recall history; Ctrl-C stops what runs, cancels a block
being typed, and twice at an empty prompt leaves.
`;

export function historyPath(env: NodeJS.ProcessEnv): string {
  return env['AOZRUN_HISTORY'] ?? join(homedir(), '.aozrun_history');
}

/** Runs the interactive session until Quit or Ctrl-D; resolves to the exit status. */
export function startRepl(o: ReplOptions): Promise<number> {
  return new Repl(o).start();
}

class Repl {
  private readonly workspace: Workspace;
  private readonly console: Console;
  private engine: Assembled | undefined;
  private loop: Promise<EndReason> | undefined;
  /** The prompt, while one is shown. */
  private rl: readline.Interface | undefined;
  /** Closing `rl` ourselves (a line was entered), not Ctrl-D. */
  private closingPrompt = false;
  /** Output of an event procedure cleared the prompt; it is drawn again when the machine is idle. */
  private promptHidden = false;
  /** A line entered while an event procedure was running: it runs when the machine is idle. */
  private queued: string | undefined;
  /** A command (Load, Run...) is being carried out: no prompt until it is done. */
  private busy = false;
  /** The last Ctrl-C was at an empty prompt: a second one leaves. */
  private interruptedOnce = false;
  private history: string[];
  private readonly historyFile: string;
  private done: ((status: number) => void) | undefined;
  private readonly unregisterExit: () => void;

  constructor(private readonly o: ReplOptions) {
    this.workspace = new Workspace(builtins(), o.strict ?? false);
    this.historyFile = o.historyFile ?? historyPath(o.env ?? process.env);
    this.history = loadHistory(this.historyFile);
    // The console writes through these: its first write while the prompt shows clears the prompt.
    const guarded = <T extends NodeJS.WritableStream>(stream: T): T =>
      new Proxy(stream, {
        get: (target, key) => {
          if (key === 'write') {
            return (...args: Parameters<T['write']>) => {
              this.hidePrompt();
              return (target.write as (...a: unknown[]) => boolean)(...args);
            };
          }
          const v = Reflect.get(target, key, target) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    this.console = sessionConsole(
      { ...o, stdout: guarded(o.stdout), stderr: guarded(o.stderr), consoleMode: 'terminal' },
      () => this.engine?.scheduler.wake(),
      () => this.interrupt(),
    );
    // A crash must not leave the terminal in readline's raw mode.
    this.unregisterExit = restoreOnExit(() => this.rl?.close());
  }

  start(): Promise<number> {
    this.o.stdout.write(this.o.banner);
    process.on('SIGINT', this.onSigint);
    this.startMachine(this.workspace.emptyProgram(), false);
    return new Promise<number>((resolve) => {
      this.done = resolve;
    });
  }

  // -- the machine -----------------------------------------------------------------------------

  private startMachine(program: CompiledProgram, drain: boolean): void {
    const engine = assemble(this.o, this.workspace.emptyProgram(), this.console, {
      onStop: (reason, section) => {
        if (this.echoedInterrupt) {
          this.echoedInterrupt = false;
          this.o.stdout.write('\n');
        }
        const report = this.workspace.stopReport(reason, section);
        if (report !== '') this.console.notice(report);
      },
      onIdle: () => this.idle(),
    });
    this.engine = engine;
    this.run(program, drain);
    this.loop = engine.scheduler.run();
  }

  /** New, Load, Run: a new machine, with a new network (requests in flight are abandoned). */
  private async restart(program: CompiledProgram, drain: boolean): Promise<void> {
    await this.stopMachine();
    this.startMachine(program, drain);
  }

  private async stopMachine(): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    this.engine = undefined;
    engine.machine.end({ kind: 'end' });
    engine.scheduler.wake();
    await this.loop;
    await engine.net.close();
  }

  private run(program: CompiledProgram, drain: boolean): void {
    this.console.resumeInput();
    this.engine!.machine.load(program, drain);
    this.engine!.scheduler.wake();
  }

  /** Ctrl-C while a command runs: Break; a second one stops it even under Break Off. */
  private interrupt(): void {
    const machine = this.engine?.machine;
    if (!machine || machine.idle) return;
    this.engine!.scheduler.interrupt(this.interruptedOnce);
    this.interruptedOnce = true;
  }

  /** Ctrl-C outside raw mode: the terminal echoed "^C", the Break message goes below it. */
  private readonly onSigint = (): void => {
    if (this.engine && !this.engine.machine.idle) this.echoedInterrupt = true;
    this.interrupt();
  };

  /** The terminal echoed "^C" where the cursor was. */
  private echoedInterrupt = false;

  /** The machine waits for a command (called by its scheduler, possibly several times). */
  private idle(): void {
    if (this.busy) return;
    if (this.queued !== undefined) {
      const line = this.queued;
      this.queued = undefined;
      this.accept(line);
      return;
    }
    if (this.rl) {
      this.showPrompt();
      return;
    }
    this.interruptedOnce = false;
    this.prompt();
  }

  // -- the prompt ------------------------------------------------------------------------------

  private prompt(): void {
    this.console.suspendInput();
    this.console.settle();
    const rl = readline.createInterface({
      input: this.o.stdin,
      output: this.o.stdout,
      terminal: true,
      prompt: this.workspace.continuing ? MORE : PROMPT,
      history: this.history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      tabSize: 4,
      completer: (line: string) => completeWord(line, this.vocabulary()),
    });
    this.rl = rl;
    this.promptHidden = false;
    rl.on('history', (history: string[]) => {
      this.history = history;
      saveHistory(this.historyFile, history);
    });
    rl.on('line', (line) => this.entered(line));
    rl.on('SIGINT', () => this.promptInterrupt(rl));
    rl.on('close', () => {
      if (this.closingPrompt) return;
      // Ctrl-D (or the terminal went away) at the prompt.
      this.rl = undefined;
      this.o.stdout.write('\n');
      void this.quit();
    });
    rl.prompt();
  }

  private closePrompt(): void {
    const rl = this.rl;
    if (!rl) return;
    this.rl = undefined;
    this.closingPrompt = true;
    rl.close();
    this.closingPrompt = false;
  }

  /** Clears the prompt (and what is typed) so that output appears where it was. */
  private hidePrompt(): void {
    const rl = this.rl;
    if (!rl || this.promptHidden) return;
    this.promptHidden = true;
    const out = this.o.stdout;
    readline.moveCursor(out, 0, -rl.getCursorPos().rows);
    readline.cursorTo(out, 0);
    readline.clearScreenDown(out);
  }

  /** Draws the prompt again below what was printed, with the line being typed and its cursor. */
  private showPrompt(): void {
    const rl = this.rl;
    if (!rl || !this.promptHidden) return;
    this.console.settle();
    this.promptHidden = false;
    // readline first moves up to the row the prompt started on: start that many rows lower.
    this.o.stdout.write('\n'.repeat(rl.getCursorPos().rows));
    rl.prompt(true);
  }

  /** Ctrl-C at the prompt, as node does: cancel the line (or the block), or leave when empty. */
  private promptInterrupt(rl: readline.Interface): void {
    // An event procedure running while the prompt shows (a reply's loop that never ends): Break.
    if (this.engine && !this.engine.machine.idle) {
      this.engine.scheduler.interrupt(true);
      return;
    }
    if (rl.line !== '' || this.workspace.continuing) {
      this.workspace.cancel();
      this.interruptedOnce = false;
      this.o.stdout.write('^C\n');
      this.closePrompt();
      this.prompt();
      return;
    }
    if (this.interruptedOnce) {
      this.o.stdout.write('\n');
      void this.quit();
      return;
    }
    this.interruptedOnce = true;
    this.o.stdout.write('\n(To leave, press Ctrl-C again or Ctrl-D, or type Quit)\n');
    rl.prompt();
  }

  private entered(line: string): void {
    this.interruptedOnce = false;
    this.closePrompt();
    if (!this.engine?.machine.idle) {
      // An event procedure is running: the line waits for it.
      this.queued = line;
      return;
    }
    this.accept(line);
  }

  /** A line typed at the prompt, the machine being idle. */
  private accept(line: string): void {
    const entered = this.workspace.enter(line);
    switch (entered.kind) {
      case 'empty':
      case 'more':
        this.prompt();
        return;
      case 'errors':
        this.console.notice(entered.report);
        this.prompt();
        return;
      case 'program':
        if (entered.report !== '') this.console.notice(entered.report);
        this.run(entered.program, false);
        return;
      case 'command':
        this.busy = true;
        void this.command(entered.command).finally(() => {
          this.busy = false;
          if (this.engine?.machine.idle && !this.rl) this.idle();
        });
        return;
    }
  }

  // -- commands --------------------------------------------------------------------------------

  private async command(c: Command): Promise<void> {
    switch (c.kind) {
      case 'load': {
        if (c.file === undefined) return this.say('Load needs a file name: Load "program.aoz"');
        let text: string;
        try {
          text = readFileSync(c.file, 'utf8');
        } catch (e) {
          return this.say(`Cannot read ${c.file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
        }
        const report = this.workspace.load(text, c.file);
        await this.restart(this.workspace.emptyProgram(), false);
        if (report !== '') this.console.notice(report);
        return this.say(`Loaded ${c.file} (${lineCount(this.workspace.text)}). Run runs it, List shows it.`);
      }
      case 'save': {
        const file = c.file ?? this.workspace.file;
        if (file === undefined) return this.say('Save needs a file name: Save "program.aoz"');
        try {
          writeFileSync(file, this.workspace.text);
        } catch (e) {
          return this.say(`Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
        }
        this.workspace.file = file;
        return this.say(`Saved ${file} (${lineCount(this.workspace.text)})`);
      }
      case 'list': {
        const text = this.workspace.list(c.procedure);
        if (text === undefined)
          return this.say(`No procedure called ${c.procedure} in the program in memory`);
        if (text === '') return this.say('The program in memory is empty (Load one, or type a Procedure).');
        return this.write(text);
      }
      case 'help': {
        if (c.topic === undefined) return this.write(REPL_HELP);
        const text = docText(c.topic);
        if (text !== undefined) return this.write(text);
        const close = closeMatches(c.topic);
        return this.say(
          `No instruction, function or statement called "${c.topic}"` +
            (close.length > 0 ? `. Did you mean: ${close.join(', ')}?` : ''),
        );
      }
      case 'run': {
        const entered = this.workspace.run();
        if (entered.kind === 'errors') return this.console.notice(entered.report);
        if (entered.kind !== 'program') return;
        if (entered.report !== '') this.console.notice(entered.report);
        await this.restart(entered.program, true);
        return;
      }
      case 'new':
        this.workspace.clear();
        await this.restart(this.workspace.emptyProgram(), false);
        return;
      case 'quit':
        return this.quit();
    }
  }

  /** A message of the REPL's own, on a line of its own. */
  private say(text: string): void {
    this.console.notice(text);
  }

  private write(text: string): void {
    this.console.settle();
    this.o.stdout.write(text);
  }

  private vocabulary(): string[] {
    const names = referenceSections().flatMap((s) => s.entries.map((e) => e.name));
    return [
      ...names,
      ...this.workspace.names(),
      'Load',
      'Save',
      'Run',
      'List',
      'New',
      'Help',
      'Quit',
      'System',
    ];
  }

  private async quit(): Promise<void> {
    this.closePrompt();
    process.off('SIGINT', this.onSigint);
    await this.stopMachine();
    this.console.close();
    this.unregisterExit();
    this.done?.(EXIT.ok);
  }
}

function lineCount(text: string): string {
  const n = text === '' ? 0 : text.split('\n').length - 1;
  return n === 1 ? '1 line' : `${n} lines`;
}

/** The history file holds one entry per line, oldest first (readline wants newest first). */
function loadHistory(file: string): string[] {
  if (file === '') return [];
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .slice(-HISTORY_SIZE)
      .reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, history: readonly string[]): void {
  if (file === '') return;
  try {
    writeFileSync(file, `${[...history].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // A read-only home must not stop the session: the history is only lost.
  }
}
