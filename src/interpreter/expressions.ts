/**
 * Expressions -> closures, compiled once (DESIGN §4) with their static type (from suffixes and
 * literals). Procedure calls and waiting functions inside an expression are hoisted into
 * operations that run just before the statement and leave their value in a hidden slot, so the
 * machine can suspend at them like at any statement.
 */
import type { BinaryOp, Expr, LValue, Stmt } from '../parser/ast.js';
import type { Emitter } from './emitter.js';
import { AozError, type ErrorId, errorIdByNumber, errorMessage, type SourcePos } from './errors.js';
import type { Machine } from './machine.js';
import type { AozArray, Section } from './program.js';
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
  MAX_STRING_LENGTH,
  TRUE,
  toInteger,
  truthy,
  typeOfName,
  type Value,
  type ValueType,
} from './values.js';

export type Eval = (m: Machine) => Value;

/** Strings longer than this, when stored, are counted toward the memory limit. */
const LARGE_STRING = 64 * 1024;

export interface CExpr {
  readonly fn: Eval;
  readonly type: ValueType;
  /** A truth value (comparison, Not, logical And/Or): And/Or with it are logical (aoz-facts §2.9). */
  readonly bool: boolean;
  readonly constant?: Value;
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
}

const isNumeric = (t: ValueType) => t !== 'string';

function isWait(r: Value | Wait | undefined): r is Wait {
  return typeof r === 'object';
}

