/**
 * The contract between the interpreter and the runtime library (src/runtime): the shape of an
 * instruction-table entry (DESIGN §3), what a running program offers to the code behind an entry
 * (`Runtime`), how an instruction waits (`Wait`), and the devices the session plugs in.
 * The runtime implements this contract; the interpreter never imports the runtime.
 */
import type { AozError, SourcePos } from './errors.js';
import type { Value, ValueType } from './values.js';

// ---------------------------------------------------------------------------------------------
// Instruction tables

/**
 * `variable`: the argument must be a variable or array element, passed by reference
 * (`Inc A`, `Swap A, B`); `array`: an array, written `A()` or `A(0)` (`Sort A(0)`).
 */
export type ParamType = 'number' | 'string' | 'any' | 'variable' | 'array';

/** A variable or array element given to a `variable` parameter. */
export interface VariableRef {
  readonly kind: 'variable';
  readonly type: ValueType;
  get(): Value;
  /** Stores with the variable's conversion (truncation into integer variables). */
  set(v: Value): void;
}

/** A Dim'd array given to an `array` parameter: indexes 0..sizes[d] in each dimension. */
export interface ArrayArg {
  readonly kind: 'array';
  readonly name: string;
  readonly type: ValueType;
  readonly sizes: readonly number[];
  /** Row-major elements. */
  readonly data: Value[];
}

/** What an entry receives for each parameter: undefined for an optional one left out. */
export type Arg = Value | VariableRef | ArrayArg | undefined;

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** For a `variable` parameter: the kind of variable it takes, checked at compile time. */
  readonly of?: 'number' | 'string';
  /** Optional parameters may be left out (trailing) or empty (`Locate ,5`): the entry sees `undefined`. */
  readonly optional?: boolean;
}

interface EntryBase {
  /** The AOZ name as the AOZ docs write it: "Wait Key", "WebSocket Message$". */
  readonly name: string;
  readonly params: readonly ParamSpec[];
  /** One line of meaning, for `aozrun --doc` and docs/reference.md. */
  readonly doc: string;
  /** Full syntax when the parameter list alone does not say it. */
  readonly syntax?: string;
  /** True when the entry may suspend the program (returns a Wait). */
  readonly waits?: boolean;
}

export interface InstructionEntry extends EntryBase {
  readonly kind: 'instruction';
  run(rt: Runtime, args: readonly Arg[]): undefined | Wait;
}

export interface FunctionEntry extends EntryBase {
  readonly kind: 'function';
  /** `argument`: the static type of the first argument (Min and Max take numbers or strings). */
  readonly returns: ValueType | 'argument';
  /** Waiting functions (`waits: true`) return a Wait whose result() is the value. */
  run(rt: Runtime, args: readonly Arg[]): Value | Wait;
  /**
   * The same function of its one argument, called without an argument array by compiled code
   * (src/interpreter/jit.ts), for the functions hot loops call most (Sqr, Sin, Len, Str$...).
   * Made with `ofOne`, which writes `run` as a call of it.
   */
  readonly one?: (rt: Runtime, x: Value) => Value;
}

export type BuiltinEntry = InstructionEntry | FunctionEntry;

/** `run` and `one` of a function of one argument, from `one` alone (so the two cannot differ). */
export function ofOne<T extends Value>(
  one: (rt: Runtime, x: T) => Value,
): Pick<FunctionEntry, 'run' | 'one'> {
  return { run: (rt, [x]) => one(rt, x as T), one: one as (rt: Runtime, x: Value) => Value };
}

// ---------------------------------------------------------------------------------------------
// Waiting

/**
 * A waiting instruction's state (DESIGN §4): the machine parks the running frame on it and polls
 * `ready()` after every wake-up; events may run above it meanwhile (DESIGN §5).
 */
