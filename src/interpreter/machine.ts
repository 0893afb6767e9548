/**
 * The machine (DESIGN §4–§5): runs compiled sections synchronously, one operation after another,
 * on an explicit stack of frames, until it must wait or its time slice is over. It never awaits:
 * the scheduler calls `runSlice` again when a wait may be over or after yielding to Node.
 * It is also the `Runtime` the instruction tables see.
 */
import { getHeapStatistics } from 'node:v8';
import { AozError, errorIdByNumber, type SourcePos } from './errors.js';
import { Fifo } from './fifo.js';
import { compileSection, type JitMode } from './jit.js';
import { UNWIND } from './ops.js';
import type { AozArray, CompiledProgram, Section } from './program.js';
import {
  type ConsoleDevice,
  EndOfInput,
  type ProcedureRef,
  type Runtime,
  type RuntimeEvent,
  type ServiceKey,
  type StateKey,
  type Wait,
} from './runtime-api.js';
import { defaultValue, toInteger, type Value, type ValueType } from './values.js';

/** An error being handled by On Error in a frame, until Resume (aoz-facts §6.10). */
interface Handling {
  /** Where Resume retries: the start of the statement that failed. */
  readonly retryPc: number;
  /** Where Resume Next goes: the statement after it. */
  readonly nextPc: number;
}

const NO_ARRAYS: (AozArray | undefined)[] = Object.freeze([]) as unknown as (AozArray | undefined)[];

/** Gosub return address that ends an Every ... Gosub event instead of returning. */
const END_OF_EVENT = -1;

export class Frame {
  pc = 0;
  readonly vars: Value[];
  readonly arrays: (AozArray | undefined)[];
  /** Gosub return addresses (per section, aoz-facts §5.7); made on first use. */
  get gosub(): number[] {
    this.returns ??= [];
    return this.returns;
  }
  private returns: number[] | undefined;
  wait: Wait | null = null;
  waitResult: ((v: Value) => void) | null = null;
  /** Param/Param# and Param$: the value of the last procedure this frame called (§5.3). */
  param = 0;
  paramStr = '';
  /** On Error Goto (a pc) or On Error Proc (a section) set in this frame. */
  onError: { readonly pc: number } | { readonly proc: Section } | null = null;
  handling: Handling | null = null;
  /** Trap: where to go when the trapped statement fails, and ErrTrap's value. */
  trapExit = -1;
  errTrap = 0;
  /** Read's position in the section's Data list (aoz-facts §7.1). */
  dataPtr = 0;
  /** This frame is an On Error procedure handling an error of `errorOf`. */
  errorOf: Frame | null = null;

  constructor(
    readonly section: Section,
    /** Where the End Proc value goes in the caller's frame (-1: nowhere). */
    readonly resultSlot: number,
    /** Started by an event: event procedures never nest (DESIGN §5). */
    readonly isEvent: boolean,
    /** An Every ... Gosub event runs on the variables of the frame that set it up. */
    share?: Frame,
    main = false,
  ) {
    this.vars = share ? share.vars : section.varInit.slice();
    // Frames are made for every call: a procedure without arrays shares an empty list (the main
    // program's grows in direct mode: Machine.load).
    this.arrays = share
      ? share.arrays
      : section.arrayCount === 0 && !main
        ? NO_ARRAYS
        : new Array(section.arrayCount);
  }
}

export type SliceResult = 'yield' | 'waiting' | 'ended';

export type EndReason =
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: AozError }
  | { readonly kind: 'input'; readonly what: string; readonly pos: SourcePos | undefined }
  | { readonly kind: 'interrupted'; readonly pos: SourcePos | undefined }
  | { readonly kind: 'timeout'; readonly pos: SourcePos | undefined };