export function constant(value: Value, type: ValueType): CExpr {
  return { fn: () => value, type, bool: false, constant: value };
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
        return { fn, type: v.type, bool: false };
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
          ? { fn: (m) => m.frame.paramStr, type: 'string', bool: false }
          : { fn: (m) => m.frame.param, type: 'float', bool: false };
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
    return {
      fn: (m) => {
        for (const set of setters) set(m);
        return fn(m);
      },
      type: body.type,
      bool: body.bool,
    };
  }

  /** A condition of If, Else If, While, Until, Exit If: And/Or are logical there (§2.9). */
  cond(e: Expr): (m: Machine) => boolean {
    if (e.kind === 'Binary' && (e.op === 'And' || e.op === 'Or')) {
      const l = this.cond(e.left);
      const r = this.cond(e.right);
      return e.op === 'And' ? (m) => l(m) && r(m) : (m) => l(m) || r(m);
    }
    const c = this.expr(e);
    const fn = c.fn;
    return c.type === 'string' ? (m) => fn(m) !== '' : (m) => truthy(fn(m));
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
    if (op === '-') return { fn: (m) => -(f(m) as number), type: c.type, bool: false };
    // Not is logical in AOZ, not bitwise: Not 0 = 1, Not 5 = 0; its operand must be an integer
    // (a float is a compile-time Type mismatch, §2.8).
    if (c.type !== 'integer') return this.mismatch(pos);
    return { fn: (m) => (truthy(f(m)) ? FALSE : TRUE), type: 'integer', bool: true };
  }

  private binary(op: BinaryOp, le: Expr, re: Expr, pos: SourcePos, _inCond: boolean): CExpr {
    const l = this.expr(le);
    const r = this.expr(re);
    const a = l.fn;
    const b = r.fn;
    const strings = l.type === 'string' && r.type === 'string';
    const numbers = isNumeric(l.type) && isNumeric(r.type);
    if (!strings && !numbers) return this.mismatch(pos);
    const num = (fn: (x: number, y: number) => number, type: ValueType = widen(l.type, r.type)): CExpr =>
      numbers ? { fn: (m) => fn(a(m) as number, b(m) as number), type, bool: false } : this.mismatch(pos);
    const cmp = (fn: (x: Value, y: Value) => boolean): CExpr => ({
      fn: (m) => (fn(a(m), b(m)) ? TRUE : FALSE),
      type: 'integer',
      bool: true,
    });
    switch (op) {
      case '+':
        if (strings) {
          return {
            fn: (m) => {
              const s = (a(m) as string) + (b(m) as string);
              if (s.length > MAX_STRING_LENGTH)
                throw new AozError('string_too_long', [`${s.length} characters`]);
              return s;
            },
            type: 'string',
            bool: false,
          };
        }
        return num((x, y) => x + y);
      case '-':
        // String minus removes every occurrence of the right string (§2.10).
        if (strings) {
          return { fn: (m) => (a(m) as string).split(b(m) as string).join(''), type: 'string', bool: false };
        }
        return num((x, y) => x - y);
      case '*':
        return num((x, y) => x * y);
      case '/':
        // Always floating-point; a zero divisor is an Illegal function call (§2.3, runtime R2).
        return num((x, y) => {
          if (y === 0) throw new AozError('illegal_function_call', ['division by zero']);
          return x / y;
        }, 'float');
      case 'Mod':
        return num((x, y) => x % y);
      case '^':
        return num((x, y) => x ** y, 'float');
      case '<<':
        return num((x, y) => x << y, 'integer');
      case '>>':
        return num((x, y) => x >> y, 'integer');
      case '&':
        return num((x, y) => x & y, 'integer');
      case '|':
        return num((x, y) => x | y, 'integer');
      case 'Xor':
        return num((x, y) => x ^ y, 'integer');
      case 'And':
      case 'Or':
        if (!numbers) return this.mismatch(pos);
        // Bitwise between two numbers, logical as soon as one side is a truth value (§2.9).
        if (l.bool || r.bool) {
          return op === 'And'
            ? { fn: (m) => (truthy(a(m)) && truthy(b(m)) ? TRUE : FALSE), type: 'integer', bool: true }
            : { fn: (m) => (truthy(a(m)) || truthy(b(m)) ? TRUE : FALSE), type: 'integer', bool: true };
        }
        return op === 'And' ? num((x, y) => x & y, 'integer') : num((x, y) => x | y, 'integer');
      case '=':
        return cmp((x, y) => x === y);
      case '<>':
        return cmp((x, y) => x !== y);
      case '<':
        return cmp((x, y) => x < y);
      case '>':
        return cmp((x, y) => x > y);
      case '<=':
        return cmp((x, y) => x <= y);
      case '>=':
        return cmp((x, y) => x >= y);
    }
  }

  // -- assignment -------------------------------------------------------------------------------

  /** An assignment target, converting the value to the variable's type (truncation, §2.2). */
  setter(target: LValue, valueType: ValueType): (m: Machine, v: Value) => void {
    const name = target.name;
    const type = typeOfName(name);
    if ((type === 'string') !== (valueType === 'string')) {
      this.mismatch(target.pos);
      return () => {};
    }
    const convert: (m: Machine, v: Value) => Value =
      type === 'integer'
        ? (_m, v) => toInteger(v as number)
        : type === 'string'
          ? (m, v) => {
              // Large strings kept in variables count toward the memory limit (Machine.trackAllocation).
              if ((v as string).length > LARGE_STRING) m.trackAllocation((v as string).length * 2);
              return v;
            }
          : (_m, v) => v;
    if (target.kind === 'Variable') {
      const v = this.ctx.scope.variable(name);
      const slot = v.slot;
      if (v.global) {
        return (m, x) => {
          m.globals[slot] = convert(m, x);
        };
      }
      return (m, x) => {
        m.vars[slot] = convert(m, x);
      };
    }
    const ref = this.arrayRef(name, target.pos);
    if (!ref) return () => {};
    const at = this.indexer(ref, target.indexes);
    return (m, x) => {
      const [arr, i] = at(m);
      arr.data[i] = convert(m, x);
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
    const set = this.setter(e, type);
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
    return {
      fn: (m) => {
        const [arr, i] = at(m);
        return arr.data[i]!;
      },
      type: ref.type,
      bool: false,
    };
  }

  arrayRef(name: string, pos: SourcePos): ArrayRef | undefined {
    const ref = this.ctx.scope.array(name);
    if (!ref) this.ctx.error('non_dimensionned_array', pos, [name]);
    return ref;
  }

  /** (array, flat index) of an element, checking each index against its bound (§7.3). */
  indexer(ref: ArrayRef, indexes: readonly Expr[]): (m: Machine) => [AozArray, number] {
    const idx = indexes.map((i) => this.numeric(i).fn);
    const slot = ref.slot;
    const global = ref.global;
    const name = ref.name;
    return (m) => {
      const arr = (global ? m.globalArrays : m.frame.arrays)[slot];
      if (!arr) throw new AozError('non_dimensionned_array', [name]);
      if (arr.sizes.length !== idx.length) throw new AozError('illegal_number_of_dimensions');
      let flat = 0;
      for (let d = 0; d < idx.length; d++) {
        const max = arr.sizes[d]!;
        const v = Math.trunc(idx[d]!(m) as number);
        if (!(v >= 0 && v <= max)) throw new AozError('array_index_out_of_bounds', [d + 1, v, max]);
        flat = flat * (max + 1) + v;
      }
      return [arr, flat];
    };
  }

  // -- calls ------------------------------------------------------------------------------------

  /** Compiles arguments against an entry's parameters (count and types), reporting mismatches. */
  args(
    entry: { readonly name: string; readonly params: readonly ParamSpec[] },
    args: readonly (Expr | null)[],
    pos: SourcePos,
  ): { readonly fns: ((m: Machine) => Arg)[]; readonly types: (ValueType | undefined)[] } {
    const required = entry.params.filter((p) => !p.optional).length;
    if (args.length > entry.params.length || args.length < required) {
      this.ctx.error('wrong_number_of_arguments', pos, [entry.name]);
      return { fns: [], types: [] };
    }
    const types: (ValueType | undefined)[] = [];
    const fns = entry.params.map((p, i): ((m: Machine) => Arg) => {
      const a = args[i];
      if (a === undefined || a === null) {
        if (!p.optional) this.ctx.error('wrong_number_of_arguments', pos, [entry.name]);
        return () => undefined;
      }
      if (p.type === 'variable') return this.reference(a, p.of) ?? (() => undefined);
      if (p.type === 'array') return this.arrayArgument(a) ?? (() => undefined);
      const c = this.expr(a);
      types[i] = c.type;
      if ((p.type === 'number' && !isNumeric(c.type)) || (p.type === 'string' && c.type !== 'string')) {
        this.mismatch(a.pos);
      }
      return c.fn;
    });
    return { fns, types };
  }

  private functionCall(name: string, argExprs: readonly (Expr | null)[], pos: SourcePos): CExpr {
    const entry = this.ctx.builtins.function(name);
    if (!entry) {
      this.ctx.error('not_a_function', pos, [name]);
      return POISON;
    }
    const { fns: args, types } = this.args(entry, argExprs, pos);
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
    return { fn, type: returns, bool: false };
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
    this.ctx.emitter.emit((m) => m.callSection(section, call(m), slot), pos);
    return { fn: (m) => m.vars[slot]!, type: proc.returns, bool: false };
  }

  procedureArgs(proc: ProcInfo, argExprs: readonly Expr[], pos: SourcePos): (m: Machine) => Value[] {
    if (argExprs.length > proc.paramTypes.length) {
      this.ctx.error('wrong_number_of_arguments', pos, [proc.name]);
      return () => [];
    }
    const args = argExprs.map((a, i) => {
      const c = this.expr(a);
      if ((proc.paramTypes[i] === 'string') !== (c.type === 'string')) this.mismatch(a.pos);
      return c.fn;
    });
    return (m) => args.map((a) => a(m));
  }
}

function widen(a: ValueType, b: ValueType): ValueType {
  return a === 'float' || b === 'float' ? 'float' : 'integer';
}
