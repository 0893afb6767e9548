/**
 * The parser is built with Chevrotain's grammar validations off (they cost ~35 ms of every
 * start-up): this test runs them, so a grammar change that breaks them fails here instead.
 */
import { describe, expect, it } from 'vitest';
import { LineParser } from '../../src/parser/grammar.js';

describe('the grammar', () => {
  it('passes Chevrotain’s validations (no ambiguity, left recursion or duplicate rule)', () => {
    // With validations on, performSelfAnalysis throws on a definition error, listing them all.
    let parser: LineParser | undefined;
    expect(() => {
      parser = new LineParser({ validate: true });
    }).not.toThrow();
    // Not in Chevrotain's types, but where it keeps what the validations found.
    const found = (parser as unknown as { definitionErrors: { message: string }[] }).definitionErrors;
    expect(found.map((e) => e.message)).toEqual([]);
  });

  it('skips them by default, yet records the same grammar', () => {
    const quick = new LineParser();
    const checked = new LineParser({ validate: true });
    expect(quick.getSerializedGastProductions()).toEqual(checked.getSerializedGastProductions());
  });
});
