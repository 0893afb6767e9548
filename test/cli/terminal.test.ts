/** In a real terminal (a pseudo-terminal here), Pen colours show as ANSI colour sequences. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'aozrun.js');
const PTY = join(import.meta.dirname, 'pty-run.py');
const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

function inTerminal(source: string, env: Record<string, string>, keys = '') {
  const dir = mkdtempSync(join(tmpdir(), 'aozrun-tty-'));
  const file = join(dir, 'p.aoz');
  writeFileSync(file, source);
  const args = [PTY, ...(keys ? ['--keys', keys] : []), '--', process.execPath, BIN, file];
  const r = spawnSync('python3', args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { out: r.stdout, status: r.status };
}

describe.skipIf(!python)('terminal mode', () => {
  it('shows Pen colours in 24-bit colour and resets them at the end', () => {
    const r = inTerminal('Pen 6 : Print "red"\nPen 1 : Print "plain"\n', {
      COLORTERM: 'truecolor',
      NO_COLOR: '',
    });
    expect(r.status).toBe(0);
    expect(r.out).toContain('\x1b[38;2;255;0;0mred');
    expect(r.out).toContain('plain');
  });

  it('honours NO_COLOR', () => {
    const r = inTerminal('Pen 6 : Print "red"\n', { COLORTERM: 'truecolor', NO_COLOR: '1' });
    expect(r.out).toContain('red');
    expect(r.out).not.toContain('\x1b[38;');
  });

  it('reads keys in raw mode: Wait Key returns on one key, without Return', () => {
    const r = inTerminal('Print "press"\nWait Key\nPrint "got it"\n', {}, 'x');
    expect(r.status).toBe(0);
    expect(r.out).toContain('got it');
  });
});