export interface MachineOptions {
  readonly console: ConsoleDevice;
  readonly strict: boolean;
  readonly maxCallDepth: number;
  /** Runtime warnings, already deduplicated, with the statement's position. */
  readonly onWarning: (message: string, pos: SourcePos | undefined) => void;
  /** Called when a wait may have ended or an event arrived. */
  readonly onWake: () => void;
  /** --trace: called at every statement start. */
  readonly trace?: ((section: Section, pc: number) => void) | undefined;
  readonly services: ReadonlyMap<ServiceKey<unknown>, unknown>;
  /** The JavaScript heap a program may fill before "Out of memory" (default: half of V8's). */
  readonly maxHeapBytes?: number | undefined;
  /**
   * Direct mode (the REPL): End, an uncaught error, Ctrl-C... stop the running command and report
   * here instead of ending the machine; then it waits idle for the next `load`, dispatching
   * events meanwhile. Only `end` ends it.
   */
  readonly onStop?: ((reason: EndReason, section: string) => void) | undefined;
  /** The second tier (jit.ts): default 'auto'; 'never' with --trace, which sees every statement. */
  readonly jit?: JitMode | undefined;
}

/** A heap check is forced once this many bytes of large strings and arrays were stored. */
const TRACKED_BYTES_PER_CHECK = 64 * 2 ** 20;

type MachineEvent = RuntimeEvent | { readonly kind: 'gosub'; readonly frame: Frame; readonly pc: number };

/** The Every timer (aoz-facts §6.9): one definition at a time, switched off after each call. */
interface Every {
  readonly timer: NodeJS.Timeout;
  enabled: boolean;
}

/**
 * The clock is read every this many operations (statements, in compiled code), to keep the loop
 * tight; the heap every MEMORY_CHECK_EVERY times that (large strings and arrays force a check
 * sooner: trackAllocation).
 */
const SLICE_CHECK_EVERY = 4096;
/** Operations the program runs after the last queued event procedure, before yielding to Node. */
const AFTER_EVENTS = 64;
const MEMORY_CHECK_EVERY = 4;

/**
 * A section is compiled to JavaScript once it was the one running at this many budget checks:
 * a sampling profile, so code that runs a few thousand statements stays interpreted.
 */
const HOT = 2;

export class Machine implements Runtime {
  readonly console: ConsoleDevice;
  readonly strict: boolean;
  readonly frames: Frame[] = [];
  frame: Frame;
  /** The current frame's variables, and the main program's (Shared/Global). */
  vars: Value[];
  readonly globals: Value[];
  readonly globalArrays: (AozArray | undefined)[];
  /** Fix setting used by Str$ and Print (aoz-facts §3.4). */
  fix = 16;
  ended: EndReason | null = null;
  /** The last error trapped by On Error or Trap: Errn and Err$. */
  lastError: { readonly number: number; readonly message: string } = { number: 0, message: '' };
  /** Break Off: Ctrl-C does not stop the program; On Break Proc: it calls a procedure. */
  breakEnabled = true;
  onBreak: Section | null = null;

  /**
   * Operations left before the next clock check; compiled code (jit.ts) spends it at backward
   * jumps. Set to 0 when an event is posted, so compiled code comes back to the machine for it.
   */
  budget = SLICE_CHECK_EVERY;
  private checks = 0;
  /** Yield to Node at the next budget check (see polled). */
  private yieldNow = false;
  /** How many compiled procedures run nested on the JavaScript stack (jit.ts), with frames. */
  jsDepth = 0;
  /** How many procedures run without frames (jit.ts), nested in compiled code. */
  directDepth = 0;
  readonly maxCallDepth: number;
  /** Frames of procedures that ran without one, made while unwinding, innermost first (jit.ts). */
  readonly unwound: Frame[] = [];
  /** A call that a procedure without a frame hands over to the machine (jit.ts). */
  pending: { readonly section: Section; readonly args: Value[]; readonly slot: number } | null = null;

  private readonly events = new Fifo<MachineEvent>();
  private eventFrame: Frame | null = null;
  private holds = 0;
  private every: Every | null = null;
  private readonly warned = new Set<string>();
  private readonly states = new Map<StateKey<unknown>, unknown>();
  private readonly epoch = performance.now();

