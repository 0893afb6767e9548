/**
 * AST -> executable program (DESIGN §2, §4): resolves names, labels and procedures, checks types
 * and arity against the instruction tables, reports every compile error with its position, and
 * flattens each section into a linear code array with resolved jump targets.
 */
import {
  assertNever,
  type Expr,
  type JumpTarget,
  type LValue,
  type Procedure,
  type Program,
  type Stmt,
} from '../parser/ast.js';
import { Emitter, Mark } from './emitter.js';
import { AozError, type Diagnostic, type ErrorId, errorMessage, type SourcePos } from './errors.js';
import {
  type Builtins,
  type CExpr,
  type CompileContext,
  type Cond,
  constant,
  ExpressionCompiler,
  literal,
  type ProcInfo,
} from './expressions.js';
import { type InputTarget, inputWait } from './input.js';
import type { Machine } from './machine.js';
import { formatUsing } from './print-using.js';
import {
  type AozArray,
  type CompiledProgram,
  type JsOp,
  jsJump,
  jsReturn,
  jsVar,
  type Section,
} from './program.js';
import type { Wait } from './runtime-api.js';
import { Scope } from './scope.js';
import { formatNumber, toInteger, toIntegerJs, typeOfName, type Value, type ValueType } from './values.js';

export type { Builtins };

export interface CompileOptions {
  /** Largest number of elements one Dim may create (resource limit). */
  readonly maxArrayElements?: number;
  /** Deepest Gosub nesting before "Out of stack space". */
  readonly maxGosubDepth?: number;
  /** Direct mode: the main program's names carry over from one compiled line to the next. */
  readonly direct?: DirectContext;
}

type DefFn = Extract<Stmt, { kind: 'DefFn' }>;

/**
 * What direct mode (the REPL) keeps between the lines it compiles: the main program's variable
 * and array slots (so `A=1` then `Print A` see one variable), the names declared Global and the
 * Def Fn functions. The machine keeps the values (Machine.load).
 */
export class DirectContext {
  readonly main = new Scope(null, new Set());
  readonly globals = new Set<string>();
  readonly functions = new Map<string, DefFn>();
}

