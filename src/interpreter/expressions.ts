/**
 * Expressions -> closures, compiled once (DESIGN §4) with their static type (from suffixes and
 * literals). Procedure calls and waiting functions inside an expression are hoisted into
 * operations that run just before the statement and leave their value in a hidden slot, so the
 * machine can suspend at them like at any statement.
 *
 * Each expression also gets its JavaScript text (`js`), for the code jit.ts generates once a
 * section is hot. The text uses the generated function's names: `m` the machine, `f` the frame,
 * `H` the shared operations (ops.ts), `K[i]` values the compiler kept (`ref`), and the marks of
 * program.ts for variables, jumps and closures. An expression without its own text is its
 * closure, called: `K[i](m)`, marked opaque (see `jsOf`).
 */
import type { BinaryOp, Expr, LValue, Stmt } from '../parser/ast.js';
import type { Emitter } from './emitter.js';
import { AozError, type ErrorId, errorIdByNumber, errorMessage, type SourcePos } from './errors.js';
import type { Machine } from './machine.js';
import * as H from './ops.js';
import { type AozArray, type JsOp, jsArgs, jsCall, jsOpaque, jsVar, type Section } from './program.js';
import type {
  Arg,
  ArrayArg,
  FunctionEntry,
  InstructionEntry,
  ParamSpec,
  VariableRef,
  Wait,
} from './runtime-api.js';
import type { ArrayRef, Scope } from './scope.js';
import {
  FALSE,
  TRUE,
  toInteger,
  toIntegerJs,
  truthy,
  typeOfName,
  type Value,
  type ValueType,
} from './values.js';

export type Eval = (m: Machine) => Value;

export interface CExpr {
  readonly fn: Eval;
  readonly type: ValueType;
  /** A truth value (comparison, Not, logical And/Or): And/Or with it are logical (aoz-facts §2.9). */
  readonly bool: boolean;
  readonly constant?: Value;
  /** The same computation as JavaScript text (see the top); undefined: call `fn`. */
  readonly js?: string | undefined;
  /** A comparison as a JavaScript boolean (for conditions), where `js` is its 1 or 0. */
  readonly test?: string | undefined;
}

export interface Builtins {
  instruction(name: string): InstructionEntry | undefined;
  function(name: string): FunctionEntry | undefined;
}

export interface ProcInfo {
  readonly name: string;
  readonly section: Section;
  readonly paramTypes: readonly ValueType[];
  readonly returns: ValueType;
}

export interface CompileContext {
  readonly scope: Scope;
  readonly emitter: Emitter;
  readonly builtins: Builtins;
  readonly procedures: ReadonlyMap<string, ProcInfo>;
  /** Def Fn definitions of the section, by lower-case name. */
  readonly functions: ReadonlyMap<string, Extract<Stmt, { kind: 'DefFn' }>>;
  error(id: ErrorId, pos: SourcePos, args?: (string | number)[]): void;
  /** A value the generated code needs (a closure, a table entry, a section): its name there. */
  ref(value: unknown): string;
}

const isNumeric = (t: ValueType) => t !== 'string';

function isWait(r: Value | Wait | undefined): r is Wait {
  return typeof r === 'object';
}

export function constant(value: Value, type: ValueType): CExpr {
  return { fn: () => value, type, bool: false, constant: value, js: literal(value) };
}

/** A value as JavaScript text. */
export function literal(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Object.is(v, -0)) return '(-0)';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '(-Infinity)';
  return v < 0 ? `(${v})` : String(v);
}

/** A placeholder after a compile error, so compilation goes on and reports the next ones. */
const POISON: CExpr = constant(0, 'integer');

export class ExpressionCompiler {
  /** Def Fn bodies being compiled, to refuse a function that uses itself. */
  private readonly expanding = new Set<string>();

  constructor(private readonly ctx: CompileContext) {}

