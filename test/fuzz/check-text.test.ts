/**
 * Robustness of the front end (lexer, parser, compiler): whatever the text, `check()` reports
 * diagnostics and never throws a JavaScript exception.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkSane, mutated, params, timeoutFor } from './support.js';

describe('check() on arbitrary text never throws', () => {
  it('random bytes, read as Latin-1 and as UTF-8', { timeout: timeoutFor(3000, 10_000) }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, size: 'max' }), (bytes) => {
        checkSane(Buffer.from(bytes).toString('latin1'));
        checkSane(Buffer.from(bytes).toString('utf8'));
      }),
      params(3000, 1),
    );
  });

  it('random Unicode text, lone surrogates included', { timeout: timeoutFor(2000, 10_000) }, () => {
    const utf16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200, size: 'max' }),
          fc.string({ unit: utf16, maxLength: 200, size: 'max' }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 300, size: 'max' }),
        ),
        (text) => {
          checkSane(text);
        },
      ),
      params(2000, 2),
    );
  });

  it('deep nesting and very long statements (no stack overflow)', { timeout: timeoutFor(40, 30_000) }, () => {
    const shapes: ((n: number) => string)[] = [
      (n) => `A=${'('.repeat(n)}1${')'.repeat(n)}`,
      (n) => `A=${'-'.repeat(n)}1`,
      (n) => `A=${'Not '.repeat(n)}1`,
      (n) => `A=${'Abs('.repeat(n)}1${')'.repeat(n)}`,
      (n) => `A=1${'^1'.repeat(n)}`,
      (n) => `A=1${'+1'.repeat(n)}`,
      (n) => `Print ${'"a";'.repeat(n)}"b"`,
      (n) => `${'If 1\n'.repeat(n)}Print 1\n${'End If\n'.repeat(n)}`,
      (n) => `${'Do\n'.repeat(n)}Exit ${n}\n${'Loop\n'.repeat(n)}`,
      (n) => `${'A=A+1:'.repeat(n)}Print A`,
      (n) => `Data ${Array(n).fill('1').join(',')}`,
      (n) => `${'P['.repeat(n)}${']'.repeat(n)}\nProcedure P[X]\nEnd Proc`,
      (n) => `Print "${'x'.repeat(n * 50)}`,
      (n) => `/*${'*/'.repeat(n)}`,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shapes.length - 1 }),
        fc.integer({ min: 1, max: 3000 }),
        (k, n) => {
          checkSane(shapes[k]!(n));
        },
      ),
      params(40, 10),
    );
  });

  it('valid programs with random edits', { timeout: timeoutFor(1500, 20_000) }, () => {
    fc.assert(
      fc.property(mutated, (src) => {
        checkSane(src);
      }),
      params(1500, 3),
    );
  });
});
