// One timed run of a command: wall time from spawn to exit, measured here, and the peak resident
// set size from GNU time (`/usr/bin/time -f %M`, written to a file so it never mixes with the
// program's own output), when it is installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);
const scratch = mkdtempSync(join(tmpdir(), 'aozrun-bench-rss-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/**
 * Runs argv (stdin empty) and resolves to { ms, rssKB, stdout, stderr, code, signal, timedOut }.
 * A run longer than timeoutMs is killed with its whole process group.
 */
export function runOnce(argv, { env = process.env, cwd, timeoutMs = 600_000 } = {}) {
  const rssFile = join(scratch, `${++counter}.rss`);
  const full = hasGnuTime ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  return new Promise((resolve) => {
    const out = [];
    const err = [];
    const start = performance.now();
    const child = spawn(full[0], full.slice(1), {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      let rssKB;
      try {
        // GNU time writes "Command exited with non-zero status N" before the value then.
        rssKB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        rmSync(rssFile, { force: true });
      } catch {}
      resolve({
        ms,
        rssKB: Number.isFinite(rssKB) ? rssKB : undefined,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
        timedOut,
      });
    });
  });
}

export const median = (xs) => {
  const s = xs.filter((x) => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const geomean = (xs) =>
  xs.length === 0 ? undefined : Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** The p-th percentile (0..100) of xs, nearest rank. */
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