export interface Wait {
  /** What is being waited for, for notices and --trace ("Wait Key", "Call Service"). */
  readonly what: string;
  /** True when it waits for the keyboard: end of stdin then ends the run (DESIGN §6). */
  readonly input?: boolean;
  /** Polled after each wake-up while this frame is on top; may throw AozError or EndOfInput. */
  ready(): boolean;
  /** The value of a waiting function, read once ready. */
  result?(): Value;
  /**
   * Runs once ready, before the next statement; may call rt.call() (synchronous Call Service).
   * Not named `then`: that would make every Wait look like a promise to `await`.
   */
  onReady?(rt: Runtime): void;
  /** The program ended (End, error, Ctrl-C) while waiting: release timers and sockets. */
  cancel?(): void;
}

/** Thrown by a Wait when stdin has ended while the program waits for keyboard input. */
export class EndOfInput {
  constructor(readonly what: string) {}
}

// ---------------------------------------------------------------------------------------------
// Devices and services

/** The console device (DESIGN §6): AOZ's 80x25 text window, drawn on a terminal or a pipe. */
export interface ConsoleDevice {
  /** Print text at the cursor: control characters are interpreted (aoz-facts §3.6), "\n" is a new line. */
  print(text: string): void;
  readonly cursorX: number;
  readonly cursorY: number;
  pen: number;
  paper: number;
  /** Cls: clear to colour `color` (default 0, not the paper: aoz-facts §11.3) and home. */
  cls(color?: number): void;
  /** Inkey$: the next key as AOZ returns it, or "" (never waits). */
  inkey(): string;
  /** Wait Key: ready once a key was pressed (the key is consumed). */
  waitKey(): Wait;
  /** One line of input for Input/Line Input, echoed as typed (or, in pipes, once consumed). */
  readLine(what: string): Wait & { result(): string };
  /** Warnings and notices go to stderr, never into the program's output. */
  notice(text: string): void;
  /** Restore the terminal and stop reading stdin. */
  close(): void;
}

/** A typed key for per-session services (the network state, ...), registered by the session. */
export interface ServiceKey<T> {
  readonly name: string;
  /** Phantom field carrying T. */
  readonly __type?: T;
}

export function serviceKey<T>(name: string): ServiceKey<T> {
  return { name };
}

/**
 * Per-run state of a runtime family (String Base Index, Degree/Radian, the random generator...),
 * created on first use by `rt.state(key)`.
 */
export interface StateKey<T> {
  readonly name: string;
  create(): T;
}

/** Services that hold resources are closed when the program ends. */
export interface Closable {
  close(): void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// What a running program offers to the runtime library

export interface ProcedureRef {
  readonly name: string;
  readonly paramCount: number;
}

export type RuntimeEvent =
  | { readonly kind: 'call'; readonly proc: ProcedureRef; readonly args: readonly Value[] }
  | { readonly kind: 'error'; readonly error: AozError };

export interface Runtime {
  readonly console: ConsoleDevice;
  /** --strict: transcription artefacts are errors instead of warnings (DESIGN §9). */
  readonly strict: boolean;
  /** Where the running statement starts. */
  readonly pos: SourcePos;
  /** The Fix setting that Str$ and Print use for non-integral numbers (aoz-facts §3.4). */
  fix: number;
  service<T>(key: ServiceKey<T>): T;
  /** This run's state for a runtime family, created on first use. */
  state<T>(key: StateKey<T>): T;
  /** A warning at the running statement (stderr), or a strict_violation error under --strict. */
  warn(message: string): void;
  /** An asynchronous source made progress: re-poll the current Wait, dispatch queued events. */
  wake(): void;
  /**
   * The program polled for something only input or the network can bring, and it has not come
   * (`WebSocket Is Message`, `Inkey$`...): Node gets to run before the program goes on, so a
   * polling loop sees it as soon as it arrives instead of at the end of its time slice.
   */
  polled(): void;
  /** Queue an event, dispatched between statements in arrival order (DESIGN §5). */
  post(event: RuntimeEvent): void;
  /** Case-insensitive lookup of a procedure by the name given in a string (DESIGN §9). */
  findProcedure(name: string): ProcedureRef | undefined;
  /** Call a procedure now, with arguments by position; used from Wait.then. */
  call(proc: ProcedureRef, args: readonly Value[]): void;
  /**
   * Keep the program alive after the main program falls off its end until the returned release
   * function is called (an asynchronous Call Service in flight, DESIGN §5).
   */
  hold(): () => void;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}
