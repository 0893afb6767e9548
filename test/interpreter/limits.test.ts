/** Resource limits end a program with a clear AOZ error, never a crash of the interpreter. */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../helpers/run.js';

describe('resource limits', () => {
  it('stops string doubling with "String too long"', async () => {
    const r = await runProgram('A$ = "x"\nDo\n A$ = A$ + A$\nLoop');
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^Error: String too long: \d+ characters at line 3/);
  });

  it('refuses a Dim beyond the element limit with "Out of memory"', async () => {
    const r = await runProgram('Dim A(1000000000)');
    expect(r.stderr).toMatch(/^Error: Out of memory: Dim A: \d+ elements at line 1/);
  });

  it('stops a program storing megabytes per statement before V8 runs out of heap', async () => {
    const src = 'Dim A$(100000)\nFor I = 0 To 100000 : A$(I) = Lower$(String$("x", 1000000)) : Next';
    const r = await runProgram(src, { maxHeapBytes: 256 * 2 ** 20, timeoutMs: 20_000 });
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^Error: Out of memory: more than 256 MB in use at line 2/);
  });

  it('stops a program that fills the heap with "Out of memory"', async () => {
    const src = 'Dim A(4000000), B(4000000), C(4000000), D(4000000), E(4000000), F(4000000)\nDo : Loop';
    const r = await runProgram(src, { maxHeapBytes: 64 * 2 ** 20, timeoutMs: 20_000 });
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^Error: Out of memory: more than 64 MB in use/);
  });
});

describe('where a stop from outside is reported', () => {
  it('names the loop being run, not the statement before it', async () => {
    const r = await runProgram('A = 1\nB = 2\nDo : Loop', { timeoutMs: 200 });
    expect(r.exit).toBe(124);
    expect(r.stderr).toContain('at line 3, column 1');
  });

  it('names the statement that waits', async () => {
    const r = await runProgram('A = 1\nWait 5\nPrint "never"', { timeoutMs: 200 });
    expect(r.stderr).toContain('at line 2, column 1');
  });
});
