/** The VS Code extension in editors/vscode: its manifest names the generated grammar. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTmLanguage } from '../../src/editor/tmlanguage.js';

const EXTENSION = join(import.meta.dirname, '..', '..', 'editors', 'vscode');

interface Manifest {
  readonly name: string;
  readonly publisher: string;
  readonly version: string;
  readonly engines: { readonly vscode: string };
  readonly files: readonly string[];
  readonly contributes: {
    readonly languages: readonly {
      readonly id: string;
      readonly extensions: readonly string[];
      readonly configuration: string;
    }[];
    readonly grammars: readonly {
      readonly language: string;
      readonly scopeName: string;
      readonly path: string;
    }[];
  };
}

const manifest = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8')) as Manifest;

describe('editors/vscode', () => {
  it('is a language extension for .aoz files', () => {
    expect(manifest.publisher).toBeTruthy();
    expect(manifest.engines.vscode).toMatch(/^\^1\./);
    const [language] = manifest.contributes.languages;
    expect(language?.id).toBe('aoz');
    expect(language?.extensions).toEqual(['.aoz']);
  });

  it('contributes the generated grammar and a language configuration that exist', () => {
    const grammar = buildTmLanguage();
    const [contributed] = manifest.contributes.grammars;
    expect(contributed?.language).toBe('aoz');
    expect(contributed?.scopeName).toBe(grammar['scopeName']);
    const grammarPath = join(EXTENSION, contributed!.path);
    expect(existsSync(grammarPath)).toBe(true);
    expect(JSON.parse(readFileSync(grammarPath, 'utf8'))['scopeName']).toBe('source.aoz');
    const configPath = join(EXTENSION, manifest.contributes.languages[0]!.configuration);
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(config.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
    expect(config.brackets).toEqual([
      ['(', ')'],
      ['[', ']'],
    ]);
    // What a packaged extension (vsce) includes.
    for (const f of manifest.files) expect(existsSync(join(EXTENSION, f)), f).toBe(true);
    expect(manifest.files).toContain(contributed!.path.replace(/^\.\//, ''));
  });

  it('has a word pattern that keeps the $ and # suffixes with the name', () => {
    const config = JSON.parse(readFileSync(join(EXTENSION, 'language-configuration.json'), 'utf8'));
    const word = new RegExp(config.wordPattern, 'g');
    expect('A$ = Left$(B#, $FF)'.match(word)).toEqual(['A$', 'Left$', 'B#', '$FF']);
  });
});
