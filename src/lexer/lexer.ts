/**
 * The scanner: AOZ source text -> Chevrotain tokens. AOZ's lexical rules are context-sensitive
 * (labels only at line start, `Rem` to the end of the line, multi-word names matched against the
 * runtime tables, longest first), so the scanning is hand-written and emits Chevrotain token
 * instances that the Chevrotain parser consumes.
 */
import { createTokenInstance, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic, ErrorId } from '../interpreter/errors.js';
import * as T from './tokens.js';
import { type BuiltinPayload, normaliseName, type Vocabulary } from './vocabulary.js';

const KEYWORD_MAX_WORDS = T.keywordMaxWords();

export interface NumberPayload {
  readonly value: number;
  /** A literal written with a `.` is float-typed (aoz-facts §1.4). */
  readonly float: boolean;
}
export interface StringPayload {
  readonly value: string;
}
export interface NamePayload {
  /** As written, with its `$`/`#` suffix. */
  readonly name: string;
}
export type { BuiltinPayload };

export interface LexResult {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

const OPEN_TYPOGRAPHIC = new Set(['\u201c', '\u201d']);

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}
function isIdentChar(c: string | undefined): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isHexDigit(c: string | undefined): boolean {
  return isDigit(c) || (c !== undefined && /[a-fA-F]/.test(c));
}

const PUNCTUATION: Record<string, TokenType> = {
  '(': T.LParen,
  ')': T.RParen,
  '[': T.LBracket,
  ']': T.RBracket,
  ',': T.Comma,
  ';': T.Semicolon,
  '+': T.Plus,
  '-': T.Minus,
  '*': T.Star,
  '/': T.Slash,
  '^': T.Caret,
  '&': T.Ampersand,
  '|': T.Pipe,
  ':': T.Colon,
};

/** Two-character operators, tried before the single characters. */
const OPERATORS2: Record<string, TokenType> = {
  '<>': T.NotEqual,
  '!=': T.NotEqual,
  '<=': T.LessEq,
  '=<': T.LessEq,
  '>=': T.GreaterEq,
  '=>': T.GreaterEq,
  '<<': T.ShiftLeft,
  '>>': T.ShiftRight,
};
const OPERATORS1: Record<string, TokenType> = { '<': T.Less, '>': T.Greater, '=': T.Equals };

