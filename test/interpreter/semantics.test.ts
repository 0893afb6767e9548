/** AOZ semantics the foundation relies on (aoz-facts.md sections in the test names). */
import { describe, expect, it } from 'vitest';
import { outputOf, runProgram } from '../helpers/run.js';

describe('Print and numbers (§3)', () => {
  it('formats numbers like Str$: a leading space for values >= 0, shortest float text', async () => {
    expect(await outputOf('Print 1/3\nPrint -5\nPrint 0\nPrint 7/2\nPrint 2.0\nPrint 0.1+0.2')).toBe(
      ' 0.3333333333333333\n-5\n 0\n 3.5\n 2\n 0.30000000000000004\n',
    );
  });

  it('joins items with ";", tabs to the next multiple of 4 with ",", and keeps the line open', async () => {
    expect(await outputOf('Print "a";"b"\nPrint 1,2\nPrint "x";\nPrint "y"\nPrint\nPrint "ABCD","E"')).toBe(
      'ab\n 1   2\nxy\n\nABCD    E\n',
    );
  });

  it('truncates toward zero when storing into integer variables (§2.2)', async () => {
    expect(await outputOf('A=3.7 : Print A\nA=-3.7 : Print A\nB#=3.7 : Print B#\nC=7/2 : Print C')).toBe(
      ' 3\n-3\n 3.7\n 3\n',
    );
  });

  it('makes And/Or bitwise on numbers and logical in conditions (§2.9)', async () => {
    expect(
      await outputOf('Print 6 And 3\nIf 1 And 2 Then Print "yes"\nPrint (1<2) And (2<3)\nPrint Not 0'),
    ).toBe(' 2\nyes\n 1\n 1\n');
  });

  it('concatenates and subtracts strings (§2.10)', async () => {
    expect(await outputOf('A$="hello world" : Print A$-"o" : Print "a"+"b"')).toBe('hell wrld\nab\n');
  });
});

describe('control flow (§6)', () => {
  it('runs a For body at least once and leaves the variable one step past (§6.3)', async () => {
    expect(
      await outputOf('For I=1 To 3 : Print I; : Next I : Print : Print I\nFor J=5 To 1 : Print J : Next'),
    ).toBe(' 1 2 3\n 4\n 5\n');
  });

  it('follows negative and computed steps', async () => {
    expect(
      await outputOf('For I=3 To 1 Step -1 : Print I; : Next\nS=2 : For K=1 To 6 Step S : Print K; : Next'),
    ).toBe(' 3 2 1 1 3 5');
  });

  it('runs Repeat/Until, While/Wend, Do/Loop with Exit and Exit If', async () => {
    const src = [
      'N=0 : Repeat : Inc N : Until N=3 : Print N',
      'While N>0 : N=N-1 : Wend : Print N',
      'Do : N=N+1 : If N=4 Then Exit',
      'Loop : Print N',
      'For I=1 To 10 : For J=1 To 10 : Exit If J=2, 2 : Next : Next : Print I; J',
    ].join('\n');
    const r = await runProgram(src.replace('Inc N', 'N=N+1'));
    expect(r.stdout).toBe(' 3\n 0\n 4\n 1 2\n');
  });

  it('runs block If / Else If / Else, including "If cond : statement" (§6.2)', async () => {
    const src =
      'For I=1 To 3\nIf I=1 : Print "one"\nElse If I=2\nPrint "two"\nElse\nPrint "other"\nEnd If\nNext';
    expect(await outputOf(src)).toBe('one\ntwo\nother\n');
  });

  it('jumps to labels, line numbers and computed labels, case-insensitively', async () => {
    const src =
      'Goto SKIP\nPrint "no"\nskip: Gosub 100\nGoto "The" + "End"\n100 Print "sub" : Return\nTHEEND:\nPrint "end"';
    expect(await outputOf(src)).toBe('sub\nend\n');
  });
});