  expr(e: Expr): CExpr {
    switch (e.kind) {
      case 'Number':
        return constant(e.value, e.float ? 'float' : 'integer');
      case 'String':
        return constant(e.value, 'string');
      case 'Variable': {
        const v = this.ctx.scope.variable(e.name);
        const slot = v.slot;
        const fn: Eval = v.global ? (m) => m.globals[slot]! : (m) => m.vars[slot]!;
        return { fn, type: v.type, bool: false, js: jsVar(v.global, slot) };
      }
      case 'Element':
        return this.element(e);
      case 'Unary':
        return this.unary(e.op, this.expr(e.operand), e.pos);
      case 'Binary':
        return this.binary(e.op, e.left, e.right, e.pos, false);
      case 'FunctionCall':
        return this.functionCall(e.name, e.args, e.pos);
      case 'ProcedureCall':
        return this.procedureCall(e.name, e.args, e.pos);
      case 'FnCall':
        return this.fnCall(e);
      case 'Param':
        return e.type === 'string'
          ? { fn: (m) => m.frame.paramStr, type: 'string', bool: false, js: 'f.paramStr' }
          : { fn: (m) => m.frame.param, type: 'float', bool: false, js: 'f.param' };
      case 'ErrorInfo':
        return this.errorInfo(e);
    }
  }

  private errorInfo(e: Extract<Expr, { kind: 'ErrorInfo' }>): CExpr {
    switch (e.what) {
      case 'Errn':
        return { fn: (m) => m.lastError.number, type: 'integer', bool: false };
      case 'ErrTrap':
        return { fn: (m) => m.frame.errTrap, type: 'integer', bool: false };
      case 'Err$': {
        if (!e.code) return { fn: (m) => m.lastError.message, type: 'string', bool: false };
        const code = this.numeric(e.code).fn;
        return {
          // The message of error n; "" for a number that is not an error (aoz-facts §6.10).
          fn: (m) => {
            const id = errorIdByNumber(toInteger(code(m) as number));
            return id ? errorMessage(id) : '';
          },
          type: 'string',
          bool: false,
        };
      }
    }
  }

  /**
   * `Fn NAME(args)`: the Def Fn body evaluated with the arguments in its parameters — ordinary
   * function semantics, not AOZ's text macros (aoz-facts §7.6).
   */
  private fnCall(e: Extract<Expr, { kind: 'FnCall' }>): CExpr {
    const key = e.name.toLowerCase();
    const def = this.ctx.functions.get(key);
    if (!def) {
      this.ctx.error('user_function_not_defined', e.pos, [e.name]);
      return POISON;
    }
    if (def.params.length !== e.args.length || this.expanding.has(key)) {
      this.ctx.error('illegal_user_function_call', e.pos, [e.name]);
      return POISON;
    }
    const args = e.args.map((a) => this.expr(a));
    const slots = def.params.map((p) => this.ctx.scope.hidden(typeOfName(p.name)));
    const setters = args.map((a, i) => {
      const slot = slots[i]!;
      if ((a.type === 'string') !== (slot.type === 'string')) this.mismatch(e.args[i]!.pos);
      const fn = a.fn;
      const s = slot.slot;
      return slot.type === 'integer'
        ? (m: Machine) => {
            m.vars[s] = toInteger(fn(m) as number);
          }
        : (m: Machine) => {
            m.vars[s] = fn(m);
          };
    });
    this.expanding.add(key);
    const body = this.ctx.scope.withAliases(
      new Map(def.params.map((p, i) => [p.name.toLowerCase(), slots[i]!])),
      () => this.expr(def.body),
    );
    this.expanding.delete(key);
    const fn = body.fn;
    const assigns = args.map((a, i) => {
      const slot = slots[i]!;
      return `${jsVar(false, slot.slot)} = ${slot.type === 'integer' ? toIntegerJs(this.jsOf(a)) : this.jsOf(a)}`;
    });
    return {
      fn: (m) => {
        for (const set of setters) set(m);
        return fn(m);
      },
      type: body.type,
      bool: body.bool,
      js: `(${[...assigns, this.jsOf(body)].join(', ')})`,
    };
  }

  /** An expression as JavaScript text: its own, or a call of its closure. */
  jsOf(c: CExpr): string {
    return c.js ?? jsOpaque(`${this.ctx.ref(c.fn)}(m)`);
  }

