/**
 * When the second tier compiles (src/interpreter/jit.ts). What compiled code does is checked by the
 * `jit` project of vitest.config.ts (the language suites with every section compiled) and by
 * test/fuzz/jit.test.ts (compiled and interpreted runs compared).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { JitMode } from '../../src/interpreter/jit.js';
import type { CompiledProgram } from '../../src/interpreter/program.js';
import { assemble, check, sessionConsole } from '../../src/session.js';
import { runProgram } from '../helpers/run.js';

async function run(
  source: string,
  jit: JitMode,
  trace?: () => void,
): Promise<{ program: CompiledProgram; out: string }> {
  const program = check(source).program;
  if (!program) throw new Error('does not compile');
  const stdout = new PassThrough();
  let out = '';
  stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const stdin = new PassThrough();
  stdin.end();
  const o = { file: 't.aoz', stdin, stdout, stderr: new PassThrough(), consoleMode: 'pipe' as const, jit };
  const console = sessionConsole(
    o,
    () => assembled.scheduler.wake(),
    () => undefined,
  );
  const assembled = assemble(o, program, console, { trace });
  await assembled.scheduler.run();
  console.close();
  await assembled.net.close();
  return { program, out };
}

const BUSY = `
Procedure TWICE[X]
End Proc[X * 2]
S = 0
For I = 1 To 20000
  S = S + I Mod 7
Next I
For I = 1 To 3 : T = TWICE[I] : Next I
Print S; T
`;

describe('the second tier', () => {
  it('compiles a section once it is busy, and leaves code that runs a little interpreted', async () => {
    const { program, out } = await run(BUSY, 'auto');
    expect(out).toBe(' 59998 6\n');
    expect(program.main.run).toBeTypeOf('function');
    expect(program.procedures.get('twice')!.run).toBeUndefined();
  });

  it('compiles nothing with jit never, everything that runs with jit always', async () => {
    const never = await run(BUSY, 'never');
    expect(never.out).toBe(' 59998 6\n');
    expect(never.program.main.run).toBeUndefined();
    const always = await run(BUSY, 'always');
    expect(always.out).toBe(' 59998 6\n');
    // TWICE has only operations with text: it runs without a frame.
    expect(always.program.procedures.get('twice')!.direct).toBeTypeOf('function');
  });

  it('runs a procedure without a frame only when all it does and calls allows it', async () => {
    const source = `Procedure PURE[X]\n  Y = X * 2\nEnd Proc[Y]\nProcedure TALKS[X]\n  Print X\nEnd Proc\nProcedure CALLS[X]\n  TALKS[X]\nEnd Proc\nFor I = 1 To 2 : A = PURE[I] : CALLS[I] : Next I`;
    const { program, out } = await run(source, 'always');
    expect(out).toBe(' 1\n 2\n');
    const direct = (name: string) => program.procedures.get(name)!.direct;
    expect(direct('pure')).toBeTypeOf('function');
    expect(direct('talks')).toBeNull();
    expect(direct('calls')).toBeNull();
  });

  it('compiles nothing under --trace, which must see every statement', async () => {
    let traced = 0;
    const { program } = await run(BUSY, 'always', () => traced++);
    expect(program.main.run).toBeUndefined();
    let interpreted = 0;
    await run(BUSY, 'never', () => interpreted++);
    expect(traced).toBe(interpreted);
    expect(traced).toBeGreaterThan(40000);
  });

  // Calls between compiled procedures run nested on the JavaScript stack, and go back to the
  // machine's frames when deep, when the slice is over, or when something fails.
  const SAME = {
    'deep recursion':
      'Procedure D[N]\n  If N = 0 Then Pop Proc[0]\n  R = D[N - 1]\nEnd Proc[R + 1]\nPrint D[3000]',
    'out of stack space': 'Procedure D[N]\n  R = D[N + 1]\nEnd Proc[R]\nPrint D[0]',
    'an error deep in a callee': 'Procedure D[N]\n  If N = 0 Then X = 1 / N\n  D[N - 1]\nEnd Proc\nD[100]',
    'On Error in a callee':
      'Procedure E[N]\n  On Error Goto H\n  X = 1 / N : Print "after"\n  Pop Proc[N]\n  H: Print "caught"; N : Resume Next\nEnd Proc\nFor I = 0 To 2 : Print E[I] : Next I',
    'globals changed by a callee':
      'Global G\nProcedure P\n  G = G + 1\nEnd Proc\nFor I = 1 To 20000 : P : Next I\nPrint G; Param',
    'a long loop in a procedure without a frame':
      'Global T\nProcedure L[N]\n  For I = 1 To N : T = T + I : Next I\nEnd Proc[T]\nFor K = 1 To 50 : A = L[1000] : Next K\nPrint A; T',
    'a shared array, out of bounds at last':
      'Dim A(100)\nProcedure FILL[N]\n  Shared A()\n  For I = 0 To N : A(I) = I * I : Next I\nEnd Proc\nFILL[100] : Print A(7); A(100)\nFILL[101]',
    "an array Dim'd while the loop runs":
      'For I = 0 To 3000\n  If I = 1 Then Dim A(10)\n  If I > 0 Then A(I Mod 10) = I\nNext I\nPrint A(5)',
    "an array Dim'd by the error handler":
      'On Error Goto H\nFor I = 1 To 3000 : S = S + A(I Mod 5) + 1 : Next I\nPrint S\nEnd\nH: Dim A(5) : Resume',
    'Param after a call':
      'Procedure S$[A$]\nEnd Proc[A$ + "!"]\nFor I = 1 To 3000 : S$["x"] : Next I\nPrint Param$',
  };
  for (const [name, source] of Object.entries(SAME)) {
    it(`runs the same compiled: ${name}`, async () => {
      const interpreted = await runProgram(source, { jit: 'never' });
      const compiled = await runProgram(source, { jit: 'always' });
      expect(compiled).toEqual(interpreted);
      // Compiled once hot, in the middle of a run.
      expect(await runProgram(source, { jit: 'auto' })).toEqual(interpreted);
      expect(interpreted.stderr).not.toMatch(/internal/i);
    });
  }

  it('is chosen by AOZRUN_JIT when the session does not say', async () => {
    const r = await runProgram('For I = 1 To 3 : Next I : Print I', { env: { AOZRUN_JIT: 'always' } });
    expect(r.stdout).toBe(' 4\n');
  });
});
