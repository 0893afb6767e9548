/**
 * The REPL's workspace (docs/repl.md): the program in memory (what Load reads, List shows, Save
 * writes and Run runs) and the direct-mode names, and what a line typed at the prompt becomes: a
 * command, a request for more lines (a block is still open), errors, or a program for the machine.
 * No terminal here: repl.ts does the I/O.
 *
 * Procedures typed at the prompt join the program in memory (replacing one of the same name), as
 * in AMOS's editor: later lines call them, List shows them, Save writes them. Other statements run
 * at once and are not kept.
 */
import type { BuiltinRegistry } from '../interpreter/builtins.js';
import { compile, DirectContext } from '../interpreter/compile.js';
import { type Diagnostic, formatDiagnostic, type SourcePos } from '../interpreter/errors.js';
import type { EndReason } from '../interpreter/machine.js';
import type { CompiledProgram } from '../interpreter/program.js';
import type { Procedure, Program } from '../parser/ast.js';
import { type ParseResult, parse } from '../parser/parse.js';
import { strictly } from '../session.js';

export type Command =
  | { readonly kind: 'load'; readonly file: string | undefined }
  | { readonly kind: 'save'; readonly file: string | undefined }
  | { readonly kind: 'list'; readonly procedure: string | undefined }
  | { readonly kind: 'help'; readonly topic: string | undefined }
  | { readonly kind: 'run' }
  | { readonly kind: 'new' }
  | { readonly kind: 'quit' };

export type Entered =
  | { readonly kind: 'empty' }
  /** A block is still open: the prompt asks for the next line. */
  | { readonly kind: 'more' }
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'errors'; readonly report: string }
  /** `report`: warnings and notes to show before it runs (often empty). */
  | { readonly kind: 'program'; readonly program: CompiledProgram; readonly report: string };

/**
 * A line that is a whole REPL command. Matched before the line is parsed as BASIC, and only when
 * nothing else is on it, so `List = 3` or `Run$ = "x"` stay assignments.
 */
export function parseCommand(line: string): Command | undefined {
  const m = /^\s*(load|save|list|help|run|new|quit|system)(?:\s+(?:"([^"]*)"?|(\S(?:.*\S)?)))?\s*$/i.exec(
    line,
  );
  // `List = 3` is an assignment to a variable called List.
  if (!m || m[3]?.startsWith('=')) return undefined;
  const word = m[1]!.toLowerCase();
  const arg = m[2] ?? m[3];
  switch (word) {
    case 'load':
    case 'save':
      return { kind: word, file: arg };
    case 'list':
      return { kind: 'list', procedure: arg };
    case 'help':
      return { kind: 'help', topic: arg };
    case 'run':
    case 'new':
      return arg === undefined ? { kind: word } : undefined;
    default:
      return arg === undefined ? { kind: 'quit' } : undefined;
  }
}

/** A text that positions refer to; `name` undefined: the one line just typed. */
interface Source {
  readonly name: string | undefined;
  readonly lines: readonly string[];
}

export class Workspace {
  /** The program in memory, line by line. */
  private lines: string[] = [];
  /** The file it was loaded from or saved to (Save's default). */
  file: string | undefined;
  /** Direct mode's names; a new one goes with a new machine (New, Load, Run). */
  direct = new DirectContext();
  /** Lines of a block being typed. */
  private pending: string[] = [];
  /** Where the positions of what runs now point: the main section's, and the procedures'. */
  private running: { main: Source; procedures: Source } = {
    main: { name: undefined, lines: [] },
    procedures: { name: 'the program', lines: [] },
  };
  private warnedBroken = false;

  constructor(
    private readonly builtins: BuiltinRegistry,
    private readonly strict = false,
  ) {}

  /** A block is being typed (the continuation prompt). */
  get continuing(): boolean {
    return this.pending.length > 0;
  }

  /** The program in memory. */
  get text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  /** Ctrl-C while a block is typed: forget it. */
  cancel(): void {
    this.pending = [];
  }

  /** Load: the program in memory becomes `text`; what is wrong with it is reported, not refused. */
  load(text: string, file: string | undefined): string {
    this.lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
    if (text === '') this.lines = [];
    this.file = file;
    this.pending = [];
    this.direct = new DirectContext();
    this.warnedBroken = false;
    const source = this.programSource(this.lines);
    const parsed = this.parse(this.lines);
    return this.format(strictly(parsed.diagnostics, this.strict), () => source);
  }

  /** New: no program, no variables. */
  clear(): void {
    this.load('', undefined);
  }

  /** List [NAME]: the program in memory, or one of its procedures; undefined: no such procedure. */
  list(procedure?: string): string | undefined {
    if (procedure === undefined) return this.text;
    const key = procedure.trim().toLowerCase();
    const p = this.procedures().find((q) => q.name.toLowerCase() === key);
    return p && `${this.lines.slice(p.pos.line - 1, p.endPos.line).join('\n')}\n`;
  }

  /** Run: the program in memory, compiled for a new machine (fresh variables). */
  run(): Entered {
    this.pending = [];
    this.direct = new DirectContext();
    const source = this.programSource(this.lines);
    const parsed = this.parse(this.lines);
    const diagnostics = strictly(parsed.diagnostics, this.strict);
    if (diagnostics.some(isError)) return { kind: 'errors', report: this.format(diagnostics, () => source) };
    const compiled = compile(parsed.program, this.builtins, { direct: this.direct });
    const report = this.format([...diagnostics, ...compiled.diagnostics], () => source);
    if (!compiled.program) return { kind: 'errors', report };
    this.running = { main: source, procedures: source };
    return { kind: 'program', program: compiled.program, report };
  }