export interface CompileResult {
  readonly program: CompiledProgram | null;
  readonly diagnostics: Diagnostic[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function compile(ast: Program, builtins: Builtins, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const errorIn =
    (section: string) =>
    (id: ErrorId, pos: SourcePos, args: (string | number)[] = []) =>
      diagnostics.push({ severity: 'error', id, message: errorMessage(id, args), pos, section });

  // Procedures are known before any code is compiled: they may be called before their definition.
  const procedures = new Map<string, ProcInfo>();
  for (const p of ast.procedures) {
    const key = p.name.toLowerCase();
    if (procedures.has(key)) {
      errorIn(p.name)('procedure_already_defined', p.pos, [p.name]);
      continue;
    }
    if (builtins.instruction(p.name) || builtins.function(p.name)) {
      errorIn(p.name)('variable_name_conflict', p.pos, ['instruction', p.name]);
    }
    const section = emptySection(p.name, typeOfName(p.name));
    procedures.set(key, {
      name: p.name,
      section,
      paramTypes: p.params.map((q) => typeOfName(q.name)),
      returns: typeOfName(p.name),
    });
  }

  // Global works in the main program and, as in AOZ, inside a procedure too: either way the name
  // is the main program's in every procedure.
  const globals = options.direct?.globals ?? new Set<string>();
  collectScopeNames(ast.main, 'Global', globals);
  for (const p of ast.procedures) collectScopeNames(p.body, 'Global', globals);
  const mainScope = options.direct?.main ?? new Scope(null, new Set());
  const main = emptySection('main', 'integer');
  const limits = {
    maxArrayElements: options.maxArrayElements ?? 16_000_000,
    maxGosubDepth: options.maxGosubDepth ?? 10_000,
  };
  const functions = options.direct?.functions ?? new Map<string, DefFn>();
  new SectionCompiler(
    main,
    mainScope,
    builtins,
    procedures,
    errorIn('main'),
    limits,
    null,
    functions,
  ).compile(ast.main);
  for (const p of ast.procedures) {
    const info = procedures.get(p.name.toLowerCase());
    if (!info || info.section.code.length > 0) continue;
    const shared = new Set(globals);
    collectScopeNames(p.body, 'Shared', shared);
    const scope = new Scope(mainScope, shared);
    new SectionCompiler(info.section, scope, builtins, procedures, errorIn(p.name), limits, p).compile(
      p.body,
    );
  }
  // Main's slots may have grown while procedures declared Shared/Global names.
  (main as Mutable<Section>).varInit = mainScope.varInit;
  (main as Mutable<Section>).arrayCount = mainScope.arrayCount;

  diagnostics.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
  if (diagnostics.some((d) => d.severity === 'error')) return { program: null, diagnostics };
  const procs = new Map<string, Section>();
  for (const [k, v] of procedures) procs.set(k, v.section);
  return { program: { main, procedures: procs }, diagnostics };
}

function emptySection(name: string, returns: ValueType): Section {
  return {
    name,
    code: [],
    positions: [],
    statementStart: new Uint8Array(0),
    varInit: [],
    arrayCount: 0,
    labels: new Map(),
    params: [],
    returns,
    data: [],
    dataLabels: new Map(),
    js: [],
    consts: [],
    run: undefined,
    direct: undefined,
    heat: 0,
  };
}

/** Names listed by Global (main program) or Shared (a procedure), as scope keys (`a$`, `b()`). */
function collectScopeNames(body: readonly Stmt[], kind: 'Global' | 'Shared', into: Set<string>): void {
  walk(body, (s) => {
    if (s.kind === kind) for (const n of s.names) into.add(n.toLowerCase());
  });
}

function walk(body: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of body) {
    visit(s);
    switch (s.kind) {
      case 'If':
        for (const b of s.branches) walk(b.body, visit);
        if (s.otherwise) walk(s.otherwise, visit);
        break;
      case 'For':
      case 'Repeat':
      case 'While':
      case 'Do':
        walk(s.body, visit);
        break;
      case 'Trap':
        walk([s.body], visit);
        break;
      default:
        break;
    }
  }
}

interface Loop {
  readonly exit: Mark;
}

class SectionCompiler implements CompileContext {
  readonly emitter = new Emitter();
  private readonly exprs: ExpressionCompiler;
  private readonly labelMarks = new Map<string, { mark: Mark; defined: boolean; uses: SourcePos[] }>();
  private readonly loops: Loop[] = [];
  private readonly data: ((m: Machine) => Value)[] = [];
  private readonly dataLabels = new Map<string, number>();
  private readonly consts: unknown[] = [];
  private readonly constIndex = new Map<unknown, number>();
  constructor(
    private readonly section: Section,
    readonly scope: Scope,
    readonly builtins: Builtins,
    readonly procedures: ReadonlyMap<string, ProcInfo>,
    readonly error: (id: ErrorId, pos: SourcePos, args?: (string | number)[]) => void,
    private readonly limits: { readonly maxArrayElements: number; readonly maxGosubDepth: number },
    private readonly proc: Procedure | null,
    readonly functions = new Map<string, DefFn>(),
  ) {
    this.exprs = new ExpressionCompiler(this);
  }

  ref(value: unknown): string {
    let i = this.constIndex.get(value);
    if (i === undefined) {
      i = this.consts.push(value) - 1;
      this.constIndex.set(value, i);
    }
    return `K[${i}]`;
  }

  compile(body: readonly Stmt[]): void {
    const s = this.section as Mutable<Section>;
    if (this.proc) {
      s.params = this.proc.params.map((p) => {
        const v = this.scope.variable(p.name);
        return { slot: v.slot, type: v.type };
      });
    }
    this.declareArrays(body);
    walk(body, (st) => {
      if (st.kind === 'DefFn') this.functions.set(st.name.toLowerCase(), st);
    });
    this.block(body);
    if (this.proc) {
      const proc = this.proc;
      this.emitter.startStatement(proc.endPos);
      this.returnFrom(proc.result);
    } else {
      // Falling off the end waits for asynchronous replies still in flight (DESIGN §5), or in
      // direct mode for the next command. Not a statement of the program: --trace does not show
      // it, events are dispatched while it waits.
      this.emitter.emit((m) => m.suspend(m.endOfMain()));
    }
    const labels = new Map<string, number>();
    for (const [name, l] of this.labelMarks) {
      if (l.defined) labels.set(name, l.mark.pc);
      else for (const use of l.uses) this.error('label_not_defined', use, [name]);
    }
    s.code = this.emitter.code;
    s.js = this.emitter.js;
    s.consts = this.consts;
    s.positions = this.emitter.positions;
    s.statementStart = this.emitter.statementStarts();
    s.varInit = this.scope.varInit;
    s.arrayCount = this.scope.arrayCount;
    s.labels = labels;
    s.data = this.data;
    s.dataLabels = this.dataLabels;
  }

