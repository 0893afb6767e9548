/**
 * The second tier against the reference (src/interpreter/jit.ts): generated programs, and the
 * sample programs edited at random, print the same output, the same errors at the same positions
 * and end with the same status whether every section is compiled to JavaScript at once
 * (`jit: 'always'`) or only interpreted (`jit: 'never'`). Runs that reach the time limit are not
 * compared: the compiled one gets further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSane, mutations, params, program, runBounded, samplePrograms, timeoutFor } from './support.js';

/** Chance and the clock make two runs differ whatever the tier. */
const deterministic = (src: string) => !/\b(Rnd|Randomize|Timer|Inkey\$|Wait|Every)(?![\w$#])/i.test(src);

async function sameEitherWay(src: string): Promise<void> {
  const interpreted = await runBounded(src, 'pipe', 'never');
  const compiled = await runBounded(src, 'pipe', 'always');
  if (interpreted.exit === 124 || compiled.exit === 124) return;
  expect(compiled).toEqual(interpreted);
}

describe('compiled to JavaScript, programs behave as interpreted', () => {
  it('generated programs', { timeout: timeoutFor(600, 60_000) }, async () => {
    await fc.assert(fc.asyncProperty(program().filter(deterministic), sameEitherWay), params(600, 21));
  });

  it('the sample programs, edited at random', { timeout: timeoutFor(300, 60_000) }, async () => {
    const samples = samplePrograms.filter(deterministic);
    expect(samples.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        mutations(fc.constantFrom(...samples)).filter((src) => checkSane(src).length === 0),
        sameEitherWay,
      ),
      params(300, 22),
    );
  });
});
