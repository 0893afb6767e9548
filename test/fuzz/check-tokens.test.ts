/**
 * Robustness of the front end on sequences of real tokens: keywords, instruction and function names
 * of the tables, identifiers, literals, operators, `:` and newlines. `check()` reports diagnostics and
 * never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinSpellings,
  checkSane,
  expectSaneEnd,
  identifierSpellings,
  keywordSpellings,
  literalSpellings,
  operatorSpellings,
  params,
  runBounded,
  timeoutFor,
} from './support.js';

/** Any casing of a name: AOZ looks names up case-insensitively. */
function cased(spelling: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    spelling,
    spelling.toUpperCase(),
    spelling.replace(/\b\w/g, (c) => c.toUpperCase()),
  );
}

const token = fc.oneof(
  { arbitrary: fc.constantFrom(...keywordSpellings).chain(cased), weight: 4 },
  { arbitrary: fc.constantFrom(...builtinSpellings).chain(cased), weight: 4 },
  { arbitrary: fc.constantFrom(...identifierSpellings), weight: 3 },
  { arbitrary: fc.constantFrom(...literalSpellings), weight: 3 },
  { arbitrary: fc.constantFrom(...operatorSpellings), weight: 4 },
  { arbitrary: fc.constantFrom(':', '\n', '\n', '\r\n'), weight: 2 },
);

const separator = fc.constantFrom(' ', ' ', '', '  ', '\t');

const tokens = fc
  .array(fc.tuple(token, separator), { maxLength: 60 })
  .map((ts) => ts.map(([t, s]) => t + s).join(''));

describe('check() on sequences of real tokens never throws', () => {
  it('has a vocabulary from the lexer and the tables', () => {
    expect(keywordSpellings).toContain('else if');
    expect(builtinSpellings).toContain('wait key');
  });

  it('random token sequences', { timeout: timeoutFor(4000, 20_000) }, () => {
    fc.assert(
      fc.property(tokens, (src) => {
        checkSane(src);
      }),
      params(4000, 4),
    );
  });

  it('random lines of tokens, starting with a statement keyword or name', {
    timeout: timeoutFor(2000, 20_000),
  }, () => {
    const line = fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...keywordSpellings),
          fc.constantFrom(...builtinSpellings),
          fc.constant('A ='),
        ),
        fc.array(fc.tuple(token, separator), { maxLength: 8 }),
      )
      .map(([head, rest]) => `${head} ${rest.map(([t, s]) => t + s).join('')}`.replace(/\n/g, ' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12, size: 'max' }), (lines) => {
        checkSane(lines.join('\n'));
      }),
      params(2000, 5),
    );
  });

  it('random token sequences that compile run to a sane end', {
    timeout: timeoutFor(3000, 40_000),
  }, async () => {
    // No network instruction: a random URL must not reach the resolver.
    const offline = tokens.filter((src) => !/websocket|call service/i.test(src));
    await fc.assert(
      fc.asyncProperty(offline, async (src) => {
        if (checkSane(src).length > 0) return;
        expectSaneEnd(await runBounded(src), src);
      }),
      params(3000, 11),
    );
  });
});