  /** Arrays are known before code is compiled: a Dim may come after the first use in the text. */
  private declareArrays(body: readonly Stmt[]): void {
    const seen = new Set<string>();
    walk(body, (s) => {
      if (s.kind !== 'Dim') return;
      for (const a of s.arrays) {
        const key = a.name.toLowerCase();
        if (seen.has(key)) this.error('array_already_dimensionned', a.pos, [a.name]);
        seen.add(key);
        this.scope.declareArray(a.name);
      }
    });
  }

  private block(body: readonly Stmt[]): void {
    for (const s of body) {
      try {
        this.statement(s);
      } catch (e) {
        // An expression thousands of levels deep exhausts the compiler's recursion.
        if (!(e instanceof RangeError)) throw e;
        this.error('syntax_error', s.pos, ['this statement is nested too deeply']);
      }
    }
  }

  private emit(op: (m: Machine) => void, js?: JsOp): void {
    this.emitter.emit(op, this.emitter.pos, js);
  }

  /** A conditional jump: to `target` when `cond` is `when`. */
  private branch(cond: Cond, when: boolean, target: () => number): void {
    const c = cond.fn;
    this.emit(
      when
        ? (m) => {
            if (c(m)) m.frame.pc = target();
          }
        : (m) => {
            if (!c(m)) m.frame.pc = target();
          },
      () => `if (${when ? '' : '!'}${cond.js}) ${jsJump(target())}`,
    );
  }

  /** End Proc [value] / Pop Proc [value]: back to the caller, with the value converted. */
  private returnFrom(result: Expr | null): void {
    const value = result ? this.returnValue(result) : null;
    const fn = value?.fn;
    const js = jsReturn(value ? this.exprs.jsOf(value) : null);
    this.emit(
      (m) => m.returnFromProcedure(fn ? fn(m) : undefined),
      () => js,
    );
  }

