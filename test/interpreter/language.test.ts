/** The structural language beyond the foundation (aoz-facts §3.7, §5, §6, §7.1–7.2, §7.6). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/session.js';
import { outputOf, runProgram } from '../helpers/run.js';

async function failure(src: string): Promise<{ stdout: string; stderr: string; exit: number }> {
  const r = await runProgram(src);
  expect(r.exit).not.toBe(0);
  return r;
}

describe('Print Using (§3.7)', () => {
  it('pokes numbers and strings into their fields', async () => {
    expect(await outputOf('Print Using "(###)";65\nPrint Using "###.##";3.14159')).toBe('( 65)\n  3.14\n');
    expect(await outputOf('Print Using "~~~~~ costs ##.## euros";"Tea",2.5')).toBe(
      'Tea   costs  2.50 euros\n',
    );
    // Without + or - in the format, a negative number shows no sign (AOZ's formatUsing).
    expect(await outputOf('Print Using "+##";7\nPrint Using "-##";-7\nPrint Using "##";-7')).toBe(
      '+ 7\n- 7\n 7\n',
    );
  });

  it('keeps the line open after ";" and tabs after ","', async () => {
    expect(await outputOf('Print Using "##";5;\nPrint "|"\nPrint Using "#";1,\nPrint "|"')).toBe(
      ' 5|\n1   |\n',
    );
  });

  it('appends values beyond the last field, and needs a string format', async () => {
    expect(await outputOf('Print Using "#";1,2,"x"')).toBe('12x\n');
    expect((await failure('Print Using 12;3')).stderr).toMatch(/^Error: Type mismatch at line 1/);
  });
});

describe('procedures (§5)', () => {
  it('calls with Proc NAME, Proc NAME[args] and Proc "name" (case-insensitive)', async () => {
    const src =
      'Proc HI\nProc GREET["Ada"]\nN$ = "hi" : Proc N$\nProcedure HI\n Print "hi"\nEnd Proc\nProcedure GREET[W$]\n Print "hello "; W$\nEnd Proc';
    expect(await outputOf(src)).toBe('hi\nhello Ada\nhi\n');
    expect((await failure('Proc "NOPE"')).stderr).toMatch(/^Error: Procedure not found: NOPE/);
  });

  it('gives the last result in Param and Param$, reset by each call (§5.3)', async () => {
    const src = [
      'TWICE[21] : Print Param',
      'NAME$ : Print Param$',
      'NOTHING : Print Param; "/"; Param$; "/"',
      'Procedure TWICE[N] : End Proc[N * 2]',
      'Procedure NAME$ : End Proc["Ada"]',
      'Procedure NOTHING : End Proc',
    ].join('\n');
    expect(await outputOf(src)).toBe(' 42\nAda\n 0//\n');
  });

  it('leaves a procedure early with Pop Proc', async () => {
    expect(
      await outputOf('Print FIRST[5]\nProcedure FIRST[N]\n If N > 3 Then Pop Proc[100]\nEnd Proc[N]'),
    ).toBe(' 100\n');
  });

  it('makes a name global from inside a procedure too, as AOZ does', async () => {
    const src =
      'SETUP\nLEVEL = 3\nSHOW\nProcedure SETUP\n Global LEVEL\nEnd Proc\nProcedure SHOW\n Print LEVEL\nEnd Proc';
    expect(await outputOf(src)).toBe(' 3\n');
  });

  it('shares main-program variables matching Global "pattern" wildcards', async () => {
    const src =
      'Global "SC*", "X?"\nSCORE = 10 : SCALE# = 1.5 : XY = 3 : XYZ = 4\nSHOW\nProcedure SHOW\n Print SCORE; SCALE#; XY; XYZ\nEnd Proc';
    expect(await outputOf(src)).toBe(' 10 1.5 3 0\n');
  });
});

describe('On ... Goto/Gosub/Proc (§6.7)', () => {
  it('is 0-based in AOZ mode and falls through when out of range', async () => {
    const src = [
      'For N = 0 To 2',
      ' On N Gosub ZERO, ONE',
      ' On N Proc PZERO, PONE',
      'Next N',
      'On 1 Goto SKIP',
      'On 0 Goto SKIP',
      'Print "not skipped"',
      'SKIP: Print "end"',
      'End',
      'ZERO: Print "zero"; : Return',
      'ONE: Print "one"; : Return',
      'Procedure PZERO : Print " p0" : End Proc',
      'Procedure PONE : Print " p1" : End Proc',
    ].join('\n');
    expect(await outputOf(src)).toBe('zero p0\none p1\nend\n');
  });

  it('needs an integer selector (compile-time Type mismatch)', async () => {
    const r = await failure('On 1.5 Goto A\nA: Print 1');
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/Type mismatch/);
  });
});

describe('error handling (§6.10)', () => {
  it('On Error Goto a label; Resume Next, Errn and Err$', async () => {
    const src = [
      'On Error Goto HANDLER',
      'Print "a"',
      'X = 1 / 0',
      'Print "b"; Errn',
      'End',
      'HANDLER: Print "caught "; Errn; " "; Err$',
      'Resume Next',
    ].join('\n');
    expect(await outputOf(src)).toBe('a\ncaught  23 Illegal function call: division by zero\nb 23\n');
  });

  it('Resume retries the failing statement, Resume LABEL goes elsewhere', async () => {
    const retry = 'On Error Goto REPAIR\nD = 0\nPrint 10 / D\nEnd\nREPAIR: D = 5 : Resume';
    expect(await outputOf(retry)).toBe(' 2\n');
    const label =
      'On Error Goto REPAIR\nError 20\nPrint "skipped"\nAFTER: Print "after"\nEnd\nREPAIR: Resume AFTER';
    expect(await outputOf(label)).toBe('after\n');
  });

  it('On Error Proc: the procedure must Resume', async () => {
    const src =
      'On Error Proc REPAIR\nD = 0\nPrint 8 / D\nProcedure REPAIR\n Shared D\n D = 2\n Resume\nEnd Proc';
    expect(await outputOf(src)).toBe(' 4\n');
    const noResume = await failure('On Error Proc REPAIR\nError 20\nProcedure REPAIR\nEnd Proc');
    expect(noResume.stderr).toMatch(/^Error: Error procedure must resume to end/);
  });

  it('an error while handling one, or an error in a procedure, is not caught (AOZ: per section)', async () => {
    expect((await failure('On Error Goto H\nError 20\nEnd\nH: Error 33')).stderr).toMatch(
      /^Error: Out of data/,
    );
    const inProc = await failure(
      'On Error Goto H\nBAD\nEnd\nH: Print "caught" : Resume Next\nProcedure BAD\n Error 20\nEnd Proc',
    );
    expect(inProc.stderr).toMatch(/^Error: Division by zero at line 6/);
  });

  it('Resume without an error, On Error Goto 0 switches the trap off', async () => {
    expect((await failure('Resume')).stderr).toMatch(/^Error: Resume without error/);
    expect((await failure('On Error Goto H\nOn Error Goto 0\nError 20\nH: Resume Next')).stderr).toMatch(
      /^Error: Division by zero/,
    );
  });

  it('Trap swallows an error of the statement it prefixes; ErrTrap tells which', async () => {
    expect(await outputOf('Trap X = 1 / 0\nPrint ErrTrap\nTrap X = 1\nPrint ErrTrap\nPrint Err$(33)')).toBe(
      ' 23\n 0\nOut of data\n',
    );
  });

  it('Error n raises error number n', async () => {
    expect((await failure('Error 33')).stderr).toMatch(/^Error: Out of data at line 1/);
  });

  it('Direct and Edit end the program, as End does (aoz-facts §6.8)', async () => {
    expect(await outputOf('Print 1\nDirect\nPrint 2')).toBe(' 1\n');
    expect(await outputOf('Print 1 : Edit : Print 2')).toBe(' 1\n');
  });

  it('Stop ends the program with "Program interrupted", whatever On Error says', async () => {
    const r = await failure('On Error Goto H\nPrint 1\nStop\nPrint 2\nH: Resume Next');
    expect(r.stdout).toBe(' 1\n');
    expect(r.stderr).toMatch(/^Error: Program interrupted at line 3/);
  });
});

describe('Every (§6.9)', () => {
  it('calls a procedure every n seconds, switched off after each call until Every On', async () => {
    const src = [
      'Every 1 Proc TICK',
      'Repeat : Wait 0.02 : Until N = 2',
      'Every Off',
      'Print "done"',
      'Procedure TICK',
      ' Shared N',
      ' N = N + 1 : Print "tick"; N',
      ' If N < 2 Then Every On',
      'End Proc',
    ].join('\n');
    const r = await runProgram(src, { timeoutMs: 10_000 });
    expect(r.stdout).toBe('tick 1\ntick 2\ndone\n');
  });

  it('calls a Gosub routine on the variables of the section that set it up', async () => {
    const src =
      'Every 1 Gosub TOCK\nRepeat : Wait 0.02 : Until T = 1\nPrint "t"; T\nEnd\nTOCK: T = T + 1 : Return';
    expect(await outputOf(src)).toBe('t 1\n');
  });

  it('allows one definition at a time, needs an integer interval > 0', async () => {
    expect((await failure('Every 5 Proc P\nEvery 5 Proc P\nProcedure P : End Proc')).stderr).toMatch(
      /Every already defined/,
    );
    expect((await failure('Every 0.5 Proc P\nProcedure P : End Proc')).stderr).toMatch(/Type mismatch/);
    expect((await failure('Every 0 Proc P\nProcedure P : End Proc')).stderr).toMatch(/Illegal function call/);
  });
});

describe('Data, Read, Restore (§7.1–7.2)', () => {
  it('reads items in source order, evaluated at Read time, per procedure', async () => {
    const src = [
      'B = 5',
      'Read A, N$, C',
      'Print A; N$; C',
      'LIST',
      'Restore MORE',
      'Read A : Print A',
      'Data 1, "one", B * 2',
      'MORE: Data 99 : Print "after data"',
      'Procedure LIST',
      ' Read X$ : Print X$',
      ' Data "procedure data"',
      'End Proc',
    ].join('\n');
    expect(await outputOf(src)).toBe(' 1one 10\nprocedure data\n 99\nafter data\n');
  });

  it('reports Out of data, type mismatches and truncates into integers', async () => {
    expect((await failure('Read A\nRead B\nData 1')).stderr).toMatch(/^Error: Out of data at line 2/);
    expect((await failure('Read A\nData "x"')).stderr).toMatch(/^Error: Type mismatch/);
    expect(await outputOf('Read A : Print A\nData 2.9')).toBe(' 2\n');
  });
});

describe('Def Fn (§7.6, ordinary semantics)', () => {
  it('passes values, not text: Fn D(1+1) with D(A)=A*2 is 4', async () => {
    expect(
      await outputOf(
        'Def Fn D(A) = A * 2\nPrint Fn D(1 + 1)\nDef Fn J$(X$, N) = X$ + Str$(N)\nPrint Fn J$("n:", 3)',
      ),
    ).toBe(' 4\nn: 3\n');
  });

  it('checks the name and the number of arguments', async () => {
    expect((await failure('Print Fn NOPE(1)')).stderr).toMatch(/User function not defined/);
    expect((await failure('Def Fn F(A) = A\nPrint Fn F(1, 2)')).stderr).toMatch(/Illegal user function call/);
  });
});

describe('Break Off and On Break Proc', () => {
  async function interrupted(src: string): Promise<{ out: string; exit: number }> {
    const stdout = new PassThrough();
    let text = '';
    stdout.setEncoding('utf8').on('data', (c: string) => {
      text += c;
    });
    const session = new Session({
      file: 't.aoz',
      source: src,
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      consoleMode: 'pipe',
      timeoutMs: 5000,
    });
    const run = session.run();
    setTimeout(() => session.interrupt(), 100);
    const exit = await run;
    return { out: text, exit };
  }

  it('Ctrl-C stops the program unless Break Off', async () => {
    expect((await interrupted('Do : Wait 0.01 : Loop')).exit).toBe(130);
    const off = await interrupted('Break Off\nFor I = 1 To 30 : Wait 0.01 : Next\nPrint "finished"');
    expect(off).toEqual({ out: 'finished\n', exit: 0 });
  });

  it('On Break Proc calls a procedure instead', async () => {
    const src =
      'On Break Proc BROKEN\nRepeat : Wait 0.01 : Until B\nPrint "out"\nProcedure BROKEN\n Shared B\n B = 1 : Print "broken"\nEnd Proc';
    expect(await interrupted(src)).toEqual({ out: 'broken\nout\n', exit: 0 });
  });
});
