/**
 * Source text -> AST, reporting every syntax error of the file (DESIGN §8): each physical line is
 * parsed on its own; after an error the parser skips to the next `:` of that line and goes on.
 */
import { EOF, type IToken, tokenMatcher } from 'chevrotain';
import type { Diagnostic } from '../interpreter/errors.js';
import { type LexResult, tokenize } from '../lexer/lexer.js';
import * as T from '../lexer/tokens.js';
import type { Vocabulary } from '../lexer/vocabulary.js';
import type { Program } from './ast.js';
import type { Flat } from './flat.js';
import { lineParser } from './grammar.js';
import { structure } from './structure.js';

export interface ParseResult {
  readonly program: Program;
  readonly tokens: readonly IToken[];
  /** Errors and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Blocks (For, Procedure, block If...) still open where the text ends. */
  readonly openBlocks: number;
}

export function parse(source: string, vocabulary: Vocabulary): ParseResult {
  const lexed: LexResult = tokenize(source, vocabulary);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  const items: Flat[] = [];
  for (const line of splitLines(lexed.tokens)) parseLine(line, items, diagnostics);
  const { main, procedures, openBlocks } = structure(items, diagnostics);
  diagnostics.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
  return { program: { kind: 'Program', main, procedures }, tokens: lexed.tokens, diagnostics, openBlocks };
}

function* splitLines(tokens: readonly IToken[]): Generator<IToken[]> {
  let line: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === T.Newline) {
      if (line.length > 0) yield line;
      line = [];
    } else {
      line.push(t);
    }
  }
  if (line.length > 0) yield line;
}

/**
 * Marks the bracket of `Name(args) = value` at the start of a statement (the in-place Left$/Mid$/
 * Right$ forms), so the grammar needs no unbounded lookahead to tell it from `Name (expr)`.
 */
function markAssignments(tokens: IToken[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.tokenType !== T.BuiltinName || tokens[i + 1]!.tokenType !== T.LParen) continue;
    const before = tokens[i - 1];
    const atStart =
      before === undefined ||
      tokenMatcher(before, T.StatementEnd) ||
      tokenMatcher(before, T.Label) ||
      tokenMatcher(before, T.LineNumber) ||
      tokenMatcher(before, T.Then) ||
      tokenMatcher(before, T.Else) ||
      tokenMatcher(before, T.Trap);
    if (!atStart) continue;
    let depth = 0;
    for (let k = i + 1; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (tokenMatcher(t, T.StatementEnd)) break;
      if (tokenMatcher(t, T.LParen)) depth++;
      else if (tokenMatcher(t, T.RParen) && --depth === 0) {
        if (tokens[k + 1] && tokenMatcher(tokens[k + 1]!, T.Equals)) {
          tokens[i + 1] = {
            ...tokens[i + 1]!,
            tokenType: T.AssignParen,
            tokenTypeIdx: T.AssignParen.tokenTypeIdx!,
          };
        }
        break;
      }
    }
  }
}

function parseLine(tokens: IToken[], items: Flat[], diagnostics: Diagnostic[]): void {
  markAssignments(tokens);
  const parser = lineParser();
  let start = 0;
  while (start < tokens.length) {
    parser.input = tokens.slice(start);
    parser.semanticErrors.length = 0;
    let parsed: Flat[];
    try {
      parsed = parser.line();
    } catch (e) {
      // Thousands of nested brackets exhaust the recursive-descent parser's stack.
      if (!(e instanceof RangeError)) throw e;
      diagnostics.push(tooComplex(tokens[start]!));
      return;
    }
    for (const e of parser.semanticErrors) {
      diagnostics.push({ severity: 'error', id: 'syntax_error', message: e.message, pos: e.pos });
    }
    const error = parser.errors[0];
    if (!error) {
      items.push(...parsed);
      return;
    }
    const at = error.token.tokenType === EOF ? endOf(tokens[tokens.length - 1]!) : error.token;
    diagnostics.push({
      severity: 'error',
      id: 'syntax_error',
      message: error.message,
      pos: { line: at.startLine ?? 0, column: at.startColumn ?? 0 },
      length: at.image.length,
    });
    // Resume after the next `:` following the error, so later statements are still checked.
    const errorIndex = error.token.tokenType === EOF ? tokens.length : tokens.indexOf(error.token, start);
    const colon = tokens.findIndex((t, i) => i >= Math.max(errorIndex, start) && tokenMatcher(t, T.Colon));
    if (colon < 0) return;
    start = colon + 1;
  }
}

/** A pseudo-token just after `tok`, to place "end of line" errors. */
function endOf(tok: IToken): IToken {
  return { ...tok, image: ' ', startColumn: (tok.endColumn ?? tok.startColumn ?? 0) + 1 };
}

export function tooComplex(at: { startLine?: number; startColumn?: number }): Diagnostic {
  return {
    severity: 'error',
    id: 'syntax_error',
    message: 'this statement is nested too deeply',
    pos: { line: at.startLine ?? 0, column: at.startColumn ?? 0 },
  };
}
