/**
 * Servers this project did not write, for interop tests: the café in PHP (php-cli's built-in
 * server) and the relay in Python (`websockets`). Each helper returns null when its program is
 * absent so that tests can skip with a visible notice instead of failing.
 *
 * Programs: `php` on PATH (override with AOZRUN_PHP) and `/usr/bin/python3` with `websockets`
 * importable (override with AOZRUN_PYTHON). Debian packages: php-cli, python3-websockets.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Peer {
  /** Base URL without trailing slash: `http://127.0.0.1:PORT` (café) or `ws://127.0.0.1:PORT` (relay). */
  url: string;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
export const PHP_DOCROOT = join(here, 'peers', 'php');
export const RELAY_SCRIPT = join(here, 'peers', 'relay.py');

export const PHP_PROGRAM = process.env['AOZRUN_PHP'] ?? 'php';
export const PYTHON_PROGRAM = process.env['AOZRUN_PYTHON'] ?? '/usr/bin/python3';

/** The Debian packages that provide the peers (for skip notices). */
export const PHP_PACKAGE = 'php-cli';
export const PYTHON_WEBSOCKETS_PACKAGE = 'python3-websockets';

const START_TIMEOUT_MS = 10_000;

let phpChecked: boolean | undefined;
let pythonChecked: boolean | undefined;

/** True when `php` runs. */
export function hasPhp(): boolean {
  if (phpChecked === undefined) {
    const r = spawnSync(PHP_PROGRAM, ['-r', 'echo "ok";'], { encoding: 'utf8', timeout: 10_000 });
    phpChecked = r.status === 0 && r.stdout === 'ok';
  }
  return phpChecked;
}

/** True when /usr/bin/python3 runs and can import websockets. */
export function hasPythonWebsockets(): boolean {
  if (pythonChecked === undefined) {
    const r = spawnSync(PYTHON_PROGRAM, ['-c', 'import websockets; print("ok")'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    pythonChecked = r.status === 0 && r.stdout.trim() === 'ok';
  }
  return pythonChecked;
}

/** A port that was free a moment ago (the peer then binds it; callers retry on a clash). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Children still running, killed if the test process exits without closing them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Collects a child's stderr (bounded) for error messages. */
function captureStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (text.length < 8000) text += chunk;
  });
  return () => text.trim();
}

/**
 * Starts `php -S 127.0.0.1:PORT -t test/interop/peers/php`; the café is then at
 * `${url}/tutos/get_post/get.php`. Null when php is absent.
 */
export async function startPhpCafe(): Promise<Peer | null> {
  if (!hasPhp()) return null;
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(PHP_PROGRAM, ['-S', `127.0.0.1:${port}`, '-t', PHP_DOCROOT], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '1' },
    });
    track(child);
    const stderr = captureStderr(child);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    child.once('error', () => {
      exited = true;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/tutos/get_post/get.php?request=coffee`, {
          signal: AbortSignal.timeout(1000),
        });
        await res.arrayBuffer();
        if (res.status === 200) return { url, close: () => stop(child) };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    lastError = stderr();
    await stop(child);
  }
  throw new Error(`php -S did not start: ${lastError || 'no answer'}`);
}

/**
 * Starts test/interop/peers/relay.py on a free port; clients connect to `${url}/v3/<channel>`.
 * Null when /usr/bin/python3 or its websockets package is absent.
 */
export async function startPythonRelay(): Promise<Peer | null> {
  if (!hasPythonWebsockets()) return null;
  const child = spawn(PYTHON_PROGRAM, ['-u', RELAY_SCRIPT, '0', '127.0.0.1', '--exit-on-stdin-eof'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  const stderr = captureStderr(child);
  const port = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\d+)$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (port === null) {
    await stop(child);
    throw new Error(`relay.py did not start: ${stderr() || 'no READY line'}`);
  }
  const close = async () => {
    child.stdin?.end();
    await stop(child);
  };
  return { url: `ws://127.0.0.1:${port}`, close };
}