  /** A condition of If, Else If, While, Until, Exit If: And/Or are logical there (§2.9). */
  cond(e: Expr): Cond {
    if (e.kind === 'Binary' && (e.op === 'And' || e.op === 'Or')) {
      const l = this.cond(e.left);
      const r = this.cond(e.right);
      const fl = l.fn;
      const fr = r.fn;
      return e.op === 'And'
        ? { fn: (m) => fl(m) && fr(m), js: `(${l.js} && ${r.js})` }
        : { fn: (m) => fl(m) || fr(m), js: `(${l.js} || ${r.js})` };
    }
    const c = this.expr(e);
    const fn = c.fn;
    const js = this.jsOf(c);
    if (c.type === 'string') return { fn: (m) => fn(m) !== '', js: `(${js} !== '')` };
    // A truth value is 1 or 0: no NaN to rule out.
    if (c.bool) return { fn: (m) => fn(m) !== FALSE, js: c.test ?? `(${js} !== 0)` };
    return { fn: (m) => truthy(fn(m)), js: `H.truthy(${js})` };
  }

  numeric(e: Expr): CExpr {
    const c = this.expr(e);
    if (!isNumeric(c.type)) return this.mismatch(e.pos);
    return c;
  }

  private mismatch(pos: SourcePos): CExpr {
    this.ctx.error('type_mismatch', pos);
    return POISON;
  }

  private unary(op: '-' | 'Not', c: CExpr, pos: SourcePos): CExpr {
    if (!isNumeric(c.type)) return this.mismatch(pos);
    const f = c.fn;
    const js = this.jsOf(c);
    if (op === '-') return { fn: (m) => -(f(m) as number), type: c.type, bool: false, js: `(-${js})` };
    // Not is logical in AOZ, not bitwise: Not 0 = 1, Not 5 = 0; its operand must be an integer
    // (a float is a compile-time Type mismatch, §2.8).
    if (c.type !== 'integer') return this.mismatch(pos);
    return {
      fn: (m) => (truthy(f(m)) ? FALSE : TRUE),
      type: 'integer',
      bool: true,
      js: `(H.truthy(${js}) ? ${FALSE} : ${TRUE})`,
    };
  }

  private binary(op: BinaryOp, le: Expr, re: Expr, pos: SourcePos, _inCond: boolean): CExpr {
    const l = this.expr(le);
    const r = this.expr(re);
    const a = l.fn;
    const b = r.fn;
    const ja = this.jsOf(l);
    const jb = this.jsOf(r);
    const strings = l.type === 'string' && r.type === 'string';
    const numbers = isNumeric(l.type) && isNumeric(r.type);
    if (!strings && !numbers) return this.mismatch(pos);
    /** A numeric operation: `fn` for the closure, `js` its text given the operands' texts. */
    const num = (
      fn: (x: number, y: number) => number,
      js: string,
      type: ValueType = widen(l.type, r.type),
    ): CExpr =>
      numbers ? { fn: (m) => fn(a(m) as number, b(m) as number), type, bool: false, js } : this.mismatch(pos);
    const infix = (o: string) => `(${ja} ${o} ${jb})`;
    const cmp = (fn: (x: Value, y: Value) => boolean, o: string): CExpr => ({
      fn: (m) => (fn(a(m), b(m)) ? TRUE : FALSE),
      type: 'integer',
      bool: true,
      js: `(${ja} ${o} ${jb} ? ${TRUE} : ${FALSE})`,
      test: `(${ja} ${o} ${jb})`,
    });
    switch (op) {
      case '+':
        if (strings) {
          return {
            fn: (m) => H.concat(a(m) as string, b(m) as string),
            type: 'string',
            bool: false,
            js: `H.concat(${ja}, ${jb})`,
          };
        }
        return num((x, y) => x + y, infix('+'));
      case '-':
        if (strings) {
          return {
            fn: (m) => H.strip(a(m) as string, b(m) as string),
            type: 'string',
            bool: false,
            js: `H.strip(${ja}, ${jb})`,
          };
        }
        return num((x, y) => x - y, infix('-'));
      case '*':
        return num((x, y) => x * y, infix('*'));
      case '/':
        return num(H.div, `H.div(${ja}, ${jb})`, 'float');
      case 'Mod':
        return num((x, y) => x % y, infix('%'));
      case '^':
        return num((x, y) => x ** y, infix('**'), 'float');
      case '<<':
        return num((x, y) => x << y, infix('<<'), 'integer');
      case '>>':
        return num((x, y) => x >> y, infix('>>'), 'integer');
      case '&':
        return num((x, y) => x & y, infix('&'), 'integer');
      case '|':
        return num((x, y) => x | y, infix('|'), 'integer');
      case 'Xor':
        return num((x, y) => x ^ y, infix('^'), 'integer');
      case 'And':
      case 'Or':
        if (!numbers) return this.mismatch(pos);
        // Bitwise between two numbers, logical as soon as one side is a truth value (§2.9).
        if (l.bool || r.bool) {
          const js = `(H.truthy(${ja}) ${op === 'And' ? '&&' : '||'} H.truthy(${jb}) ? ${TRUE} : ${FALSE})`;
          return op === 'And'
            ? { fn: (m) => (truthy(a(m)) && truthy(b(m)) ? TRUE : FALSE), type: 'integer', bool: true, js }
            : { fn: (m) => (truthy(a(m)) || truthy(b(m)) ? TRUE : FALSE), type: 'integer', bool: true, js };
        }
        return op === 'And'
          ? num((x, y) => x & y, infix('&'), 'integer')
          : num((x, y) => x | y, infix('|'), 'integer');
      case '=':
        return cmp((x, y) => x === y, '===');
      case '<>':
        return cmp((x, y) => x !== y, '!==');
      case '<':
        return cmp((x, y) => x < y, '<');
      case '>':
        return cmp((x, y) => x > y, '>');
      case '<=':
        return cmp((x, y) => x <= y, '<=');
      case '>=':
        return cmp((x, y) => x >= y, '>=');
    }
  }