  /** Direct mode: waiting here means waiting for the next command. */
  private readonly idleWait: Wait = { what: 'a command', ready: () => false };
  /** Direct mode: the program loaded by `load` waits for its replies before going idle (Run). */
  private draining = false;

  constructor(
    public program: CompiledProgram,
    private readonly options: MachineOptions,
  ) {
    this.console = options.console;
    this.strict = options.strict;
    this.maxHeap = options.maxHeapBytes ?? Math.floor(getHeapStatistics().heap_size_limit / 2);
    this.jit = options.trace ? 'never' : (options.jit ?? 'auto');
    this.maxCallDepth = options.maxCallDepth;
    const main = new Frame(program.main, -1, false, undefined, true);
    this.frames.push(main);
    this.frame = main;
    this.vars = main.vars;
    this.globals = main.vars;
    this.globalArrays = main.arrays;
  }

  // -- the loop -------------------------------------------------------------------------------

  /** Runs until `deadline` (ms, performance.now()), a wait that is not ready, or the end. */
  runSlice(deadline: number): SliceResult {
    const jit = this.jit;
    for (;;) {
      try {
        for (;;) {
          if (this.ended) return 'ended';
          const f = this.frame;
          if (f.wait !== null) {
            if (this.pollWait(f)) continue;
            if (this.dispatchEvent()) continue;
            return 'waiting';
          }
          const pc = f.pc;
          const section = f.section;
          // Before the statement start's work, so that a yield here does not trace it twice.
          if (--this.budget <= 0) {
            this.budget = SLICE_CHECK_EVERY;
            if (jit === 'auto' && ++section.heat === HOT) this.compile(section);
            if (++this.checks % MEMORY_CHECK_EVERY === 0) this.checkMemory();
            if (this.yieldNow) {
              this.yieldNow = false;
              return 'yield';
            }
            if (performance.now() >= deadline) return 'yield';
          }
          const start = section.statementStart[pc] === 1;
          if (start) {
            if (this.events.length > 0 && this.dispatchEvent()) continue;
            if (this.options.trace) this.options.trace(section, pc);
          }
          if (jit === 'always' && section.run === undefined) this.compile(section);
          // Compiled code runs on until its next backward jump: an event waiting for a statement
          // start is served by stepping there here.
          if (section.run !== undefined && (start || !this.eventsWaiting)) {
            section.run(this, f);
            continue;
          }
          f.pc = pc + 1;
          section.code[pc]!(this);
        }
      } catch (e) {
        // Compiled procedures running nested in each other (jit.ts) are all unwound.
        this.jsDepth = 0;
        this.directDepth = 0;
        this.fail(e);
      }
    }
  }

  private readonly jit: JitMode;

  /** Whether an event is queued that may run now, at the next statement start. */
  private get eventsWaiting(): boolean {
    return this.events.length > 0 && this.eventFrame === null;
  }

  private compile(section: Section): void {
    section.run = compileSection(section);
  }

  private pollWait(f: Frame): boolean {
    const w = f.wait!;
    if (!w.ready()) return false;
    const onResult = f.waitResult;
    f.wait = null;
    f.waitResult = null;
    if (onResult && w.result) onResult(w.result());
    w.onReady?.(this);
    return true;
  }

  /** An error thrown by the operation before `frame.pc` (or raised at it: `failPc`). */
  private fail(e: unknown, failPc = this.frame.pc - 1): void {
    // Stdin ended while the program waited for a key or a line: a normal end (DESIGN §6).
    if (e instanceof EndOfInput) {
      this.finish({ kind: 'input', what: e.what, pos: this.pos });
      return;
    }
    // A JavaScript exception is a bug of aozrun's: shown as AOZ's "Internal error", never as a
    // JavaScript stack trace (AOZRUN_DEBUG=1 prints the stack for whoever fixes it).
    if (!(e instanceof AozError) && process.env['AOZRUN_DEBUG'] && e instanceof Error) {
      process.stderr.write(`${e.stack}\n`);
    }
    const error =
      e instanceof AozError
        ? e
        : new AozError('internal_error', [e instanceof Error ? e.message : String(e)]);
    error.pos ??= this.frame.section.positions[Math.max(0, failPc)] ?? this.pos;
    if (error.id !== 'internal_error' && this.trap(error, Math.max(0, failPc))) return;
    this.finish({ kind: 'error', error });
  }

