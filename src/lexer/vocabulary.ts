/**
 * The names the scanner recognises besides structural keywords: every instruction and function of
 * the runtime tables, given to the lexer by the session (the lexer never imports the runtime).
 * AOZ looks names up case-insensitively, words separated by single spaces (aoz-facts §1.9).
 */
export interface BuiltinSyntax {
  readonly name: string;
  readonly kind: 'instruction' | 'function';
  readonly params: readonly { readonly optional?: boolean }[];
}

/** What a BuiltinName token carries: the instruction and/or the function spelled that way. */
export interface BuiltinPayload {
  readonly name: string;
  readonly instruction?: BuiltinSyntax;
  readonly function?: BuiltinSyntax;
}

export class Vocabulary {
  private readonly byName = new Map<string, BuiltinPayload>();
  /** The most words in one name, which bounds the scanner's longest-match search. */
  maxWords = 1;

  constructor(entries: Iterable<BuiltinSyntax>) {
    for (const e of entries) {
      const key = normaliseName(e.name);
      const prev = this.byName.get(key);
      if (prev?.[e.kind]) throw new Error(`duplicate ${e.kind} in the tables: ${e.name}`);
      this.byName.set(key, { ...prev, name: prev?.name ?? e.name, [e.kind]: e });
      this.maxWords = Math.max(this.maxWords, key.split(' ').length);
    }
  }

  lookup(normalisedName: string): BuiltinPayload | undefined {
    return this.byName.get(normalisedName);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }
}

export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}
