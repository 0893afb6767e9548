/** The instruction tables of the runtime, indexed for the lexer (names) and the compiler (entries). */
import { normaliseName, Vocabulary } from '../lexer/vocabulary.js';
import type { Builtins } from './expressions.js';
import type { BuiltinEntry, FunctionEntry, InstructionEntry } from './runtime-api.js';

export class BuiltinRegistry implements Builtins {
  readonly vocabulary: Vocabulary;
  private readonly instructions = new Map<string, InstructionEntry>();
  private readonly functions = new Map<string, FunctionEntry>();

  constructor(readonly entries: readonly BuiltinEntry[]) {
    this.vocabulary = new Vocabulary(entries);
    for (const e of entries) {
      const key = normaliseName(e.name);
      if (e.kind === 'instruction') this.instructions.set(key, e);
      else this.functions.set(key, e);
    }
  }

  instruction(name: string): InstructionEntry | undefined {
    return this.instructions.get(normaliseName(name));
  }

  function(name: string): FunctionEntry | undefined {
    return this.functions.get(normaliseName(name));
  }
}