  // -- assignment -------------------------------------------------------------------------------

  /** An assignment target, converting the value to the variable's type (truncation, §2.2). */
  setter(target: LValue, valueType: ValueType): Setter {
    const name = target.name;
    const type = typeOfName(name);
    const none: Setter = { fn: () => {}, js: () => '' };
    if ((type === 'string') !== (valueType === 'string')) {
      this.mismatch(target.pos);
      return none;
    }
    const convert: (m: Machine, v: Value) => Value =
      type === 'integer'
        ? (_m, v) => toInteger(v as number)
        : type === 'string'
          ? (m, v) => H.keep(m, v as string)
          : (_m, v) => v;
    const convertJs = (x: string) =>
      type === 'integer' ? toIntegerJs(x) : type === 'string' ? `H.keep(m, ${x})` : x;
    if (target.kind === 'Variable') {
      const v = this.ctx.scope.variable(name);
      const slot = v.slot;
      const js = (x: string) => `${jsVar(v.global, slot)} = ${convertJs(x)};`;
      if (v.global) {
        return {
          fn: (m, x) => {
            m.globals[slot] = convert(m, x);
          },
          js,
        };
      }
      return {
        fn: (m, x) => {
          m.vars[slot] = convert(m, x);
        },
        js,
      };
    }
    const ref = this.arrayRef(name, target.pos);
    if (!ref) return none;
    const at = this.indexer(ref, target.indexes);
    const { arr, indexes } = at;
    if (indexes.length === 1) {
      const [i] = at.fns as [Eval];
      return {
        fn: (m, x) => H.set1(convert(m, x), arr(m), i(m) as number),
        js: (x) => `H.set1(${convertJs(x)}, ${at.arrJs}, ${indexes[0]});`,
      };
    }
    const fns = at.fns;
    return {
      fn: (m, x) =>
        H.setN(
          convert(m, x),
          arr(m),
          fns.map((i) => i(m) as number),
        ),
      js: (x) => `H.setN(${convertJs(x)}, ${at.arrJs}, [${indexes.join(', ')}]);`,
    };
  }

  /** A variable or element passed by reference to a `variable` parameter (Inc, Swap...). */
  private reference(e: Expr, of: 'number' | 'string' | undefined): ((m: Machine) => VariableRef) | null {
    if (e.kind !== 'Variable' && e.kind !== 'Element') {
      this.ctx.error('syntax_error', e.pos, ['a variable is expected here']);
      return null;
    }
    const type = typeOfName(e.name);
    // Inc A$ or Mid$(A, ...) = ... are compile-time type mismatches, as in AOZ.
    if (of !== undefined && (of === 'string') !== (type === 'string')) {
      this.mismatch(e.pos);
      return null;
    }
    const get = this.expr(e).fn;
    const set = this.setter(e, type).fn;
    return (m) => ({ kind: 'variable', type, get: () => get(m), set: (v) => set(m, v) });
  }

