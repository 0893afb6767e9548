/**
 * Variable slots of one section (aoz-facts §5.5): every name used in a procedure is local unless
 * the procedure declares it `Shared` or the main program declares it `Global`; then it is the main
 * program's. Scalars and arrays live in separate namespaces (`A` and `A()` differ, §1.2).
 */
import { defaultValue, typeOfName, type Value, type ValueType } from './values.js';

export interface VarRef {
  readonly slot: number;
  readonly type: ValueType;
  /** The main program's slot seen from a procedure (Shared/Global). */
  readonly global: boolean;
}

export interface ArrayRef extends VarRef {
  readonly name: string;
}

export class Scope {
  readonly varInit: Value[] = [];
  arrayCount = 0;
  private readonly vars = new Map<string, VarRef>();
  /** Each variable's name as first written (for the REPL's completion). */
  private readonly spellings = new Map<string, string>();
  private readonly arrays = new Map<string, ArrayRef>();

  constructor(
    /** The main program's scope, for procedures; null for the main program itself. */
    private readonly main: Scope | null,
    /** Lower-cased names this section sees in the main program (`a$`, `b()`). */
    private readonly shared: ReadonlySet<string>,
  ) {}

  private isShared(key: string): boolean {
    if (this.main === null) return false;
    if (this.shared.has(key)) return true;
    // `Global "A*"` lists names with wildcards: * any characters, ? one (aoz-facts §5.5).
    const name = key.endsWith('()') ? key.slice(0, -2) : key;
    return this.patterns.some((p) => p.test(name));
  }

  private get patterns(): RegExp[] {
    this.compiledPatterns ??= [...this.shared]
      .filter((n) => n.startsWith('"'))
      .map((n) => {
        const glob = n
          .slice(1)
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.');
        return new RegExp(`^${glob}$`, 'i');
      });
    return this.compiledPatterns;
  }

  private compiledPatterns: RegExp[] | undefined;

  /** Def Fn parameters while their function body is compiled. */
  private aliases = new Map<string, VarRef>();

  withAliases<T>(aliases: ReadonlyMap<string, VarRef>, compile: () => T): T {
    const saved = this.aliases;
    this.aliases = new Map([...saved, ...aliases]);
    try {
      return compile();
    } finally {
      this.aliases = saved;
    }
  }

  variable(name: string): VarRef {
    const key = name.toLowerCase();
    const alias = this.aliases.get(key);
    if (alias) return alias;
    if (this.isShared(key)) return { ...this.main!.variable(name), global: true };
    let v = this.vars.get(key);
    if (!v) {
      v = this.allocate(typeOfName(name));
      this.vars.set(key, v);
      this.spellings.set(key, name);
    }
    return v;
  }

  /** A hidden slot (procedure results and waiting-function values hoisted out of expressions). */
  temp(type: ValueType): number {
    return this.allocate(type).slot;
  }

  /** A hidden variable slot of this section. */
  hidden(type: ValueType): VarRef {
    return this.allocate(type);
  }

  private allocate(type: ValueType): VarRef {
    const slot = this.varInit.length;
    this.varInit.push(defaultValue(type));
    return { slot, type, global: false };
  }

  /** The names of the variables and arrays (`name(`) seen so far, as first written. */
  names(): string[] {
    return [...this.spellings.values(), ...[...this.arrays.values()].map((a) => `${a.name}(`)];
  }

  /** Declares an array Dim'd in this section (or, through Shared/Global, in the main program). */
  declareArray(name: string): ArrayRef {
    const key = name.toLowerCase();
    if (this.isShared(`${key}()`)) return { ...this.main!.declareArray(name), global: true };
    let a = this.arrays.get(key);
    if (!a) {
      a = { slot: this.arrayCount++, type: typeOfName(name), global: false, name };
      this.arrays.set(key, a);
    }
    return a;
  }

  /** The array named so, or undefined when it is never Dim'd where this section can see it. */
  array(name: string): ArrayRef | undefined {
    const key = name.toLowerCase();
    if (this.isShared(`${key}()`)) {
      const a = this.main!.array(name);
      return a ? { ...a, global: true } : undefined;
    }
    return this.arrays.get(key);
  }
}