  private statement(s: Stmt): void {
    this.emitter.startStatement(s.pos);
    switch (s.kind) {
      case 'Assign': {
        const value = this.exprs.expr(s.value);
        const set = this.exprs.setter(s.target, value.type);
        const v = value.fn;
        const fn = set.fn;
        const js = set.js(this.exprs.jsOf(value));
        this.emit(
          (m) => fn(m, v(m)),
          () => js,
        );
        return;
      }
      case 'Print':
        this.print(s);
        return;
      case 'Input':
        this.input(s);
        return;
      case 'Instruction':
        this.instruction(s.name, s.args, s.pos);
        return;
      case 'Call': {
        const proc = this.procedures.get(s.name.toLowerCase());
        if (!proc) {
          this.error(this.builtins.function(s.name) ? 'not_an_instruction' : 'unknown_instruction', s.pos, [
            s.name,
          ]);
          return;
        }
        const args = this.exprs.procedureArgs(proc, s.args, s.pos);
        const section = proc.section;
        const fn = args.fn;
        this.emit((m) => m.callSection(section, fn(m), -1), this.exprs.callJs(section, args.js, -1));
        return;
      }
      case 'Label': {
        const l = this.label(s.name);
        if (l.defined) this.error('label_already_defined', s.pos, [s.name]);
        l.defined = true;
        this.emitter.place(l.mark);
        this.dataLabels.set(s.name.toLowerCase(), this.data.length);
        return;
      }
      case 'Goto':
        this.jumpTo(s.target, s.pos, false);
        return;
      case 'Gosub':
        this.jumpTo(s.target, s.pos, true);
        return;
      case 'Return':
        this.emit((m) => m.returnFromGosub());
        return;
      case 'Pop':
        this.emit((m) => {
          // Pop with an empty stack also raises error 1, not "Pop without gosub" (aoz-facts §6.6).
          if (m.frame.gosub.pop() === undefined) throw new AozError('return_without_gosub');
        });
        return;
      case 'If':
        this.ifStatement(s);
        return;
      case 'For':
        this.forLoop(s);
        return;
      case 'Repeat': {
        const top = this.emitter.here();
        const exit = new Mark();
        this.loop(exit, () => this.block(s.body));
        this.emitter.startStatement(s.until.pos);
        this.branch(this.exprs.cond(s.until), false, () => top);
        this.emitter.place(exit);
        return;
      }
      case 'While': {
        const top = new Mark();
        this.emitter.place(top);
        const exit = new Mark();
        this.branch(this.exprs.cond(s.cond), false, () => exit.pc);
        this.loop(exit, () => this.block(s.body));
        this.emitter.jump(top);
        this.emitter.place(exit);
        return;
      }
      case 'Do': {
        const top = new Mark();
        this.emitter.place(top);
        const exit = new Mark();
        this.loop(exit, () => this.block(s.body));
        this.emitter.startStatement(s.pos);
        this.emitter.jump(top);
        this.emitter.place(exit);
        return;
      }
      case 'Exit': {
        const target = this.exitTarget(s.levels, s.pos);
        if (target) this.emitter.jump(target);
        return;
      }
      case 'ExitIf': {
        const target = this.exitTarget(s.levels, s.pos);
        const cond = this.exprs.cond(s.cond);
        if (target) this.branch(cond, true, () => target.pc);
        return;
      }
      case 'End':
        this.emit((m) => m.finish({ kind: 'end' }));
        return;
      case 'PopProc': {
        if (!this.proc) {
          this.error('procedure_not_opened', s.pos);
          return;
        }
        this.returnFrom(s.value);
        return;
      }
      case 'Dim':
        this.dim(s);
        return;
      case 'Global':
        return;
      case 'Shared':
        if (!this.proc) this.error('shared_error', s.pos);
        return;
      case 'PrintUsing':
        this.printUsing(s);
        return;
      case 'SetBuiltin':
        this.instruction(s.name, s.args, s.pos, s.value);
        return;
      case 'ProcByName': {
        const name = this.exprs.expr(s.name);
        if (name.type !== 'string') this.error('type_mismatch', s.name.pos);
        const fn = name.fn;
        // Proc "NAME" runs the procedure now, before the next statement (aoz-facts §5.4).
        this.emit((m) => {
          const n = fn(m) as string;
          const section = m.program.procedures.get(n.trim().toLowerCase());
          if (!section) throw new AozError('procedure_not_found', [n]);
          m.callSection(section, [], -1);
        });
        return;
      }
      case 'On':
        this.onStatement(s);
        return;
      case 'OnError': {
        const h = s.handler;
        if (h === null) {
          this.emit((m) => {
            m.frame.onError = null;
          });
        } else if (h.kind === 'Goto') {
          const l = this.label(h.name);
          l.uses.push(s.pos);
          const mark = l.mark;
          this.emit((m) => {
            m.frame.onError = { pc: mark.pc };
          });
        } else {
          const proc = this.procedureNamed(h.name, s.pos);
          if (proc) {
            this.emit((m) => {
              m.frame.onError = { proc };
            });
          }
        }
        return;
      }
      case 'OnBreak': {
        const proc = this.procedureNamed(s.proc, s.pos);
        if (proc) {
          this.emit((m) => {
            m.onBreak = proc;
          });
        }
        return;
      }
      case 'Resume': {
        const { mode, label } = s;
        this.emit((m) => m.resume(mode, label));
        return;
      }
      case 'RaiseError': {
        const code = this.exprs.numeric(s.code).fn;
        this.emit((m) => m.raise(code(m) as number));
        return;
      }
      case 'Trap': {
        // Trap: an error in the next statement is not fatal; ErrTrap gives its number (§6.10).
        const exit = new Mark();
        this.emit((m) => {
          m.frame.trapExit = exit.pc;
          m.frame.errTrap = 0;
        });
        this.statement(s.body);
        this.emit((m) => {
          m.frame.trapExit = -1;
        });
        this.emitter.place(exit);
        return;
      }
      case 'Every':
        this.every(s);
        return;
      case 'EverySwitch':
        this.emit(s.on ? (m) => m.everyOn() : (m) => m.everyOff());
        return;
      case 'BreakSwitch': {
        const on = s.on;
        this.emit((m) => {
          m.breakEnabled = on;
        });
        return;
      }
      case 'Stop':
        // AOZ compiles Stop to a debugger statement; aozrun does what its documentation says:
        // the program stops with "Program interrupted", which On Error does not catch.
        this.emit((m) => {
          const error = new AozError('program_interrupted');
          error.pos = m.pos;
          m.finish({ kind: 'error', error });
        });
        return;
      case 'Data':
        // Data does nothing when reached: its items are read by Read (aoz-facts §7.1).
        for (const item of s.items) this.data.push(this.exprs.expr(item).fn);
        return;
      case 'Read':
        this.read(s.targets);
        return;
      case 'Restore':
        this.restore(s);
        return;
      case 'DefFn':
        // Collected before compiling (declareFunctions); nothing to run.
        return;
      default:
        assertNever(s);
    }
  }