export function tokenize(source: string, vocabulary: Vocabulary): LexResult {
  return new Scanner(source, vocabulary).run();
}

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private atLineStart = true;
  private readonly tokens: IToken[] = [];
  private readonly diagnostics: Diagnostic[] = [];

  private readonly maxWords: number;

  constructor(
    private readonly src: string,
    private readonly vocab: Vocabulary,
  ) {
    this.maxWords = Math.max(vocab.maxWords, KEYWORD_MAX_WORDS);
  }

  run(): LexResult {
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
        this.i++;
        continue;
      }
      if (c === '\n' || c === '\r') {
        this.newline();
        continue;
      }
      if (this.atLineStart) {
        this.atLineStart = false;
        if (c === '#') {
          this.warn('compiler tag line ignored', this.i, this.restOfLine() - this.i);
          this.i = this.restOfLine();
          continue;
        }
        if (isDigit(c)) {
          this.lineNumber();
          continue;
        }
        if (isIdentStart(c) && this.label()) continue;
      }
      if (c === "'" || (c === '/' && src[this.i + 1] === '/')) {
        this.i = this.restOfLine();
        continue;
      }
      if (c === '/' && src[this.i + 1] === '*') {
        this.blockComment();
        continue;
      }
      if (c === '\\') {
        // Line continuation: the rest of the physical line is skipped (aoz-facts §1.7).
        this.i = this.restOfLine();
        if (src[this.i] === '\r' && src[this.i + 1] === '\n') this.i++;
        if (this.i < src.length) this.advanceLine(this.i + 1);
        this.atLineStart = false; // the next line continues this statement: no label there
        continue;
      }
      if (c === '"' || OPEN_TYPOGRAPHIC.has(c)) {
        this.string();
        continue;
      }
      if (isDigit(c)) {
        this.decimal();
        continue;
      }
      if (c === '$' && isHexDigit(src[this.i + 1])) {
        this.radix(16, /[0-9a-fA-F]/);
        continue;
      }
      if (c === '%' && (src[this.i + 1] === '0' || src[this.i + 1] === '1')) {
        this.radix(2, /[01]/);
        continue;
      }
      if (isIdentStart(c)) {
        this.word();
        continue;
      }
      const two = src.slice(this.i, this.i + 2);
      const op2 = OPERATORS2[two];
      if (op2) {
        this.emit(op2, this.i, this.i + 2);
        continue;
      }
      const single = PUNCTUATION[c] ?? OPERATORS1[c];
      if (single) {
        this.emit(single, this.i, this.i + 1);
        continue;
      }
      this.error('syntax_error', `unexpected character '${c}'`, this.i, 1);
      this.i++;
    }
    return { tokens: this.tokens, diagnostics: this.diagnostics };
  }

  // -- helpers ----------------------------------------------------------------------------------

  private col(offset: number): number {
    return offset - this.lineStart + 1;
  }

  private emit(type: TokenType, start: number, end: number, payload?: unknown): IToken {
    const tok = createTokenInstance(
      type,
      this.src.slice(start, end),
      start,
      end - 1,
      this.line,
      this.line,
      this.col(start),
      this.col(end - 1),
    );
    if (payload !== undefined) tok.payload = payload;
    this.tokens.push(tok);
    this.i = end;
    return tok;
  }

  private warn(message: string, offset: number, length: number): void {
    this.diagnostics.push({
      severity: 'warning',
      id: 'warning',
      message,
      pos: { line: this.line, column: this.col(offset) },
      length: Math.max(1, length),
    });
  }

  private error(id: ErrorId, message: string, offset: number, length: number): void {
    this.diagnostics.push({
      severity: 'error',
      id,
      message,
      pos: { line: this.line, column: this.col(offset) },
      length: Math.max(1, length),
    });
  }

  private restOfLine(): number {
    let j = this.i;
    while (j < this.src.length && this.src[j] !== '\n' && this.src[j] !== '\r') j++;
    return j;
  }

  private advanceLine(nextLineStart: number): void {
    this.line++;
    this.lineStart = nextLineStart;
    this.i = nextLineStart;
    this.atLineStart = true;
  }

  private newline(): void {
    const start = this.i;
    const end = this.src[start] === '\r' && this.src[start + 1] === '\n' ? start + 2 : start + 1;
    this.emit(T.Newline, start, end);
    this.advanceLine(end);
  }

  private blockComment(): void {
    // `/* ... */` may span lines; scanning resumes right after `*/` (aoz-facts §1.6).
    const startLine = this.line;
    const startCol = this.col(this.i);
    let j = this.i + 2;
    while (j < this.src.length && !(this.src[j] === '*' && this.src[j + 1] === '/')) {
      if (this.src[j] === '\n' || (this.src[j] === '\r' && this.src[j + 1] !== '\n')) {
        this.line++;
        this.lineStart = j + 1;
      }
      j++;
    }
    if (j >= this.src.length) {
      this.diagnostics.push({
        severity: 'warning',
        id: 'warning',
        message: 'comment /* is never closed',
        pos: { line: startLine, column: startCol },
        length: 2,
      });
      this.i = this.src.length;
      return;
    }
    this.i = j + 2;
  }

  private lineNumber(): void {
    let j = this.i;
    while (isDigit(this.src[j])) j++;
    this.emit(T.LineNumber, this.i, j, { value: Number(this.src.slice(this.i, j)) });
  }

  /** `NAME:` at the start of a line, the colon touching the name, NAME not a known word. */
  private label(): boolean {
    let j = this.i;
    while (isIdentChar(this.src[j])) j++;
    if (this.src[j] !== ':') return false;
    const word = this.src.slice(this.i, j);
    const key = word.toLowerCase();
    if (T.KEYWORDS.has(key) || this.vocab.lookup(key)) return false;
    const tok = this.emit(T.Label, this.i, j + 1, { name: word } satisfies NamePayload);
    tok.image = word;
    return true;
  }

  private string(): void {
    const src = this.src;
    const open = src[this.i]!;
    const typographic = open !== '"';
    let j = this.i + 1;
    while (j < src.length && src[j] !== '\n' && src[j] !== '\r') {
      const c = src[j]!;
      if (c === '"' || (typographic && OPEN_TYPOGRAPHIC.has(c))) break;
      j++;
    }
    const closed = j < src.length && src[j] !== '\n' && src[j] !== '\r';
    const closer = closed ? src[j]! : '';
    if (!closed) {
      this.error('string_not_closed', 'String not closed', this.i, j - this.i);
    } else if (typographic || OPEN_TYPOGRAPHIC.has(closer)) {
      this.warn('typographic quotes used as string delimiters', this.i, j + 1 - this.i);
    }
    const value = src.slice(this.i + 1, j);
    this.emit(T.StringLit, this.i, closed ? j + 1 : j, { value } satisfies StringPayload);
  }

  private decimal(): void {
    const src = this.src;
    let j = this.i;
    while (isDigit(src[j])) j++;
    let float = false;
    if (src[j] === '.') {
      float = true;
      j++;
      while (isDigit(src[j])) j++;
    }
    const text = src.slice(this.i, j);
    this.emit(T.NumberLit, this.i, j, { value: Number.parseFloat(text), float } satisfies NumberPayload);
  }

  private radix(base: number, digit: RegExp): void {
    let j = this.i + 1;
    while (j < this.src.length && digit.test(this.src[j]!)) j++;
    const value = Number.parseInt(this.src.slice(this.i + 1, j), base);
    this.emit(T.NumberLit, this.i, j, { value, float: false } satisfies NumberPayload);
  }

  /** End of a word `[A-Za-z_][A-Za-z0-9_]*` plus an optional `$`/`#` suffix. */
  private wordEnd(from: number): { end: number; suffixed: boolean } {
    let j = from;
    while (isIdentChar(this.src[j])) j++;
    const suffixed = this.src[j] === '$' || this.src[j] === '#';
    return { end: suffixed ? j + 1 : j, suffixed };
  }

  /**
   * A run of words separated by single spaces is matched against keywords and the tables, longest
   * candidate first (aoz-facts §1.9): `Wait Key` wins over `Wait`, `End Proc` over `End`. A suffix
   * ends the run. Nothing matches: the first word is a variable (or procedure) name.
   */
  private word(): void {
    const src = this.src;
    const start = this.i;
    const ends: number[] = [];
    let j = start;
    for (;;) {
      const w = this.wordEnd(j);
      ends.push(w.end);
      if (w.suffixed || ends.length >= this.maxWords) break;
      if (src[w.end] !== ' ' || !isIdentStart(src[w.end + 1])) break;
      j = w.end + 1;
    }
    for (let k = ends.length; k >= 1; k--) {
      const end = ends[k - 1]!;
      const key = src.slice(start, end).toLowerCase();
      const kw = T.KEYWORDS.get(key);
      if (kw === T.Rem) {
        this.i = this.restOfLine();
        return;
      }
      if (kw) {
        this.emit(kw, start, end);
        return;
      }
      const builtin = this.vocab.lookup(key);
      if (builtin) {
        this.emit(T.BuiltinName, start, end, builtin);
        return;
      }
    }
    this.identifier(start, ends[0]!);
  }

  private identifier(start: number, end: number): void {
    const src = this.src;
    let name = src.slice(start, end);
    let tokenEnd = end;
    const last = name[name.length - 1];
    if (last !== '$' && last !== '#') {
      // The printed documentation has `URL $` and `REQ $`: a space before the `$` suffix.
      let j = end;
      while (src[j] === ' ' || src[j] === '\t') j++;
      if (j > end && src[j] === '$' && !isHexDigit(src[j + 1]) && !isIdentChar(src[j + 1])) {
        this.warn(`space before the $ suffix in '${src.slice(start, j + 1)}'`, start, j + 1 - start);
        name = `${name}$`;
        tokenEnd = j + 1;
        const builtin = this.vocab.lookup(normaliseName(name));
        if (builtin) {
          this.emit(T.BuiltinName, start, tokenEnd, builtin);
          return;
        }
      }
    }
    this.emit(T.Identifier, start, tokenEnd, { name } satisfies NamePayload);
  }
}
