/**
 * Tokenizing with the grammar the way VS Code does: vscode-textmate on the Oniguruma regex engine
 * compiled to WebAssembly (the .wasm file ships in the vscode-oniguruma package).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

export interface GrammarToken {
  /** 1-based, as the lexer counts. */
  readonly line: number;
  /** 0-based offset in the line. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Outermost first: `source.aoz`, then the rule's scopes. */
  readonly scopes: readonly string[];
}

let onigLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  if (!onigLoaded) {
    const wasmPath = createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm');
    const wasm = readFileSync(wasmPath);
    onigLoaded = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  }
  return onigLoaded;
}

export type Tokenizer = (source: string) => GrammarToken[];

/**
 * A tokenizer for the grammar given as text: JSON, or an XML property list when `fileName` does
 * not end in `.json` (vscode-textmate reads both).
 */
export async function loadTokenizer(
  grammarText: string,
  fileName = 'aoz.tmLanguage.json',
): Promise<Tokenizer> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.aoz' ? textmate.parseRawGrammar(grammarText, fileName) : null,
  });
  const grammar = await registry.loadGrammar('source.aoz');
  if (!grammar) throw new Error('the grammar did not load');
  return (source) => {
    const out: GrammarToken[] = [];
    let state = textmate.INITIAL;
    source.split(/\r\n|\r|\n/).forEach((text, i) => {
      const r = grammar.tokenizeLine(text, state);
      for (const t of r.tokens) {
        const end = Math.min(t.endIndex, text.length);
        if (end <= t.startIndex) continue;
        out.push({
          line: i + 1,
          start: t.startIndex,
          end,
          text: text.slice(t.startIndex, end),
          scopes: t.scopes,
        });
      }
      state = r.ruleStack;
    });
    return out;
  };
}

/** The innermost scope of a token. */
export function innermost(t: GrammarToken): string {
  return t.scopes[t.scopes.length - 1]!;
}