  private loop(exit: Mark, body: () => void): void {
    this.loops.push({ exit });
    body();
    this.loops.pop();
  }

  /** Exit n leaves the n-th enclosing loop; only For/Repeat/While/Do count (aoz-facts §6.5). */
  private exitTarget(levels: number, pos: SourcePos): Mark | null {
    if (this.loops.length === 0) {
      this.error('no_loop_to_exit', pos);
      return null;
    }
    if (levels < 1 || levels > this.loops.length) {
      this.error('not_enough_loops_to_exit', pos);
      return null;
    }
    return this.loops[this.loops.length - levels]!.exit;
  }

  private label(name: string): { mark: Mark; defined: boolean; uses: SourcePos[] } {
    const key = name.toLowerCase();
    let l = this.labelMarks.get(key);
    if (!l) {
      l = { mark: new Mark(), defined: false, uses: [] };
      this.labelMarks.set(key, l);
    }
    return l;
  }

  private jumpTo(target: JumpTarget, pos: SourcePos, gosub: boolean): void {
    const maxDepth = this.limits.maxGosubDepth;
    const push = gosub
      ? (m: Machine) => {
          if (m.frame.gosub.length >= maxDepth) throw new AozError('out_of_stack_space');
          m.frame.gosub.push(m.frame.pc);
        }
      : null;
    if (target.kind === 'computed') {
      // Computed targets: a string names a label, a number a line number; matched
      // case-insensitively (DESIGN §9).
      const e = this.exprs.expr(target.expr);
      const fn = e.fn;
      this.emit((m) => {
        const v = fn(m);
        const key = typeof v === 'string' ? v.trim().toLowerCase() : String(toInteger(v));
        const pc = m.frame.section.labels.get(key);
        if (pc === undefined) throw new AozError('label_not_defined', [String(v)]);
        push?.(m);
        m.frame.pc = pc;
      });
      return;
    }
    const name = target.kind === 'label' ? target.name : String(target.line);
    const l = this.label(name);
    l.uses.push(pos);
    const mark = l.mark;
    if (push) {
      this.emit((m) => {
        push(m);
        m.frame.pc = mark.pc;
      });
    } else {
      this.emitter.jump(mark);
    }
  }

  private ifStatement(s: Extract<Stmt, { kind: 'If' }>): void {
    const end = new Mark();
    for (const b of s.branches) {
      if (b !== s.branches[0]) this.emitter.startStatement(b.pos);
      const next = new Mark();
      this.branch(this.exprs.cond(b.cond), false, () => next.pc);
      this.block(b.body);
      this.emitter.jump(end);
      this.emitter.place(next);
    }
    if (s.otherwise) this.block(s.otherwise);
    this.emitter.place(end);
  }

