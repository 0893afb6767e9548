import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/lexer/lexer.js';
import { KEYWORDS } from '../../src/lexer/tokens.js';
import { builtins } from '../../src/session.js';

function lex(src: string) {
  return tokenize(src, builtins().vocabulary);
}

/** "Type:image" for each token, newlines as "NL". */
function shape(src: string): string[] {
  return lex(src).tokens.map((t: IToken) =>
    t.tokenType.name === 'Newline' ? 'NL' : `${t.tokenType.name}:${t.image}`,
  );
}

describe('lexer: names', () => {
  it('keeps keywords inside longer names as variables', () => {
    expect(shape('PRINTER=1')).toEqual(['Identifier:PRINTER', 'Equals:=', 'NumberLit:1']);
    expect(shape('KEYS=2')[0]).toBe('Identifier:KEYS');
    expect(shape('REMAINING=3')[0]).toBe('Identifier:REMAINING');
    expect(shape('LEFT=4')[0]).toBe('Identifier:LEFT');
    expect(shape('FORMAT=5')[0]).toBe('Identifier:FORMAT');
  });

  it('matches multi-word names greedily, longest first, case-insensitively', () => {
    expect(shape('Wait Key')).toEqual(['BuiltinName:Wait Key']);
    expect(shape('WAIT KEY')).toEqual(['BuiltinName:WAIT KEY']);
    expect(shape('Wait 2')).toEqual(['BuiltinName:Wait', 'NumberLit:2']);
    expect(shape('End Proc')).toEqual(['EndProc:End Proc']);
    expect(shape('End')).toEqual(['End:End']);
    expect(shape('Else If A')).toEqual(['ElseIf:Else If', 'Identifier:A']);
    expect(shape('x = WebSocket Is Message (1)')).toEqual([
      'Identifier:x',
      'Equals:=',
      'BuiltinName:WebSocket Is Message',
      'LParen:(',
      'NumberLit:1',
      'RParen:)',
    ]);
  });

  it('carries the table entries on a BuiltinName token', () => {
    const [pen] = lex('Pen').tokens;
    expect(pen?.payload).toMatchObject({ name: 'Pen' });
    expect(pen?.payload.instruction?.kind).toBe('instruction');
    expect(pen?.payload.function?.kind).toBe('function');
  });

  it('needs single spaces between the words of a name (aoz-facts §1.9)', () => {
    expect(shape('Wait  Key')).toEqual(['BuiltinName:Wait', 'Identifier:Key']);
  });

  it('reads suffixes and accepts the documentation\'s "URL $" with a warning', () => {
    expect(shape('A$ B# C')).toEqual(['Identifier:A$', 'Identifier:B#', 'Identifier:C']);
    const r = lex('URL $ = "x"');
    expect(r.tokens[0]?.payload).toEqual({ name: 'URL$' });
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', pos: { line: 1, column: 1 } }]);
    expect(lex('Print Inkey $').tokens[1]?.tokenType.name).toBe('BuiltinName');
  });

  it('does not treat keywords as structural and builtin at once', () => {
    for (const kw of KEYWORDS.keys()) expect(builtins().vocabulary.lookup(kw)).toBeUndefined();
  });
});

describe('lexer: labels and line numbers', () => {
  it('reads NAME: at the start of a line as a label', () => {
    expect(shape('START:')).toEqual(['Label:START']);
    expect(shape('  again: Print 1')).toEqual(['Label:again', 'Print:Print', 'NumberLit:1']);
  });

  it('does not take an instruction followed by a colon for a label', () => {
    expect(shape('Cls: Print')).toEqual(['BuiltinName:Cls', 'Colon::', 'Print:Print']);
    expect(shape('Repeat: Refresh')[0]).toBe('Repeat:Repeat');
  });

  it('only takes labels at the start of a line, with the colon touching', () => {
    expect(shape('A=1 : B:')).toEqual([
      'Identifier:A',
      'Equals:=',
      'NumberLit:1',
      'Colon::',
      'Identifier:B',
      'Colon::',
    ]);
    expect(shape('B :')).toEqual(['Identifier:B', 'Colon::']);
  });

  it('reads a leading number as a line-number label', () => {
    expect(shape('10 Print 2')).toEqual(['LineNumber:10', 'Print:Print', 'NumberLit:2']);
  });
});

describe('lexer: literals and comments', () => {
  it('reads decimal, hexadecimal and binary numbers', () => {
    const values = lex('Print 12 3.5 $FF %101 2.')
      .tokens.slice(1)
      .map((t) => t.payload);
    expect(values).toEqual([
      { value: 12, float: false },
      { value: 3.5, float: true },
      { value: 255, float: false },
      { value: 5, float: false },
      { value: 2, float: true },
    ]);
  });

  it('reads strings, typographic quotes with a warning, and reports unclosed ones', () => {
    expect(lex('"a\\b"').tokens[0]?.payload).toEqual({ value: 'a\\b' });
    const typo = lex('\u201cReceived:\u201c + \u201de\u201d');
    expect(typo.tokens.map((t) => t.payload?.value ?? t.image)).toEqual(['Received:', '+', 'e']);
    expect(typo.diagnostics.filter((d) => d.severity === 'warning')).toHaveLength(2);
    expect(lex('"open').diagnostics).toMatchObject([{ severity: 'error', id: 'string_not_closed' }]);
  });

  it('skips Rem, apostrophe, // and /* */ comments', () => {
    expect(shape('Rem hello: Print 1')).toEqual([]);
    expect(shape('A=1 : REM have a space')).toEqual(['Identifier:A', 'Equals:=', 'NumberLit:1', 'Colon::']);
    expect(shape("A=1 ' it's a comment")).toEqual(['Identifier:A', 'Equals:=', 'NumberLit:1']);
    expect(shape('A=1 // comment')).toEqual(['Identifier:A', 'Equals:=', 'NumberLit:1']);
    expect(shape('A=/* two\nlines */1')).toEqual(['Identifier:A', 'Equals:=', 'NumberLit:1']);
  });

  it('ends statements with ":" and newline, both in the StatementEnd category', () => {
    const names = lex('A=1:B=2\nC=3').tokens.map((t) => t.tokenType);
    const ends = names.filter((t) => t.CATEGORIES?.some((c) => c.name === 'StatementEnd'));
    expect(ends.map((t) => t.name)).toEqual(['Colon', 'Newline']);
  });

  it('continues a line after a backslash', () => {
    expect(shape('A=1+ \\ ignored\n2')).toEqual([
      'Identifier:A',
      'Equals:=',
      'NumberLit:1',
      'Plus:+',
      'NumberLit:2',
    ]);
  });

  it('gives line and column of each token', () => {
    const t = lex('A=1\n  Print A').tokens.find((x) => x.tokenType.name === 'Print');
    expect([t?.startLine, t?.startColumn]).toEqual([2, 3]);
  });
});