  /** An array passed to an `array` parameter, written `A()` or `A(0)` (Sort, Match). */
  private arrayArgument(e: Expr): ((m: Machine) => ArrayArg) | null {
    const ref = e.kind === 'Element' || e.kind === 'Variable' ? this.arrayRef(e.name, e.pos) : undefined;
    if (!ref) {
      if (e.kind !== 'Element' && e.kind !== 'Variable')
        this.ctx.error('syntax_error', e.pos, ['an array is expected here']);
      return null;
    }
    const { slot, global, name } = ref;
    return (m) => {
      const arr = (global ? m.globalArrays : m.frame.arrays)[slot];
      if (!arr) throw new AozError('non_dimensionned_array', [name]);
      return arr;
    };
  }

  // -- arrays -----------------------------------------------------------------------------------

  private element(e: Extract<Expr, { kind: 'Element' }>): CExpr {
    const ref = this.arrayRef(e.name, e.pos);
    if (!ref) return POISON;
    const at = this.indexer(ref, e.indexes);
    const { arr, fns, indexes, arrJs } = at;
    if (fns.length === 1) {
      const [i] = fns as [Eval];
      return {
        fn: (m) => H.get1(arr(m), i(m) as number),
        type: ref.type,
        bool: false,
        js: `H.get1(${arrJs}, ${indexes[0]})`,
      };
    }
    return {
      fn: (m) =>
        H.getN(
          arr(m),
          fns.map((i) => i(m) as number),
        ),
      type: ref.type,
      bool: false,
      js: `H.getN(${arrJs}, [${indexes.join(', ')}])`,
    };
  }

  arrayRef(name: string, pos: SourcePos): ArrayRef | undefined {
    const ref = this.ctx.scope.array(name);
    if (!ref) this.ctx.error('non_dimensionned_array', pos, [name]);
    return ref;
  }

  /** How to reach an element: the array (checked Dim'd, with as many dimensions), the subscripts. */
  indexer(ref: ArrayRef, indexExprs: readonly Expr[]): Indexer {
    const compiled = indexExprs.map((i) => this.numeric(i));
    const { slot, global, name } = ref;
    const dims = compiled.length;
    return {
      arr: global
        ? (m) => H.array(m.globalArrays, slot, name, dims)
        : (m) => H.array(m.frame.arrays, slot, name, dims),
      fns: compiled.map((c) => c.fn),
      arrJs: `H.array(${global ? 'm.globalArrays' : 'f.arrays'}, ${slot}, ${JSON.stringify(name)}, ${dims})`,
      indexes: compiled.map((c) => this.jsOf(c)),
    };
  }

  // -- calls ------------------------------------------------------------------------------------

  /** Compiles arguments against an entry's parameters (count and types), reporting mismatches. */
  args(
    entry: { readonly name: string; readonly params: readonly ParamSpec[] },
    args: readonly (Expr | null)[],
    pos: SourcePos,
  ): {
    readonly fns: ((m: Machine) => Arg)[];
    readonly types: (ValueType | undefined)[];
    /** Each argument as JavaScript text. */
    readonly texts: string[];
  } {
    const required = entry.params.filter((p) => !p.optional).length;
    if (args.length > entry.params.length || args.length < required) {
      this.ctx.error('wrong_number_of_arguments', pos, [entry.name]);
      return { fns: [], types: [], texts: [] };
    }
    const types: (ValueType | undefined)[] = [];
    const texts: string[] = [];
    const fns = entry.params.map((p, i): ((m: Machine) => Arg) => {
      const a = args[i];
      const other = (fn: ((m: Machine) => Arg) | null): ((m: Machine) => Arg) => {
        const f = fn ?? (() => undefined);
        texts.push(fn ? jsOpaque(`${this.ctx.ref(f)}(m)`) : 'undefined');
        return f;
      };
      if (a === undefined || a === null) {
        if (!p.optional) this.ctx.error('wrong_number_of_arguments', pos, [entry.name]);
        return other(null);
      }
      if (p.type === 'variable') return other(this.reference(a, p.of));
      if (p.type === 'array') return other(this.arrayArgument(a));
      const c = this.expr(a);
      types[i] = c.type;
      if ((p.type === 'number' && !isNumeric(c.type)) || (p.type === 'string' && c.type !== 'string')) {
        this.mismatch(a.pos);
      }
      texts.push(this.jsOf(c));
      return c.fn;
    });
    return { fns, types, texts };
  }