describe('procedures (§5)', () => {
  it('returns values, recurses, and resets locals at each call', async () => {
    const src = [
      'Print FIB[10]',
      'P : P',
      'Procedure FIB[N]',
      '  If N<2 Then R=N Else R=FIB[N-1]+FIB[N-2]',
      'End Proc[R]',
      'Procedure P',
      '  C=C+1 : Print C',
      'End Proc',
    ].join('\n');
    expect(await outputOf(src)).toBe(' 55\n 1\n 1\n');
  });

  it('sees the main program only through Shared and Global', async () => {
    const src = [
      'A=1 : B=2 : Global B',
      'SHOW',
      'Procedure SHOW',
      '  Shared A',
      '  Print A; B; C',
      'End Proc',
    ].join('\n');
    expect(await outputOf(src)).toBe(' 1 2 0\n');
  });

  it('takes the result type from the name suffix', async () => {
    expect(await outputOf('Print "1 + 2 = "; ADD$[1, 2]\nProcedure ADD$[A, B]\nEnd Proc[Str$(A+B)]')).toBe(
      '1 + 2 =  3\n',
    );
  });
});

describe('arrays (§7.3)', () => {
  it('Dims 0..n inclusive and checks bounds', async () => {
    expect(
      await outputOf('Dim A(3), N$(1,1)\nFor I=0 To 3 : A(I)=I*I : Next\nN$(1,1)="x"\nPrint A(3); N$(1,1)'),
    ).toBe(' 9x\n');
    const r = await runProgram('Dim A(3)\nA(4)=1');
    expect(r.exit).toBe(1);
    expect(r.stderr).toContain('Array index number 1 (value: 4) out of bounds (maximum:3) at line 2');
  });
});

describe('Input (§4.1)', () => {
  it('prints the prompt as written, "? " without one, and echoes what it read in pipes', async () => {
    expect(await outputOf('Input "Name:"; N$ : Print "Hi "; N$\nInput A : Print A*2', 'Bob\n21\n')).toBe(
      'Name:Bob\nHi Bob\n? 21\n 42\n',
    );
  });

  it('splits on commas, asks "?? " for the rest, and redoes a bad number', async () => {
    expect(await outputOf('Input A, B$ : Print A; B$', '1\nx\n')).toBe('? 1\n?? x\n 1x\n');
    expect(await outputOf('Input A : Print A', 'abc\n7\n')).toBe('? abc\nPlease redo from start 7\n 7\n');
  });
});

describe('errors and limits', () => {
  it('prints an uncaught runtime error with its line, the source and a caret, exit 1', async () => {
    const r = await runProgram('Print 1\nX = 1/0\nPrint 2');
    expect(r.stdout).toBe(' 1\n');
    expect(r.stderr).toBe(
      'Error: Illegal function call: division by zero at line 2, column 1 in test.aoz\n  X = 1/0\n  ^\n',
    );
    expect(r.exit).toBe(1);
  });

  it('stops runaway recursion with "Out of stack space", never a JavaScript stack overflow', async () => {
    const r = await runProgram('P\nProcedure P\n  P\nEnd Proc', { maxCallDepth: 500 });
    expect(r.stderr).toMatch(/^Error: Out of stack space at line 3/);
    expect(r.exit).toBe(1);
  });

  it('reports compile errors before running, exit 2', async () => {
    const r = await runProgram('Print "never"\nA$ = 1\nNOSUCH');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error: Type mismatch at line 2');
    expect(r.stderr).toContain('Error: Unknown instruction or procedure: NOSUCH at line 3');
    expect(r.exit).toBe(2);
  });

  it('ends an endless loop at --timeout with exit 124', async () => {
    const r = await runProgram('Do : Loop', { timeoutMs: 200 });
    expect(r.exit).toBe(124);
    expect(r.stderr).toMatch(/time limit/);
  });
});

describe('keyboard in pipes (DESIGN §6)', () => {
  it('reads Wait Key and Inkey$ keys from stdin, Return as Chr$(13)', async () => {
    expect(await outputOf('Wait Key : Print "k"\nA$=Inkey$ : Print Asc(A$)', 'x\n')).toBe('k\n 13\n');
  });

  it('ends the run normally with a notice when stdin ends while waiting', async () => {
    const r = await runProgram('Print "before"\nWait Key\nPrint "never"', { input: '' });
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toBe(
      'Notice: end of input while the program waited for Wait Key at line 2, column 1 in test.aoz\n',
    );
    expect(r.exit).toBe(0);
  });

  it('ends an Inkey$ polling loop after stdin ended and a grace period', async () => {
    const r = await runProgram('Do\nA$=Inkey$ : If A$<>"" Then Print A$;\nLoop', {
      input: 'ab',
      eofGraceMs: 100,
    });
    expect(r.stdout).toBe('ab');
    expect(r.stderr).toMatch(/^Notice: end of input while the program waited for Inkey\$/);
    expect(r.exit).toBe(0);
  });
});
