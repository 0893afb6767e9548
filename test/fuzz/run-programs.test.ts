/**
 * Robustness of the whole interpreter: generated, syntactically valid programs (assignments, Print,
 * If/For/Repeat/While/Do with Exit, Goto, Gosub, procedures, On Error, Data/Read, the functions and
 * instructions of the tables, runtime errors such as division by zero or out-of-bounds indexes) run
 * with stdin closed and a small time limit. They end normally, with a BASIC error, at the time limit
 * or at the end of input; never with aozrun's "Internal error" (a JavaScript exception inside the
 * interpreter), a JavaScript stack trace, or a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSane,
  expectSaneEnd,
  mutated,
  mutations,
  params,
  program,
  runBounded,
  samplePrograms,
  timeoutFor,
} from './support.js';

/** Both outputs: plain text for pipes, and the terminal's ANSI drawing of the text window. */
const consoleMode = fc.constantFrom('pipe' as const, 'terminal' as const);

describe('generated programs', () => {
  it('are accepted by check() (they are valid AOZ)', { timeout: timeoutFor(1000, 20_000) }, () => {
    fc.assert(
      fc.property(program(), (src) => {
        expect(checkSane(src)).toEqual([]);
      }),
      params(1000, 6),
    );
  });

  it('run to a sane end', { timeout: timeoutFor(1200, 60_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(program(), consoleMode, async (src, mode) => {
        expectSaneEnd(await runBounded(src, mode), src);
      }),
      params(1200, 7),
    );
  });

  it('edited at random, run to a sane end when they still compile', {
    timeout: timeoutFor(500, 60_000),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated, consoleMode, async (src, mode) => {
        if (checkSane(src).length > 0) return;
        expectSaneEnd(await runBounded(src, mode), src);
      }),
      params(500, 8),
    );
  });

  it('the sample programs, edited at random, run to a sane end when they still compile', {
    timeout: timeoutFor(400, 60_000),
  }, async () => {
    expect(samplePrograms.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(mutations(fc.constantFrom(...samplePrograms)), consoleMode, async (src, mode) => {
        if (checkSane(src).length > 0) return;
        expectSaneEnd(await runBounded(src, mode), src);
      }),
      params(400, 12),
    );
  });

  it('give the same result when run again after another program (no state shared between runs)', {
    timeout: timeoutFor(300, 40_000),
  }, async () => {
    // Programs whose result depends on chance or on the clock are left out.
    const deterministic = program().filter(
      (src) => !/\b(Rnd|Randomize|Timer|Inkey\$|Wait)(?![\w$#])/i.test(src),
    );
    await fc.assert(
      fc.asyncProperty(deterministic, program(), async (a, b) => {
        const first = await runBounded(a);
        await runBounded(b);
        const again = await runBounded(a);
        if (first.exit === 124 || again.exit === 124) return;
        expect(again).toEqual(first);
      }),
      params(300, 9),
    );
  });
});