  /**
   * For (aoz-facts §6.3): the body always runs once; at Next the step is added (integer variables
   * may then hold fractions), the limit and step are evaluated again, and the loop goes on while
   * the variable has not passed the limit in the direction of the step.
   */
  private forLoop(s: Extract<Stmt, { kind: 'For' }>): void {
    const v = this.scope.variable(s.variable.name);
    if (v.type === 'string') {
      this.error('type_mismatch', s.variable.pos);
      return;
    }
    const from = this.exprs.numeric(s.from);
    const set = this.exprs.setter(s.variable, from.type);
    const fromFn = from.fn;
    const setFn = set.fn;
    const init = set.js(this.exprs.jsOf(from));
    this.emit(
      (m) => setFn(m, fromFn(m)),
      () => init,
    );
    const body = this.emitter.here();
    const exit = new Mark();
    this.loop(exit, () => this.block(s.body));
    this.emitter.startStatement(s.pos);
    const toExpr = this.exprs.numeric(s.to);
    const to = toExpr.fn;
    const toJs = this.exprs.jsOf(toExpr);
    const step = s.step ? this.exprs.numeric(s.step) : null;
    const slot = v.slot;
    const store = v.global ? (m: Machine) => m.globals : (m: Machine) => m.vars;
    const vs = jsVar(v.global, slot);
    if (step === null || step.constant !== undefined) {
      const k = (step?.constant as number | undefined) ?? 1;
      const js = () =>
        `{ const x = ${vs} + ${literal(k)}; ${vs} = x; if (x ${k >= 0 ? '<=' : '>='} ${toJs}) ${jsJump(body)} }`;
      this.emit(
        k >= 0
          ? (m) => {
              const vars = store(m);
              const x = (vars[slot] as number) + k;
              vars[slot] = x;
              if (x <= (to(m) as number)) m.frame.pc = body;
            }
          : (m) => {
              const vars = store(m);
              const x = (vars[slot] as number) + k;
              vars[slot] = x;
              if (x >= (to(m) as number)) m.frame.pc = body;
            },
        js,
      );
    } else {
      const stepFn = step.fn;
      const stepJs = this.exprs.jsOf(step);
      this.emit(
        (m) => {
          const vars = store(m);
          const k = stepFn(m) as number;
          const x = (vars[slot] as number) + k;
          vars[slot] = x;
          const limit = to(m) as number;
          if (k >= 0 ? x <= limit : x >= limit) m.frame.pc = body;
        },
        () =>
          `{ const k = ${stepJs}; const x = ${vs} + k; ${vs} = x; const limit = ${toJs}; if (k >= 0 ? x <= limit : x >= limit) ${jsJump(body)} }`,
      );
    }
    this.emitter.place(exit);
  }

  private dim(s: Extract<Stmt, { kind: 'Dim' }>): void {
    const max = this.limits.maxArrayElements;
    for (const a of s.arrays) {
      const ref = this.scope.array(a.name);
      if (!ref) continue;
      const dims = a.dims.map((d) => this.exprs.numeric(d).fn);
      const { slot, global, type, name } = ref;
      this.emit((m) => {
        const store = global ? m.globalArrays : m.frame.arrays;
        if (store[slot]) return; // Dim run again is silently ignored (aoz-facts §7.3).
        const sizes = dims.map((d) => toInteger(d(m) as number));
        let count = 1;
        for (const n of sizes) {
          if (n < 0) throw new AozError('illegal_function_call', [`Dim ${name}(${n})`]);
          count *= n + 1;
        }
        if (count > max) throw new AozError('out_of_memory', [`Dim ${name}: ${count} elements`]);
        m.trackAllocation(count * 8);
        const arr: AozArray = {
          kind: 'array',
          name,
          type,
          sizes,
          data: new Array(count).fill(type === 'string' ? '' : 0),
        };
        store[slot] = arr;
      });
    }
  }

  /** The value of End Proc / Pop Proc, converted to the type of the procedure's name (aoz-facts §5.3). */
  private returnValue(e: Expr): CExpr {
    const returns = this.section.returns;
    const c = this.exprs.expr(e);
    if ((c.type === 'string') !== (returns === 'string')) {
      this.error('type_mismatch', e.pos);
      return constant(0, 'integer');
    }
    if (returns !== 'integer') return c;
    const fn = c.fn;
    return { ...c, fn: (m) => toInteger(fn(m) as number), js: toIntegerJs(this.exprs.jsOf(c)) };
  }

