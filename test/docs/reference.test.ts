/**
 * The reference is generated from the instruction tables and src/docs/statements.ts (DESIGN §3):
 * docs/reference.md must be what they generate today.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtSyntax,
  closeMatches,
  docText,
  lookupDoc,
  referenceSections,
  renderEntryMarkdown,
  renderEntryText,
  renderReference,
} from '../../src/docs/reference.js';
import type { ParamSpec } from '../../src/interpreter/runtime-api.js';
import { KEYWORDS } from '../../src/lexer/tokens.js';
import { normaliseName } from '../../src/lexer/vocabulary.js';
import { families } from '../../src/runtime/index.js';
import { expectCommitted } from '../helpers/generated.js';

const REFERENCE = join(import.meta.dirname, '..', '..', 'docs', 'reference.md');
const sections = referenceSections();
const entries = sections.flatMap((s) => s.entries);

describe('docs/reference.md', () => {
  it('is what the tables generate (run `npm run docs:update` after changing a table)', () => {
    expectCommitted(
      REFERENCE,
      renderReference(sections),
      !!process.env['DOCS_UPDATE'],
      'npm run docs:update',
    );
  });

  it('has one section per family, in the order of `families`, after the statements', () => {
    const titles = sections.map((s) => s.title);
    expect(titles.slice(titles.length - families.length)).toEqual(families.map((f) => f.title));
    expect(titles[0]).toMatch(/^Statements/);
    expect(titles).toContain('Operators');
    const md = renderReference(sections);
    for (const s of sections) expect(md).toContain(`](#${s.anchor})`);
  });
});

describe('the entries', () => {
  it('every entry has a one-line meaning and a syntax', () => {
    for (const e of entries) {
      expect(e.doc.trim(), `${e.kind} ${e.name}`).not.toBe('');
      expect(e.doc, `${e.kind} ${e.name}: one line`).not.toMatch(/\n/);
      expect(e.syntax.filter((s) => s.trim() !== '').length, `${e.kind} ${e.name}`).toBeGreaterThan(0);
    }
  });

  it('no two entries of the same kind share a name', () => {
    const seen = new Map<string, string>();
    for (const e of entries) {
      for (const name of [e.name, ...e.aliases]) {
        const key = `${e.kind}:${normaliseName(name)}`;
        expect(seen.get(key), `two ${e.kind}s called ${name}`).toBeUndefined();
        seen.set(key, e.section);
      }
    }
  });

  it('anchors are unique', () => {
    const anchors = [...sections.map((s) => s.anchor), ...entries.map((e) => e.anchor)];
    expect(new Set(anchors).size).toBe(anchors.length);
  });

  it('covers the structural statements', () => {
    for (const name of [
      'Print',
      'Print Using',
      'Input',
      'Line Input',
      'If',
      'Then',
      'Else',
      'Else If',
      'End If',
      'For',
      'Next',
      'Repeat',
      'Until',
      'While',
      'Wend',
      'Do',
      'Loop',
      'Exit',
      'Exit If',
      'Goto',
      'Gosub',
      'Return',
      'Pop',
      'On Goto',
      'On Gosub',
      'On Proc',
      'Procedure',
      'End Proc',
      'Pop Proc',
      'Proc',
      'Param',
      'Global',
      'Shared',
      'Dim',
      'Data',
      'Read',
      'Restore',
      'Def Fn',
      'Fn',
      'End',
      'Stop',
      'Every',
      'On Error',
      'Resume',
      'Errn',
      'Err$',
      'Error',
      'Trap',
      'ErrTrap',
      'Break On',
      'Break Off',
      'Rem',
    ]) {
      expect(lookupDoc(name, sections).length, name).toBeGreaterThan(0);
    }
  });

  it('documents every keyword of the lexer (add new ones to src/docs/statements.ts)', () => {
    const missing = [...KEYWORDS.keys()].filter((k) => lookupDoc(k, sections).length === 0);
    expect(missing).toEqual([]);
  });

  it('the Markdown entry and the --doc text show the same fields', () => {
    for (const e of entries) {
      const md = renderEntryMarkdown(e);
      const text = renderEntryText(e);
      for (const s of e.syntax) {
        expect(md).toContain(s);
        expect(text).toContain(s);
      }
      expect(md).toContain(e.doc);
      expect(text).toContain(e.doc);
      for (const p of e.params) {
        expect(md).toContain(`\`${p.name}\``);
        expect(text).toContain(`${p.name} (`);
      }
      if (e.aozDoc) {
        const url = text.match(/^AOZ documentation: (\S+)$/m)?.[1];
        expect(url, e.name).toBeDefined();
        expect(md).toContain(`](${url})`);
      }
    }
  });
});

describe('syntax built from the parameters', () => {
  const p = (name: string, optional = false): ParamSpec => ({
    name,
    type: 'number',
    ...(optional ? { optional } : {}),
  });
  it('writes instructions with their arguments and functions with = and brackets', () => {
    expect(builtSyntax({ name: 'Locate', kind: 'instruction', params: [p('x'), p('y')] })).toBe(
      'Locate x, y',
    );
    expect(builtSyntax({ name: 'Left$', kind: 'function', params: [p('s$'), p('n')] })).toBe('=Left$(s$, n)');
    expect(builtSyntax({ name: 'Wait Key', kind: 'instruction', params: [] })).toBe('Wait Key');
    expect(builtSyntax({ name: 'Inkey$', kind: 'function', params: [] })).toBe('=Inkey$');
  });
  it('puts optional parameters in brackets, nested when they trail', () => {
    expect(builtSyntax({ name: 'Cls', kind: 'instruction', params: [p('colour', true)] })).toBe(
      'Cls [colour]',
    );
    expect(builtSyntax({ name: 'Mid$', kind: 'function', params: [p('s$'), p('start'), p('n', true)] })).toBe(
      '=Mid$(s$, start [, n])',
    );
    expect(
      builtSyntax({ name: 'X', kind: 'instruction', params: [p('a'), p('b', true), p('c', true)] }),
    ).toBe('X a [, b [, c]]');
    expect(builtSyntax({ name: 'Y', kind: 'instruction', params: [p('a', true), p('b')] })).toBe('Y [a], b');
  });
});

describe('links to the AOZ documentation', () => {
  const one = (name: string, kind: string) => lookupDoc(name, sections).find((e) => e.kind === kind);
  it('follow AOZ file naming (lower case, spaces as _), with the exceptions of src/docs/links.ts', () => {
    expect(docText('Left$', sections)).toContain(
      'https://github.com/fransooi/AOZ-Studio/blob/main/AOZ_Studio/app/aoz/languages/v1_0/strings/doc/default/left%24.aozdoc',
    );
    expect(one('Wait Key', 'instruction')?.aozDoc).toBe(
      'languages/v1_0/keyboard_and_mouse/doc/default/wait_key.aozdoc',
    );
    expect(one('Pen', 'instruction')?.aozDoc).toBe('languages/v1_0/textwindows/doc/default/pen.aozdoc');
    expect(one('Pen', 'function')?.aozDoc).toBe('languages/v1_0/textwindows/doc/default/_pen.aozdoc');
    expect(one('Call Service', 'instruction')?.aozDoc).toBe('extensions/net/doc/default/call_service.aozdoc');
    expect(one('WebSocket Message$', 'function')?.aozDoc).toBe(
      'extensions/websocket/doc/default/websocket_message$.aozdoc',
    );
    expect(one('On Error', 'statement')?.aozDoc).toBe(
      'languages/v1_0/structure/doc/default/on_error_goto.aozdoc',
    );
    expect(one('End If', 'statement')?.aozDoc).toBeNull();
    expect(docText('End If', sections)).not.toContain('AOZ documentation');
  });
});

describe('looking an entry up (aozrun --doc)', () => {
  it('ignores case, extra spaces, a leading = and trailing brackets', () => {
    const left = docText('Left$', sections);
    expect(left).toBeDefined();
    for (const q of ['left$', 'LEFT$', ' =Left$() ']) expect(docText(q, sections)).toBe(left);
    expect(docText('wait   KEY', sections)).toBe(docText('Wait Key', sections));
  });
  it('shows both the instruction and the function of a shared name', () => {
    expect(lookupDoc('pen', sections).map((e) => e.kind)).toEqual(['instruction', 'function']);
  });
  it('finds statements and their other spellings', () => {
    expect(lookupDoc('else if', sections)[0]?.name).toBe('Else If');
    expect(lookupDoc('on gosub', sections)[0]?.name).toBe('On');
    expect(lookupDoc('Resume Next', sections)[0]?.name).toBe('Resume');
  });
  it('suggests close names for an unknown one', () => {
    expect(docText('Lefft$', sections)).toBeUndefined();
    expect(closeMatches('Lefft$', sections)).toContain('Left$');
    expect(closeMatches('wait kye', sections)).toContain('Wait Key');
    expect(closeMatches('websocket', sections).length).toBeGreaterThan(0);
    expect(closeMatches('zzzzzzzzzz', sections)).toEqual([]);
  });
});
