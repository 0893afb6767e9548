/**
 * Runs a BASIC program in a child process, through a small Session runner bundled from the
 * sources with esbuild (once per test file). For the cases an in-process run cannot cover: a CA the
 * process trusts (Node 20 reads NODE_EXTRA_CA_CERTS at start-up only), and programs that might
 * take the whole process down (a V8 out-of-memory abort would kill the test worker).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let bundled: Promise<{ dir: string; script: string }> | undefined;

function bundleRunner(): Promise<{ dir: string; script: string }> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'aozrun-child-'));
    const script = join(dir, 'runner.mjs');
    await build({
      stdin: {
        contents: [
          "import { readFileSync } from 'node:fs';",
          "import { Session } from './src/session.ts';",
          'const [file, optionsJson] = process.argv.slice(2);',
          'const options = JSON.parse(optionsJson);',
          'const session = new Session({',
          "  file: 'test.aoz', source: readFileSync(file, 'utf8'), stdin: process.stdin,",
          "  stdout: process.stdout, stderr: process.stderr, consoleMode: 'pipe', ...options,",
          '});',
          'process.exitCode = await session.run();',
        ].join('\n'),
        resolveDir: join(import.meta.dirname, '..', '..', '..'),
        loader: 'ts',
        sourcefile: 'runner.ts',
      },
      outfile: script,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['bufferutil', 'utf-8-validate'],
      banner: {
        js: "import { createRequire as __aozCreateRequire } from 'node:module'; const require = __aozCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    return { dir, script };
  })();
  return bundled;
}

/** Removes the bundle (call once, after the file's tests). */
export async function removeChildRunner(): Promise<void> {
  if (!bundled) return;
  const { dir } = await bundled;
  bundled = undefined;
  rmSync(dir, { recursive: true, force: true });
}

export interface ChildRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
}

/**
 * Runs a program in a child process. `options` are Session options that JSON can carry (net
 * limits, timeoutMs, maxHeapBytes...); `env` the child's environment (plus PATH); `nodeArgs` go
 * before the script (--max-old-space-size=...).
 */
export async function runInChild(
  source: string,
  options: Record<string, unknown>,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildRun> {
  const { dir, script } = await bundleRunner();
  const file = join(dir, `program-${Date.now()}-${Math.random().toString(36).slice(2)}.aoz`);
  writeFileSync(file, source);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, script, file, JSON.stringify({ timeoutMs: 10_000, ...options })],
      {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (exit, signal) =>
      resolve({ stdout, stderr, exit, signal, ms: performance.now() - t0 }),
    );
  });
}
