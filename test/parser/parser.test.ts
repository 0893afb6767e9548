import { describe, expect, it } from 'vitest';
import type { Expr, Stmt } from '../../src/parser/ast.js';
import { parse } from '../../src/parser/parse.js';
import { builtins } from '../../src/session.js';

function parsed(src: string) {
  return parse(src, builtins().vocabulary);
}

function errors(src: string) {
  return parsed(src)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ id: d.id, line: d.pos.line }));
}

/** An expression printed with full brackets, to check precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'Number':
      return String(e.value);
    case 'String':
      return JSON.stringify(e.value);
    case 'Variable':
      return e.name;
    case 'Unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'Binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Param':
      return e.type === 'string' ? 'Param$' : 'Param';
    case 'ErrorInfo':
      return e.what;
    case 'Element':
    case 'FunctionCall':
    case 'ProcedureCall':
    case 'FnCall':
      return `${e.name}(${('args' in e ? e.args : e.indexes).map((a) => (a ? show(a) : '')).join(',')})`;
  }
}

function expr(src: string): string {
  const s = parsed(`X=${src}`).program.main[0] as Extract<Stmt, { kind: 'Assign' }>;
  return show(s.value);
}

describe('parser: expressions', () => {
  it('follows AOZ precedence: Or binds tighter than And (aoz-facts §2.6)', () => {
    expect(expr('A Or B And C')).toBe('((A Or B) And C)');
    expect(expr('A And B Or C')).toBe('(A And (B Or C))');
  });

  it('gives * / Mod precedence over + -', () => {
    expect(expr('1+6/2')).toBe('(1 + (6 / 2))');
    expect(expr('6/2*3')).toBe('((6 / 2) * 3)');
    expect(expr('7 Mod 3+1')).toBe('((7 Mod 3) + 1)');
  });

  it('applies unary minus and Not to the operand that follows (§2.5, §2.8)', () => {
    expect(expr('-2^2')).toBe('(-2 ^ 2)');
    expect(expr('-X^2')).toBe('((- X) ^ 2)');
    expect(expr('Not A = B')).toBe('((Not A) = B)');
    expect(expr('2^3^2')).toBe('((2 ^ 3) ^ 2)');
  });

  it('reads comparisons, function calls and procedure calls', () => {
    expect(expr('A$ <> "x"')).toBe('(A$ <> "x")');
    expect(expr('Len(A$) + PLUS[1, 2]')).toBe('(Len(A$) + PLUS(1,2))');
    expect(expr('Inkey$ + "!"')).toBe('(Inkey$() + "!")');
  });
});

describe('parser: statements', () => {
  it('reads a one-line If with Else, and If without Then as a block', () => {
    const p = parsed('If A Then Print 1 : Print 2 Else Print 3\nIf B : Print 4\nEnd If');
    expect(p.diagnostics).toEqual([]);
    const [one, block] = p.program.main as Extract<Stmt, { kind: 'If' }>[];
    expect(one?.branches[0]?.body).toHaveLength(2);
    expect(one?.otherwise).toHaveLength(1);
    expect(block?.branches[0]?.body.map((s) => s.kind)).toEqual(['Print']);
  });

  it('nests blocks and procedures', () => {
    const p = parsed(
      'For I=1 To 3\n Repeat\n  Exit 2\n Until I\nNext I\nProcedure P[A, B$]\n Print A\nEnd Proc[A*2]',
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.program.main.map((s) => s.kind)).toEqual(['For']);
    expect(p.program.procedures[0]).toMatchObject({ name: 'P', params: [{ name: 'A' }, { name: 'B$' }] });
  });

  it('recognises the Input prompt only before a ";" (aoz-facts §4.1)', () => {
    const [a, b] = parsed('Input "Name"; N$\nInput A, B;').program.main as Extract<Stmt, { kind: 'Input' }>[];
    expect(a?.prompt).toMatchObject({ kind: 'String', value: 'Name' });
    expect(b?.prompt).toBeNull();
    expect(b?.targets).toHaveLength(2);
    expect(b?.newline).toBe(false);
  });

  it('reads Goto with a label, a line number or an expression', () => {
    const gotos = parsed('Goto START\nGoto 100\nGoto "ST"+"ART"').program.main as Extract<
      Stmt,
      { kind: 'Goto' }
    >[];
    expect(gotos.map((g) => g.target.kind)).toEqual(['label', 'line', 'computed']);
  });

  it('keeps empty instruction arguments', () => {
    const [s] = parsed('Cls ,').program.main as Extract<Stmt, { kind: 'Instruction' }>[];
    expect(s?.args).toEqual([null, null]);
  });
});

describe('parser: errors', () => {
  it('reports every syntax error of a file, with its line', () => {
    const src = ['Print "ok"', 'A = = 1', 'Print 2', 'For = 3', 'B = (1 + 2', 'Print "end"'].join('\n');
    expect(errors(src)).toEqual([
      { id: 'syntax_error', line: 2 },
      { id: 'syntax_error', line: 4 },
      { id: 'syntax_error', line: 5 },
    ]);
  });

  it('goes on after an error in a statement to the next ":" of the line', () => {
    expect(errors('A = = 1 : B = * 2 : Print 3')).toEqual([
      { id: 'syntax_error', line: 1 },
      { id: 'syntax_error', line: 1 },
    ]);
  });

  it('words errors readably, not as raw token lists', () => {
    const [d] = parsed('A = = 1').diagnostics;
    expect(d?.message).toBe("expected an expression but found '='");
    expect(d?.pos).toEqual({ line: 1, column: 5 });
  });

  it('reports unbalanced blocks with AOZ messages', () => {
    expect(errors('Next')).toEqual([{ id: 'next_without_for', line: 1 }]);
    expect(errors('For I=1 To 2\nPrint I')).toEqual([{ id: 'for_without_next', line: 1 }]);
    expect(errors('If A\nPrint 1')).toEqual([{ id: 'if_without_endif', line: 1 }]);
    expect(errors('Repeat\nWend')).toEqual([
      { id: 'repeat_without_until', line: 1 },
      { id: 'wend_without_while', line: 2 },
    ]);
    expect(errors('Do\nFor I=1 To 2\nLoop')).toEqual([{ id: 'for_without_next', line: 2 }]);
    expect(errors('Procedure P\nPrint 1')).toEqual([{ id: 'procedure_not_closed', line: 1 }]);
    expect(errors('End Proc')).toEqual([{ id: 'procedure_not_opened', line: 1 }]);
    expect(errors('Else')).toEqual([{ id: 'else_without_if', line: 1 }]);
  });
});
