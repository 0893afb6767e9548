/** Generated files kept in the repository (docs/reference.md, the editor grammars). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * `path` must hold `generated`; with `update` true it is written first. A difference fails with
 * its first differing line and the command that regenerates the file.
 */
export function expectCommitted(path: string, generated: string, update: boolean, command: string): void {
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, generated);
  }
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // Missing: reported by the comparison below.
  }
  if (committed === generated) return;
  const a = committed.split('\n');
  const b = generated.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  expect.fail(
    `${relative(ROOT, path)} differs from what the tables generate: run \`${command}\`\n` +
      `first difference at line ${i + 1}:\n  committed: ${(a[i] ?? '(end of file)').slice(0, 200)}\n` +
      `  generated: ${(b[i] ?? '(end of file)').slice(0, 200)}`,
  );
}
