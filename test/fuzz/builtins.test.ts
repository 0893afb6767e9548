/**
 * Every instruction and function of the tables (DESIGN §3), called with extreme arguments: NaN,
 * infinities, huge and negative numbers, empty, long and non-ASCII strings. Each call ends with a
 * value or a BASIC error, never aozrun's "Internal error". New table entries are covered as soon as
 * they are added.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuiltinEntry, ParamSpec } from '../../src/interpreter/runtime-api.js';
import { builtins } from '../../src/session.js';
import { checkSane, expectSaneEnd, params, runBounded, timeoutFor } from './support.js';

/** No waiting (it would only meet the time limit) and no network (no request may leave the test). */
const entries = builtins().entries.filter((e) => !e.waits && !/^(websocket|call service)/i.test(e.name));

// biome-ignore format: a compact list
const numbers = fc.constantFrom(
  '0', '-1', '1', '0.5', '-0.5', '255', '256', '65536', '2147483647', '-2147483648', '3000000000',
  '100000000', '-100000000', '(1/0)', '(-1/0)', '(0/0)', '-0', '$FFFFFFFF', '%1', '1.7976931348623157',
);
// biome-ignore format: a compact list
const strings = fc.constantFrom(
  '""', '"a"', '"abc"', '"é€😀"', '" "', 'Space$(1000)', '"1e400"', '"-"', '"$FF"', '"%101"', 'Chr$(0)',
  'Chr$(27) + "PE5" + Chr$(13)', '"a,b;c"', '"\\\\"', 'Chr$(10) + Chr$(13)',
);

function argument(p: ParamSpec): fc.Arbitrary<string> {
  switch (p.type) {
    case 'number':
      return numbers;
    case 'string':
      return strings;
    case 'any':
      return fc.oneof(numbers, strings);
    case 'variable':
      return fc.constant(p.name.endsWith('$') ? 'S$' : p.name.endsWith('#') ? 'X#' : 'A');
    case 'array':
      return fc.constant(p.name.endsWith('$') ? 'W$()' : 'N()');
  }
}

/** A call of the entry with its required arguments and some of its optional ones. */
function call(e: BuiltinEntry): fc.Arbitrary<string> {
  const required = e.params.filter((p) => !p.optional).length;
  return fc
    .tuple(fc.tuple(...e.params.map(argument)), fc.integer({ min: required, max: e.params.length }))
    .map(([args, n]) => {
      const list = args.slice(0, Math.max(n, required)).join(', ');
      if (e.kind === 'function') return `Print ${e.name}${list ? `(${list})` : ''}`;
      return list ? `${e.name} ${list}` : e.name;
    });
}

const program = fc
  .constantFrom(...entries)
  .chain(call)
  .map((line) => `Dim N(5), W$(3)\nS$ = "text" : A = 3 : X# = 2.5\n${line}\nPrint "after"\n`);

describe('the instruction tables', () => {
  it('has entries to call', () => {
    expect(entries.length).toBeGreaterThan(20);
  });

  it('every entry, called with extreme arguments, ends with a value or a BASIC error', {
    timeout: timeoutFor(5000, 30_000),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(program, fc.constantFrom('pipe' as const, 'terminal' as const), async (src, mode) => {
        // A call the compiler rejects (an assignment-only form, a type it refuses) is fine, as
        // long as it is rejected with diagnostics.
        if (checkSane(src).length > 0) return;
        expectSaneEnd(await runBounded(src, mode), src);
      }),
      params(5000, 13),
    );
  });
});