  private printUsing(s: Extract<Stmt, { kind: 'PrintUsing' }>): void {
    const format = this.exprs.expr(s.format);
    if (format.type !== 'string') this.error('type_mismatch', s.format.pos);
    const fmt = format.fn as (m: Machine) => string;
    const items = s.items.map((i) => this.exprs.expr(i).fn);
    const end = s.end === ';' ? '' : s.end === ',' ? '\t' : '\n';
    this.emit((m) =>
      m.console.print(
        formatUsing(
          fmt(m),
          items.map((i) => i(m)),
        ) + end,
      ),
    );
  }

  /** On n Goto/Gosub/Proc: the first target for 0 in AOZ mode; out of range goes on (§6.7). */
  private onStatement(s: Extract<Stmt, { kind: 'On' }>): void {
    const sel = this.exprs.expr(s.selector);
    if (sel.type !== 'integer') this.error('type_mismatch', s.selector.pos);
    const selector = sel.fn;
    if (s.action === 'Proc') {
      const procs = s.targets.map((t) => this.procedureNamed(t, s.pos));
      this.emit((m) => {
        const proc = procs[Math.trunc(selector(m) as number)];
        if (proc) m.callSection(proc, [], -1);
      });
      return;
    }
    const marks = s.targets.map((t) => {
      const l = this.label(t);
      l.uses.push(s.pos);
      return l.mark;
    });
    const gosub = s.action === 'Gosub';
    const maxDepth = this.limits.maxGosubDepth;
    this.emit((m) => {
      const mark = marks[Math.trunc(selector(m) as number)];
      if (!mark) return;
      if (gosub) {
        if (m.frame.gosub.length >= maxDepth) throw new AozError('out_of_stack_space');
        m.gosub(mark.pc);
      } else {
        m.frame.pc = mark.pc;
      }
    });
  }

  private procedureNamed(name: string, pos: SourcePos): Section | null {
    const proc = this.procedures.get(name.toLowerCase());
    if (!proc) {
      this.error('procedure_not_found', pos, [name]);
      return null;
    }
    return proc.section;
  }

  /** Every n Proc/Gosub: n in seconds, an integer expression (aoz-facts §6.9). */
  private every(s: Extract<Stmt, { kind: 'Every' }>): void {
    const interval = this.exprs.expr(s.interval);
    if (interval.type !== 'integer') this.error('type_mismatch', s.interval.pos);
    const seconds = interval.fn;
    if (s.action === 'Proc') {
      const proc = this.procedureNamed(s.target, s.pos);
      if (proc) this.emit((m) => m.everyStart(seconds(m) as number, { proc }));
      return;
    }
    const l = this.label(s.target);
    l.uses.push(s.pos);
    const mark = l.mark;
    this.emit((m) => m.everyStart(seconds(m) as number, { pc: mark.pc }));
  }

  /**
   * Read: the next Data item of this section, evaluated now in this frame; its type must match the
   * variable's (a runtime Type mismatch), integer variables truncate (aoz-facts §7.2).
   */
  private read(targets: readonly LValue[]): void {
    for (const t of targets) {
      const type = typeOfName(t.name);
      const set = this.exprs.setter(t, type).fn;
      this.emit((m) => {
        const f = m.frame;
        const item = f.section.data[f.dataPtr];
        if (!item) throw new AozError('out_of_data');
        f.dataPtr++;
        const v = item(m);
        if ((typeof v === 'string') !== (type === 'string')) throw new AozError('type_mismatch', [String(v)]);
        set(m, v);
      });
    }
  }

