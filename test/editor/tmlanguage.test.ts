/**
 * The TextMate grammar is generated from the keyword table, src/docs/statements.ts and the
 * instruction tables: editors/vscode/syntaxes/aoz.tmLanguage.json and editors/sublime/AOZ.tmLanguage
 * must be what they generate today.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/editor/json-text.js';
import {
  buildTmLanguage,
  escapeRegex,
  grammarNames,
  renderSublimeTmLanguage,
  renderTmLanguage,
  SCOPE,
} from '../../src/editor/tmlanguage.js';
import { KEYWORDS } from '../../src/lexer/tokens.js';
import { normaliseName } from '../../src/lexer/vocabulary.js';
import { families } from '../../src/runtime/index.js';
import { expectCommitted } from '../helpers/generated.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** EDITOR_UPDATE=1 writes the grammars before comparing them. */
const UPDATE = !!process.env['EDITOR_UPDATE'];
const GRAMMAR = join(ROOT, 'editors', 'vscode', 'syntaxes', 'aoz.tmLanguage.json');
const SUBLIME_GRAMMAR = join(ROOT, 'editors', 'sublime', 'AOZ.tmLanguage');

describe('the generated grammars', () => {
  it('editors/vscode/syntaxes/aoz.tmLanguage.json is what the tables generate (`npm run editor:update`)', () => {
    expectCommitted(GRAMMAR, renderTmLanguage(), UPDATE, 'npm run editor:update');
  });

  it('editors/sublime/AOZ.tmLanguage is what the tables generate (`npm run editor:update`)', () => {
    expectCommitted(SUBLIME_GRAMMAR, renderSublimeTmLanguage(), UPDATE, 'npm run editor:update');
  });

  it('is a TextMate grammar for .aoz files', () => {
    const g = buildTmLanguage();
    expect(g['scopeName']).toBe('source.aoz');
    expect(g['fileTypes']).toEqual(['aoz']);
    expect(JSON.parse(renderTmLanguage())).toEqual(g);
  });

  it('names every keyword but Rem and every entry of the instruction tables', () => {
    const keys = new Set(grammarNames().map((n) => n.key));
    for (const k of KEYWORDS.keys()) if (k !== 'rem') expect(keys.has(k), k).toBe(true);
    for (const f of families)
      for (const e of f.entries) expect(keys.has(normaliseName(e.name)), e.name).toBe(true);
  });

  it('takes the scope of a keyword from the statements table', () => {
    const scope = (key: string) => grammarNames().find((n) => n.key === key)?.scope;
    expect(scope('end if')).toBe(SCOPE.control);
    expect(scope('repeat')).toBe(SCOPE.control);
    expect(scope('on error')).toBe(SCOPE.control);
    expect(scope('mod')).toBe(SCOPE.wordOperator);
    expect(scope('procedure')).toBe(SCOPE.procedure);
    expect(scope('errn')).toBe(SCOPE.function);
    expect(scope('print')).toBe(SCOPE.instruction);
    expect(scope('wait key')).toBe(SCOPE.instruction);
    expect(scope('inkey$')).toBe(SCOPE.function);
    expect(scope('pen')).toBe(SCOPE.function);
  });

  it('escapes the characters that mean something in a regex', () => {
    expect(escapeRegex('Param#')).toBe('Param\\#');
    expect(escapeRegex('Inkey$')).toBe('Inkey\\$');
    expect(escapeRegex('a.b*(c)')).toBe('a\\.b\\*\\(c\\)');
  });
});

describe('JSON laid out like Biome', () => {
  it('keeps short arrays of plain values on one line and breaks long ones', () => {
    expect(jsonText({ a: ['x', 'y'], b: { c: 1 }, d: [], e: {} })).toBe(
      '{\n  "a": ["x", "y"],\n  "b": {\n    "c": 1\n  },\n  "d": [],\n  "e": {}\n}\n',
    );
    const long = Array.from({ length: 12 }, (_, i) => `item number ${i}`);
    expect(jsonText({ a: long }).split('\n')).toHaveLength(long.length + 5);
  });

  it('is what Biome would write', () => {
    const biome = join(ROOT, 'node_modules', '.bin', 'biome');
    const text = renderTmLanguage();
    const formatted = execFileSync(biome, ['format', `--stdin-file-path=${GRAMMAR}`], {
      cwd: ROOT,
      input: text,
      encoding: 'utf8',
    });
    expect(formatted).toBe(text);
  });
});