  /** A program that does nothing, for a new machine (its main slots are direct mode's). */
  emptyProgram(): CompiledProgram {
    const compiled = compile({ kind: 'Program', main: [], procedures: [] }, this.builtins, {
      direct: this.direct,
    });
    if (!compiled.program) throw new Error('an empty program does not compile');
    return compiled.program;
  }

  /** A line typed at the prompt. */
  enter(line: string): Entered {
    if (this.pending.length === 0) {
      if (line.trim() === '') return { kind: 'empty' };
      const command = parseCommand(line);
      if (command) return { kind: 'command', command };
    }
    this.pending.push(line);
    const input = this.pending;
    const parsed = this.parse(input);
    const diagnostics = strictly(parsed.diagnostics, this.strict);
    const errors = diagnostics.filter(isError).length;
    // Every error is a block left open at the end: the rest of the block is still to come.
    if (parsed.openBlocks > 0 && errors === parsed.openBlocks) return { kind: 'more' };
    this.pending = [];
    const typed: Source = { name: input.length === 1 ? undefined : 'your input', lines: input };
    if (errors > 0) return { kind: 'errors', report: this.format(diagnostics, () => typed) };

    const defined = parsed.program.procedures;
    const lines = defined.length > 0 ? this.withProcedures(defined, input) : this.lines;
    const inMemory = defined.length > 0 || this.lines.length > 0 ? this.parse(lines) : undefined;
    // A program in memory that does not parse lends no procedures: those just typed still work.
    const usable = inMemory !== undefined && !inMemory.diagnostics.some(isError);
    const program: Program = {
      kind: 'Program',
      main: parsed.program.main,
      procedures: usable ? inMemory.program.procedures : defined,
    };
    const compiled = compile(program, this.builtins, { direct: this.direct });
    const stored = this.programSource(lines);
    let report = this.format([...diagnostics, ...compiled.diagnostics], (d) =>
      d.section === undefined || d.section === 'main' || !usable ? typed : stored,
    );
    if (!compiled.program) return { kind: 'errors', report };
    this.lines = lines;
    if (inMemory !== undefined && !usable && !this.warnedBroken) {
      this.warnedBroken = true;
      report +=
        'Note: the program in memory has errors, so its procedures cannot be called (List shows it, Run reports the errors).\n';
    }
    this.running = { main: typed, procedures: stored };
    return { kind: 'program', program: compiled.program, report };
  }

  /** What to say when a command stopped (nothing when it simply ended). */
  stopReport(reason: EndReason, section: string): string {
    const source = section === 'main' ? this.running.main : this.sourceOfProcedure(section);
    switch (reason.kind) {
      case 'end':
        return '';
      case 'error':
        return this.describe('error', reason.error.message, reason.error.pos, source);
      case 'interrupted':
        return source.name === undefined || !reason.pos
          ? 'Break\n'
          : `Break at line ${reason.pos.line} in ${source.name}\n`;
      case 'input':
        return `Notice: end of input while waiting for ${reason.what}\n`;
      case 'timeout':
        return 'Break (time limit reached)\n';
    }
  }

  /** Names Tab completes besides the language's: procedures, then variables and arrays. */
  names(): string[] {
    return [...this.procedures().map((p) => p.name), ...this.direct.main.names()];
  }

  private procedures(): readonly Procedure[] {
    return this.lines.length === 0 ? [] : this.parse(this.lines).program.procedures;
  }

  private sourceOfProcedure(name: string): Source {
    const s = this.running.procedures;
    return { name: `${s.name} (procedure ${name})`, lines: s.lines };
  }

  private programSource(lines: readonly string[]): Source {
    return { name: this.file ?? 'the program', lines };
  }

  private parse(lines: readonly string[]): ParseResult {
    return parse(lines.join('\n'), this.builtins.vocabulary);
  }

  /** The program in memory with `defined` (typed as `input`) added or replacing their namesakes. */
  private withProcedures(defined: readonly Procedure[], input: readonly string[]): string[] {
    let lines = this.lines;
    for (const p of defined) {
      const text = input.slice(p.pos.line - 1, p.endPos.line);
      const key = p.name.toLowerCase();
      const old =
        lines.length > 0
          ? this.parse(lines).program.procedures.find((q) => q.name.toLowerCase() === key)
          : undefined;
      if (old) {
        lines = [...lines.slice(0, old.pos.line - 1), ...text, ...lines.slice(old.endPos.line)];
      } else {
        const gap = lines.length > 0 && lines[lines.length - 1]!.trim() !== '' ? [''] : [];
        lines = [...lines, ...gap, ...text];
      }
    }
    return lines;
  }

  private format(diagnostics: readonly Diagnostic[], sourceOf: (d: Diagnostic) => Source): string {
    return diagnostics
      .map((d) => this.describe(d.severity, d.message, d.pos, sourceOf(d), d.length))
      .join('');
  }

  /**
   * An error in a line just typed shows no line number (the line is right above) and a caret
   * only when it points somewhere inside the line; elsewhere, the usual message (DESIGN §8).
   */
  private describe(
    severity: 'error' | 'warning',
    message: string,
    pos: SourcePos | undefined,
    source: Source,
    length?: number,
  ): string {
    if (source.name !== undefined)
      return formatDiagnostic(severity, message, pos, source.name, source.lines, length);
    const full = formatDiagnostic(severity, message, pos, '', source.lines, length);
    const head = `${severity === 'error' ? 'Error' : 'Warning'}: ${message}\n`;
    return pos && pos.column > 1 ? head + full.slice(full.indexOf('\n') + 1) : head;
  }
}

function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}
