/** --dump-tokens, --dump-ast and --dump-js: what the lexer, the parser and the compiler made of a program. */
import type { IToken } from 'chevrotain';
import { directSource, sectionSource } from '../interpreter/jit.js';
import type { CompiledProgram } from '../interpreter/program.js';
import type { BuiltinPayload } from '../lexer/vocabulary.js';
import type { Program } from '../parser/ast.js';

export function dumpTokens(tokens: readonly IToken[]): string {
  let out = '';
  for (const t of tokens) {
    const where = `${t.startLine}:${t.startColumn}`.padEnd(8);
    const type = t.tokenType.name.padEnd(12);
    const image = t.tokenType.name === 'Newline' ? '' : JSON.stringify(t.image);
    const payload = t.payload as Partial<BuiltinPayload> | undefined;
    const entry =
      t.tokenType.name === 'BuiltinName' && payload
        ? `  -> ${[payload.instruction && 'instruction', payload.function && 'function'].filter(Boolean).join('+')} ${payload.name}`
        : '';
    out += `${where}${type}${image}${entry}\n`;
  }
  return out;
}

/** The AST as indented JSON, positions shown as "line:column". */
export function dumpAst(program: Program): string {
  return `${JSON.stringify(
    program,
    (key, value: unknown) => {
      if ((key === 'pos' || key === 'endPos') && value && typeof value === 'object') {
        const p = value as { line: number; column: number };
        return `${p.line}:${p.column}`;
      }
      return value;
    },
    2,
  )}\n`;
}

/**
 * The function bodies jit.ts makes of each section (the main program, then each procedure): with
 * a frame, and without one when the procedure can run so.
 */
export function dumpJs(program: CompiledProgram): string {
  const procedures = [...program.procedures.values()];
  return [program.main, ...procedures]
    .flatMap((s) => [sectionSource(s), ...(s === program.main ? [] : [directSource(s) ?? []].flat())])
    .map((text) => `${text}\n\n`)
    .join('');
}
