/**
 * Checks the links of the reference against a copy of the AOZ-Studio repository (src/docs/links.ts):
 * every computed page exists, and every "no page" exception really has none. Skipped unless
 * AOZ_STUDIO names a checkout or a bare git directory of github.com/fransooi/AOZ-Studio:
 *   AOZ_STUDIO=/path/to/AOZ-Studio npm run docs:links
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AOZ_DOC_EXCEPTIONS, aozDocFileName, exceptionKey } from '../../src/docs/links.js';
import { referenceSections } from '../../src/docs/reference.js';

const source = process.env['AOZ_STUDIO'];
const PREFIX = 'AOZ_Studio/app/aoz/';

/** Every .aozdoc path of the repository, relative to AOZ_Studio/app/aoz/. */
function aozDocs(path: string): Set<string> {
  let files: string[];
  if (existsSync(join(path, PREFIX))) {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? walk(join(dir, d.name)) : [relative(path, join(dir, d.name))],
      );
    files = walk(join(path, PREFIX));
  } else {
    files = execFileSync('git', ['--git-dir', path, 'ls-tree', '-r', '--name-only', 'HEAD', PREFIX], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).split('\n');
  }
  return new Set(files.filter((f) => f.endsWith('.aozdoc')).map((f) => f.slice(PREFIX.length)));
}

describe.skipIf(!source)('links to the AOZ documentation, checked against AOZ-Studio', () => {
  const docs = source ? aozDocs(source) : new Set<string>();
  const entries = referenceSections().flatMap((s) => s.entries);

  it('every computed page exists', () => {
    const missing: string[] = [];
    for (const e of entries) {
      if (e.aozDoc && !docs.has(e.aozDoc)) {
        const file = aozDocFileName(e.name);
        const elsewhere = [...docs].filter((d) => d.endsWith(`/${file}`));
        missing.push(
          `${e.kind} ${e.name}: ${e.aozDoc} does not exist` +
            (elsewhere.length > 0
              ? ` (same name in: ${elsewhere.join(', ')})`
              : ' (add it to AOZ_DOC_EXCEPTIONS as null)'),
        );
      }
    }
    expect(missing).toEqual([]);
  });

  it('an entry without a page has none under its name in the language folders', () => {
    const found: string[] = [];
    for (const e of entries) {
      if (e.aozDoc !== null) continue;
      const file = `/${aozDocFileName(e.name)}`;
      const pages = [...docs].filter((d) => d.startsWith('languages/') && d.endsWith(file));
      if (pages.length > 0) {
        const where = AOZ_DOC_EXCEPTIONS.has(exceptionKey(e.kind, e.name))
          ? 'AOZ_DOC_EXCEPTIONS'
          : 'statements.ts';
        found.push(`${e.kind} ${e.name} (${where}): ${pages.join(', ')}`);
      }
    }
    expect(found).toEqual([]);
  });
});