  /**
   * Trap, then On Error of the frame where the error happened (AOZ handles errors per section:
   * a procedure's error is not caught by the main program's On Error). An error while handling
   * one is fatal, as in AOZ.
   */
  private trap(error: AozError, failPc: number): boolean {
    const f = this.frame;
    if (f.wait) {
      f.wait.cancel?.();
      f.wait = null;
    }
    if (f.trapExit >= 0) {
      f.errTrap = error.number;
      this.lastError = { number: error.number, message: error.message };
      f.pc = f.trapExit;
      f.trapExit = -1;
      return true;
    }
    const handler = f.onError;
    if (!handler || f.handling || f.errorOf) return false;
    this.lastError = { number: error.number, message: error.message };
    const starts = f.section.statementStart;
    let retryPc = failPc;
    while (retryPc > 0 && starts[retryPc] !== 1) retryPc--;
    let nextPc = failPc + 1;
    while (nextPc < f.section.code.length - 1 && starts[nextPc] !== 1) nextPc++;
    f.handling = { retryPc, nextPc };
    if ('pc' in handler) {
      f.pc = handler.pc;
    } else {
      this.pushFrame(handler.proc, [], -1, false);
      this.frame.errorOf = f;
    }
    return true;
  }

  /** Resume, Resume Next, Resume LABEL: back to the frame that failed (aoz-facts §6.10). */
  resume(mode: 'retry' | 'next' | 'label', label: string | null): void {
    const failed = this.frame.errorOf ?? this.frame;
    const h = failed.handling;
    if (!h) throw new AozError('resume_without_error');
    let pc = mode === 'retry' ? h.retryPc : h.nextPc;
    if (mode === 'label') {
      const at = failed.section.labels.get((label ?? '').toLowerCase());
      if (at === undefined) throw new AozError('resume_label_not_defined', [label ?? '']);
      pc = at;
    }
    while (this.frame !== failed) this.popFrame();
    failed.handling = null;
    failed.pc = pc;
  }

  /**
   * Stops the program: End, an uncaught error, end of input, Ctrl-C or --timeout. In direct mode
   * only the running command stops: the machine goes back to waiting for the next.
   */
  finish(reason: EndReason): void {
    if (this.ended) return;
    if (this.options.onStop) {
      this.stopCommand(reason);
      return;
    }
    this.end(reason);
  }