  /** Restore [target]: Read goes back to the first Data item, or the first one after a label. */
  private restore(s: Extract<Stmt, { kind: 'Restore' }>): void {
    const target = s.target;
    if (target === null) {
      this.emit((m) => {
        m.frame.dataPtr = 0;
      });
      return;
    }
    const restoreAt = (m: Machine, key: string, shown: string) => {
      const section = m.frame.section;
      const k = section.dataLabels.get(key);
      if (k === undefined) throw new AozError('label_not_defined', [shown]);
      if (k >= section.data.length) throw new AozError('not_data_after_this_label', [shown]);
      m.frame.dataPtr = k;
    };
    if (target.kind === 'computed') {
      const fn = this.exprs.expr(target.expr).fn;
      this.emit((m) => {
        const v = fn(m);
        restoreAt(m, typeof v === 'string' ? v.trim().toLowerCase() : String(toInteger(v)), String(v));
      });
      return;
    }
    const name = target.kind === 'label' ? target.name : String(target.line);
    this.label(name).uses.push(s.pos);
    const key = name.toLowerCase();
    this.emit((m) => restoreAt(m, key, name));
  }

  private print(s: Extract<Stmt, { kind: 'Print' }>): void {
    const parts: ((m: Machine) => string)[] = [];
    for (const item of s.items) {
      if (item.expr) parts.push(this.printable(this.exprs.expr(item.expr)));
      if (item.sep === ',') parts.push(() => '\t');
    }
    const last = s.items[s.items.length - 1];
    // A trailing `;` or `,` keeps the cursor on the line (aoz-facts §3.2).
    const newline = last?.sep ? '' : '\n';
    if (parts.length === 0) {
      this.emit((m) => m.console.print(newline));
      return;
    }
    if (parts.length === 1) {
      const p = parts[0]!;
      this.emit((m) => m.console.print(p(m) + newline));
      return;
    }
    // All items are evaluated before anything is printed (aoz-facts §3.1).
    this.emit((m) => {
      let text = '';
      for (const p of parts) text += p(m);
      m.console.print(text + newline);
    });
  }

  /** Numbers print as Str$ does: a leading space when >= 0, Fix decimals (aoz-facts §3.4). */
  private printable(c: CExpr): (m: Machine) => string {
    const fn = c.fn;
    if (c.type === 'string') return fn as (m: Machine) => string;
    return (m) => formatNumber(fn(m) as number, m.fix);
  }

  private input(s: Extract<Stmt, { kind: 'Input' }>): void {
    let prompt: ((m: Machine) => string) | null = null;
    if (s.prompt) {
      const p = this.exprs.expr(s.prompt);
      if (p.type !== 'string') this.error('type_mismatch', s.prompt.pos);
      prompt = p.fn as (m: Machine) => string;
    }
    const targets: InputTarget[] = s.targets.map((t) => {
      const type = typeOfName(t.name);
      return { type, set: this.exprs.setter(t, type).fn };
    });
    const newline = s.newline;
    const line = s.line;
    this.emit((m) => m.suspend(inputWait(m, prompt ? prompt(m) : null, targets, newline, line)));
  }

  /**
   * An instruction of the tables. `value` is the right-hand side of `Timer = 5` or
   * `Mid$(A$, 4) = "x"`: it goes to the entry's last parameter, the optional ones before it
   * left out.
   */
  private instruction(name: string, argExprs: readonly (Expr | null)[], pos: SourcePos, value?: Expr): void {
    const entry = this.builtins.instruction(name);
    if (!entry) {
      this.error(this.builtins.function(name) ? 'not_an_instruction' : 'unknown_instruction', pos, [name]);
      return;
    }
    let all = argExprs;
    if (value) {
      const before = entry.params.length - 1;
      if (argExprs.length > before) {
        this.error('wrong_number_of_arguments', pos, [name]);
        return;
      }
      all = [...argExprs, ...new Array<null>(before - argExprs.length).fill(null), value];
    }
    const args = this.exprs.args(entry, all, pos).fns;
    const run = entry.run;
    switch (args.length) {
      case 0:
        this.emit((m) => {
          const w = run(m, []);
          if (w) m.suspend(w as Wait);
        });
        return;
      case 1: {
        const a0 = args[0]!;
        this.emit((m) => {
          const w = run(m, [a0(m)]);
          if (w) m.suspend(w as Wait);
        });
        return;
      }
      default:
        this.emit((m) => {
          const w = run(
            m,
            args.map((a) => a(m)),
          );
          if (w) m.suspend(w as Wait);
        });
    }
  }
}