  private functionCall(name: string, argExprs: readonly (Expr | null)[], pos: SourcePos): CExpr {
    const entry = this.ctx.builtins.function(name);
    if (!entry) {
      this.ctx.error('not_a_function', pos, [name]);
      return POISON;
    }
    const { fns: args, types, texts } = this.args(entry, argExprs, pos);
    const returns: ValueType = entry.returns === 'argument' ? (types[0] ?? 'float') : entry.returns;
    const values = (m: Machine) => args.map((a) => a(m));
    if (entry.waits) {
      // A waiting function (Input$...) runs as its own operation before the statement.
      const slot = this.ctx.scope.temp(returns);
      this.ctx.emitter.emit((m) => {
        const r = entry.run(m, values(m));
        if (isWait(r)) {
          m.suspend(r, (v) => {
            m.vars[slot] = v;
          });
        } else {
          m.vars[slot] = r;
        }
      }, pos);
      return { fn: (m) => m.vars[slot]!, type: returns, bool: false };
    }
    const run = entry.run;
    let fn: Eval;
    switch (args.length) {
      case 0:
        fn = (m) => run(m, []) as Value;
        break;
      case 1: {
        const [a0] = args as [(m: Machine) => Arg];
        fn = (m) => run(m, [a0(m)]) as Value;
        break;
      }
      default:
        fn = (m) => run(m, values(m)) as Value;
    }
    // One argument given: compiled code calls the entry's `one`, without an argument array.
    const js =
      entry.one && texts.length === 1
        ? `${this.ctx.ref(entry)}.one(m, ${texts[0]})`
        : `${this.ctx.ref(entry)}.run(m, ${jsArgs(texts)})`;
    return { fn, type: returns, bool: false, js };
  }

  /** `NAME[args]` in an expression: hoisted; its End Proc value lands in a hidden slot (§5.2). */
  private procedureCall(name: string, argExprs: readonly Expr[], pos: SourcePos): CExpr {
    const proc = this.ctx.procedures.get(name.toLowerCase());
    if (!proc) {
      this.ctx.error('procedure_not_found', pos, [name]);
      return POISON;
    }
    const call = this.procedureArgs(proc, argExprs, pos);
    const slot = this.ctx.scope.temp(proc.returns);
    const section = proc.section;
    const fn = call.fn;
    this.ctx.emitter.emit(
      (m) => m.callSection(section, fn(m), slot),
      pos,
      this.callJs(section, call.js, slot),
    );
    return { fn: (m) => m.vars[slot]!, type: proc.returns, bool: false, js: jsVar(false, slot) };
  }

  /** A call of a procedure as JavaScript text, with its arguments' texts ("a, b"). */
  callJs(section: Section, args: string, slot: number): JsOp {
    const text = jsCall(this.ctx.ref(section), args, slot);
    return () => text;
  }

  procedureArgs(
    proc: ProcInfo,
    argExprs: readonly Expr[],
    pos: SourcePos,
  ): { readonly fn: (m: Machine) => Value[]; readonly js: string } {
    if (argExprs.length > proc.paramTypes.length) {
      this.ctx.error('wrong_number_of_arguments', pos, [proc.name]);
      return { fn: () => [], js: '' };
    }
    const compiled = argExprs.map((a, i) => {
      const c = this.expr(a);
      if ((proc.paramTypes[i] === 'string') !== (c.type === 'string')) this.mismatch(a.pos);
      return c;
    });
    const args = compiled.map((c) => c.fn);
    // The text is the list of arguments, without brackets: see jsCall.
    return { fn: (m) => args.map((a) => a(m)), js: compiled.map((c) => this.jsOf(c)).join(', ') };
  }
}

/** A condition, as a closure and as JavaScript text. */
export interface Cond {
  readonly fn: (m: Machine) => boolean;
  readonly js: string;
}

/** An assignment: `fn(m, value)`, or the JavaScript statement storing the value given as text. */
export interface Setter {
  readonly fn: (m: Machine, v: Value) => void;
  readonly js: (value: string) => string;
}

interface Indexer {
  /** The array, checked. */
  readonly arr: (m: Machine) => AozArray;
  readonly fns: readonly Eval[];
  readonly arrJs: string;
  readonly indexes: readonly string[];
}

function widen(a: ValueType, b: ValueType): ValueType {
  return a === 'float' || b === 'float' ? 'float' : 'integer';
}