  /** Ends the machine for good, in direct mode too (the REPL's Quit). */
  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = reason;
    this.cancelWaits();
    this.events.clear();
    this.everyOff();
  }

  private cancelWaits(): void {
    for (const f of this.frames) {
      f.wait?.cancel?.();
      f.wait = null;
    }
  }

  /**
   * Back to the main frame, idle. Events already queued and requests in flight are kept: their
   * procedures still run while the prompt waits. So is Every, which the user switches off.
   */
  private stopCommand(reason: EndReason): void {
    const section = this.frame.section.name;
    this.cancelWaits();
    const main = this.frames[0]!;
    this.frames.length = 1;
    this.frame = main;
    this.vars = main.vars;
    this.eventFrame = null;
    main.gosub.length = 0;
    main.handling = null;
    main.trapExit = -1;
    main.pc = main.section.code.length;
    main.wait = this.idleWait;
    this.draining = false;
    this.options.onStop!(reason, section);
  }

  /** Direct mode: waiting for the next command, with no procedure running or event queued. */
  get idle(): boolean {
    return this.frames.length === 1 && this.frame.wait === this.idleWait && this.events.length === 0;
  }

  /**
   * Direct mode: runs `program` next, on the variables of the commands before it (its main
   * section was compiled in the same DirectContext, so it only adds slots). `drain`: at its end,
   * wait for replies in flight before going idle, as a program run from the command line does.
   */
  load(program: CompiledProgram, drain = false): void {
    this.cancelWaits();
    const old = this.frames[0]!;
    const init = program.main.varInit;
    for (let i = old.vars.length; i < init.length; i++) old.vars.push(init[i]!);
    if (old.arrays.length < program.main.arrayCount) old.arrays.length = program.main.arrayCount;
    this.program = program;
    this.frames.length = 0;
    this.enter(new Frame(program.main, -1, false, old));
    this.eventFrame = null;
    this.draining = drain;
  }

  /**
   * Ctrl-C: stops the program, unless Break Off, or calls the On Break procedure. `force`: stops
   * it anyway (the REPL's second Ctrl-C, which must always get the prompt back).
   */
  interrupt(force = false): void {
    if (force) {
      this.finish({ kind: 'interrupted', pos: this.stopPos });
    } else if (this.onBreak) {
      this.post({ kind: 'call', proc: { name: this.onBreak.name, paramCount: 0 }, args: [] });
    } else if (this.breakEnabled) {
      this.finish({ kind: 'interrupted', pos: this.stopPos });
    }
  }

  // -- memory ---------------------------------------------------------------------------------

  private readonly maxHeap: number;
  private tracked = 0;

  /**
   * "Out of memory" before V8 runs out of heap and aborts the process (resource limit). Checked
   * every 1024 statements, and sooner when large strings or arrays are stored (trackAllocation):
   * one statement may store megabytes.
   */
  checkMemory(): void {
    this.tracked = 0;
    if (getHeapStatistics().used_heap_size > this.maxHeap) {
      throw new AozError('out_of_memory', [`more than ${Math.round(this.maxHeap / 2 ** 20)} MB in use`]);
    }
  }

  trackAllocation(bytes: number): void {
    this.tracked += bytes;
    if (this.tracked > TRACKED_BYTES_PER_CHECK) this.checkMemory();
  }

  // -- frames ---------------------------------------------------------------------------------

  private pushFrame(section: Section, args: readonly Value[], resultSlot: number, isEvent: boolean): void {
    if (this.frames.length >= this.maxCallDepth) throw new AozError('out_of_stack_space');
    const caller = this.frame;
    // Each call resets the caller's Param/Param$ (aoz-facts §5.3).
    caller.param = 0;
    caller.paramStr = '';
    const f = new Frame(section, resultSlot, isEvent);
    const params = section.params;
    for (let i = 0; i < params.length && i < args.length; i++) {
      const p = params[i]!;
      f.vars[p.slot] = coerce(args[i]!, p.type);
    }
    this.enter(f);
    if (isEvent) this.eventFrame = f;
  }

  private enter(f: Frame): void {
    this.frames.push(f);
    this.frame = f;
    this.vars = f.vars;
  }

  private popFrame(): Frame {
    const done = this.frames.pop()!;
    const caller = this.frames[this.frames.length - 1]!;
    this.frame = caller;
    this.vars = caller.vars;
    if (done === this.eventFrame) {
      this.eventFrame = null;
      // The events that came have run: after a few more operations of the program (which must
      // not starve under a flood), let Node read what has arrived since, rather than going on
      // until the slice ends: an event-driven program keeps up with its input.
      if (this.events.length === 0) this.yieldAfter(AFTER_EVENTS);
    }
    done.wait?.cancel?.();
    return done;
  }

  /** The frame of a procedure that ran without one (jit.ts), to be adopted. */
  newFrame(section: Section, resultSlot: number): Frame {
    return new Frame(section, resultSlot, false);
  }

  /**
   * Compiled code caught `e` while procedures without frames unwound (jit.ts): their frames go on
   * the stack, outermost first, and the innermost runs next. True when `e` was the hand-over
   * (then a pending call is made now), false for an error to handle as usual.
   */
  adopt(e: unknown): boolean {
    for (let i = this.unwound.length - 1; i >= 0; i--) this.enter(this.unwound[i]!);
    this.unwound.length = 0;
    this.directDepth = 0;
    const call = this.pending;
    this.pending = null;
    if (e !== UNWIND) return false;
    if (call) this.callSection(call.section, call.args, call.slot);
    return true;
  }

  /** A procedure call from compiled code; the result (if any) lands in the caller's `resultSlot`. */
  callSection(section: Section, args: readonly Value[], resultSlot: number): void {
    this.pushFrame(section, args, resultSlot, false);
  }

  /** End Proc / Pop Proc: back to the caller with the procedure's value. */
  returnFromProcedure(value: Value | undefined): void {
    if (this.frame.errorOf) throw new AozError('error_procedure_must_resume');
    const done = this.popFrame();
    const caller = this.frame;
    if (value !== undefined) {
      if (typeof value === 'string') caller.paramStr = value;
      else caller.param = value;
    }
    if (done.resultSlot >= 0) {
      caller.vars[done.resultSlot] = value ?? defaultValue(done.section.returns);
    }
  }

  gosub(target: number): void {
    this.frame.gosub.push(this.frame.pc);
    this.frame.pc = target;
  }

  /** Return: to the Gosub, or out of an Every ... Gosub event. */
  returnFromGosub(): void {
    const back = this.frame.gosub.pop();
    // Pop with an empty stack also raises error 1, not "Pop without gosub" (aoz-facts §6.6).
    if (back === undefined) throw new AozError('return_without_gosub');
    if (back === END_OF_EVENT) this.popFrame();
    else this.frame.pc = back;
  }

  suspend(wait: Wait, onResult: ((v: Value) => void) | null = null): void {
    this.frame.wait = wait;
    this.frame.waitResult = onResult;
  }

  // -- events ---------------------------------------------------------------------------------

  private dispatchEvent(): boolean {
    if (this.eventFrame !== null || this.events.length === 0) return false;
    const ev = this.events.shift()!;
    switch (ev.kind) {
      case 'error':
        this.fail(ev.error, this.frame.pc);
        return true;
      case 'call': {
        const section = this.program.procedures.get(ev.proc.name.toLowerCase());
        if (!section) throw new AozError('procedure_not_found', [ev.proc.name]);
        this.pushFrame(section, ev.args, -1, true);
        return true;
      }
      case 'gosub': {
        // The frame that set up Every ... Gosub has returned: nothing to run the routine on.
        if (!this.frames.includes(ev.frame)) return false;
        const f = new Frame(ev.frame.section, -1, true, ev.frame);
        f.gosub.push(END_OF_EVENT);
        f.pc = ev.pc;
        this.enter(f);
        this.eventFrame = f;
        return true;
      }
    }
  }

  /**
   * Falling off the end of the main program: wait for held work, keep dispatching (DESIGN §5).
   * In direct mode a command goes idle at once: replies arrive while the prompt waits.
   */
  endOfMain(): Wait {
    if (this.options.onStop && !this.draining) return this.idleWait;
    return {
      what: 'end of program',
      ready: () => this.holds === 0 && this.events.length === 0 && this.eventFrame === null,
      onReady: () => {
        if (!this.options.onStop) this.finish({ kind: 'end' });
        else {
          this.draining = false;
          this.frame.wait = this.idleWait;
        }
      },
    };
  }

  /**
   * Every n Proc/Gosub: calls the routine every n seconds while enabled; each call switches it
   * off until Every On (aoz-facts §6.9). A second definition is "Every already defined".
   */
  everyStart(seconds: number, target: { readonly proc: Section } | { readonly pc: number }): void {
    if (this.every) throw new AozError('every_already_defined');
    if (!(seconds > 0)) throw new AozError('illegal_function_call', [`Every ${seconds}`]);
    const frame = this.frame;
    const every: Every = {
      enabled: true,
      timer: setInterval(() => {
        if (!every.enabled || this.ended) return;
        every.enabled = false;
        if ('proc' in target) {
          this.post({ kind: 'call', proc: { name: target.proc.name, paramCount: 0 }, args: [] });
        } else {
          this.events.push({ kind: 'gosub', frame, pc: target.pc });
          this.budget = 0;
          this.options.onWake();
        }
      }, seconds * 1000),
    };
    // Every does not keep a finished program alive.
    every.timer.unref();
    this.every = every;
  }

  everyOn(): void {
    if (!this.every) throw new AozError('every_not_defined');
    this.every.enabled = true;
  }

  everyOff(): void {
    if (this.every) clearInterval(this.every.timer);
    this.every = null;
  }

  // -- Runtime --------------------------------------------------------------------------------

  get pos(): SourcePos {
    const f = this.frame;
    return f.section.positions[Math.max(0, f.pc - 1)] ?? { line: 0, column: 0 };
  }

  /**
   * Where a stop from outside (Ctrl-C, --timeout) happens: between two slices `pos` is the last
   * operation run, which at the jump back of a loop is the statement before the loop; the
   * statement about to run is the one to name, unless the frame is waiting in one.
   */
  get stopPos(): SourcePos {
    const f = this.frame;
    return (f.wait === null ? f.section.positions[f.pc] : undefined) ?? this.pos;
  }

  state<T>(key: StateKey<T>): T {
    let s = this.states.get(key as StateKey<unknown>);
    if (s === undefined) {
      s = key.create();
      this.states.set(key as StateKey<unknown>, s);
    }
    return s as T;
  }

  service<T>(key: ServiceKey<T>): T {
    const s = this.options.services.get(key as ServiceKey<unknown>);
    if (s === undefined) throw new AozError('internal_error', [`service ${key.name} is not available`]);
    return s as T;
  }

  warn(message: string): void {
    if (this.strict) throw new AozError('strict_violation', [message]);
    const pos = this.pos;
    const key = `${this.frame.section.name}:${pos.line}:${pos.column}:${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.onWarning(message, pos);
  }

  wake(): void {
    this.options.onWake();
  }

  polled(): void {
    this.yieldAfter(0);
  }

  /** Yield to Node after at most `operations` more operations. */
  private yieldAfter(operations: number): void {
    this.yieldNow = true;
    if (this.budget > operations) this.budget = operations;
  }

  post(event: RuntimeEvent): void {
    if (this.ended) return;
    this.events.push(event);
    this.budget = 0;
    this.options.onWake();
  }

  findProcedure(name: string): ProcedureRef | undefined {
    const section = this.program.procedures.get(name.trim().toLowerCase());
    return section ? { name: section.name, paramCount: section.params.length } : undefined;
  }

  call(proc: ProcedureRef, args: readonly Value[]): void {
    const section = this.program.procedures.get(proc.name.toLowerCase());
    if (!section) throw new AozError('procedure_not_found', [proc.name]);
    this.pushFrame(section, args, -1, false);
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.options.onWake();
    };
  }

  now(): number {
    return performance.now() - this.epoch;
  }

  /** `Error n`: raises the error with that AOZ number. */
  raise(code: number): never {
    throw new AozError(errorIdByNumber(toInteger(code)) ?? 'unknown_error');
  }
}

/** Arguments given by the runtime (callbacks) take the type of the parameter they land in. */
function coerce(v: Value, type: ValueType): Value {
  if (type === 'string') return typeof v === 'string' ? v : String(v);
  const n = typeof v === 'number' ? v : Number.parseFloat(v);
  const num = Number.isNaN(n) ? 0 : n;
  return type === 'integer' && typeof v === 'string' ? toInteger(num) : num;
}
