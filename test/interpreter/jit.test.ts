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
    expect(always.program.procedures.get('twice')!.run).toBeTypeOf('function');
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

  it('is chosen by AOZRUN_JIT when the session does not say', async () => {
    const r = await runProgram('For I = 1 To 3 : Next I : Print I', { env: { AOZRUN_JIT: 'always' } });
    expect(r.stdout).toBe(' 4\n');
  });
});
