/** `aozrun --doc NAME` through the built command (`npm run build` first, as npm test does). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docText } from '../../src/docs/reference.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'aozrun.js');

function aozrun(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 30_000,
    input: '',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('aozrun --doc', () => {
  it('prints the reference entry of a function, whatever the case', () => {
    const r = aozrun(['--doc', 'Left$']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(docText('Left$'));
    expect(r.stdout).toMatch(/^Left\$ \(function\) - Strings\n {4}=Left\$\(s\$, n\)\n/m);
    expect(r.stdout).toContain('AOZ documentation: https://github.com/fransooi/AOZ-Studio/blob/main/');
    expect(aozrun(['--doc', 'left$']).stdout).toBe(r.stdout);
  });

  it('prints instructions (multi-word names) and statements', () => {
    const wait = aozrun(['--doc', 'wait key']);
    expect([wait.status, wait.stdout]).toEqual([0, docText('Wait Key')]);
    const elseIf = aozrun(['--doc', 'ELSE IF']);
    expect(elseIf.status).toBe(0);
    expect(elseIf.stdout).toMatch(/^Else If \(statement\)/);
    expect(aozrun(['--doc', 'Pen']).stdout).toMatch(/^Pen \(instruction\)[\s\S]*\n\nPen \(function\)/);
  });

  it('exits 64 on an unknown name and suggests close ones', () => {
    const r = aozrun(['--doc', 'Lefft$']);
    expect(r.status).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no instruction, function or statement called "Lefft$"');
    expect(r.stderr).toMatch(/Did you mean: .*Left\$/);
    expect(aozrun(['--doc', 'Qwertyuiop']).status).toBe(64);
  });

  it('is listed in --help', () => {
    expect(aozrun(['--help']).stdout).toContain('--doc <name>');
  });
});
