/**
 * The command users run, bin/aozrun (docs/architecture.md, "Start-up"): a sh launcher that starts
 * node from the start-up snapshot dist/aozrun.blob when the node on the PATH built it, else runs
 * bin/aozrun.js. Whichever it picks, nothing observable may differ: these tests run both and
 * compare stdout, stderr and the exit status (`npm test` builds dist/ first).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'aozrun');
const PLAIN = join(ROOT, 'bin', 'aozrun.js');
const DIST = join(ROOT, 'dist');
const PTY = join(ROOT, 'test', 'cli', 'pty-run.py');
const dir = mkdtempSync(join(tmpdir(), 'aozrun-startup-'));

/** The environment of every run: the test runner's, without NODE_OPTIONS (which disables the blob). */
const ENV: NodeJS.ProcessEnv = { ...process.env };
delete ENV['NODE_OPTIONS'];

/** Why the blob cannot be used here, or undefined when bin/aozrun must use it. */
function blobUnusable(): string | undefined {
  if (!existsSync(join(DIST, 'aozrun.js'))) return 'dist/ is not built: run `npm run build` first';
  const stamp = join(DIST, 'aozrun.blob.node');
  if (!existsSync(join(DIST, 'aozrun.blob')) || !existsSync(stamp)) {
    return 'the start-up snapshot could not be built with this node (see the notice of `npm run build`)';
  }
  const builder = readFileSync(stamp, 'utf8').split('\n')[0]!;
  const which = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8', env: ENV }).stdout.trim();
  if (!which || realpathSync(which) !== realpathSync(builder)) {
    return `the blob was built by ${builder}, the node on the PATH is ${which || 'missing'}`;
  }
  return undefined;
}
const UNUSABLE = blobUnusable();
if (UNUSABLE) process.stderr.write(`test/startup/snapshot.test.ts: snapshot tests skipped: ${UNUSABLE}\n`);

function program(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(command: string[], args: string[], input = '', env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(command[0]!, [...command.slice(1), ...args], {
    input,
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...ENV, ...env },
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const plain = (args: string[], input = '', env: NodeJS.ProcessEnv = {}) =>
  run([process.execPath, PLAIN], args, input, env);
const launched = (args: string[], input = '', env: NodeJS.ProcessEnv = {}) =>
  run([LAUNCHER], args, input, env);

/** Runs both, expects the same outcome, returns it. */
function same(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Run {
  const expected = plain(args, input, env);
  expect(launched(args, input, env)).toEqual(expected);
  return expected;
}

/** What bin/aozrun executes (sh -x shows the exec line). */
function chosen(launcher: string, env: NodeJS.ProcessEnv = {}): 'blob' | 'plain' {
  const r = spawnSync('sh', ['-x', launcher, '--version'], { encoding: 'utf8', env: { ...ENV, ...env } });
  expect(r.status).toBe(0);
  return /exec \S*node --snapshot-blob /.test(r.stderr) ? 'blob' : 'plain';
}

describe.skipIf(UNUSABLE !== undefined)(
  `bin/aozrun, started from the snapshot${UNUSABLE ? ` (skipped: ${UNUSABLE})` : ''}`,
  () => {
    it('uses the blob built by this node, also through npm’s bin symlink (npx aozrun)', () => {
      expect(chosen(LAUNCHER)).toBe('blob');
      const modules = join(dir, 'project', 'node_modules');
      mkdirSync(join(modules, '.bin'), { recursive: true });
      symlinkSync(ROOT, join(modules, 'aozrun'));
      symlinkSync('../aozrun/bin/aozrun', join(modules, '.bin', 'aozrun'));
      const linked = join(modules, '.bin', 'aozrun');
      expect(chosen(linked)).toBe('blob');
      const hello = join(ROOT, 'samples/basics/hello.aoz');
      const viaPath = run(['aozrun'], [hello], '', {
        PATH: `${join(modules, '.bin')}${delimiter}${ENV['PATH']}`,
      });
      expect(viaPath).toEqual(plain([hello]));
    });

    it('runs files, -e CODE, programs on stdin, and keeps exit statuses', () => {
      expect(same(['samples/basics/hello.aoz']).stdout).toContain('Hello from aozrun!');
      expect(same(['-e', 'Print "a"\nPrint 1 / 0']).status).toBe(1);
      expect(same(['-e', 'Print (']).status).toBe(2);
      expect(same(['-e', 'Print -1; "--x"']).stdout).toBe('-1--x\n');
      expect(same(['--color', 'never', '-e', 'Print 1', '--']).status).toBe(0);
      expect(same(['--', '-not-an-option.aoz']).status).toBe(64);
      expect(same(['-'], 'Print "from stdin"\nInput N$\n').stderr).toContain('end of input');
      expect(same([], 'Print 6 * 7\n').stdout).toBe(' 42\n');
      // Where a stop from outside lands in the loop depends on timing: only the status is compared.
      const timeout = ['--timeout', '0.3', '-e', 'Do : Loop'];
      expect([launched(timeout).status, plain(timeout).status]).toEqual([124, 124]);
      const bad = program('bad.aoz', 'Print 1\nA = = 2\nPrint Sqr(-1)\n');
      expect(same(['--check', bad]).status).toBe(2);
      expect(same(['--dump-tokens', '--dump-ast', program('ok.aoz', 'Print "x"\n')]).status).toBe(0);
    });

    it('prints the same version, help, reference entries and usage errors', () => {
      expect(same(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      expect(same(['-V']).status).toBe(0);
      expect(same(['--help']).stdout).toContain('--playground');
      expect(same(['serve', '--help']).status).toBe(0);
      expect(same(['--doc', 'Left$']).status).toBe(0);
      expect(same(['--doc', 'Lefty$']).status).toBe(64);
      expect(same(['--no-such-flag']).status).toBe(64);
      expect(same(['--timeout', 'soon', 'x.aoz']).status).toBe(64);
    });

    it('reads the environment when it runs, not when the blob was built (proxy variables)', () => {
      const file = program(
        'proxy.aoz',
        'Procedure KO[S$, R$] : Print S$; " "; R$ : End Proc\n' +
          'Call Service "get", "http://aoz-studio.example/x", "", "KO", "KO", "", 1\n',
      );
      const r = same([file], '', { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9' });
      expect(r.stdout).toContain('proxy 127.0.0.1:9');
    });

    it('loads undici for Call Service (the chapter program, against the playground)', () => {
      const r = same(['--playground', 'samples/doc/call-service.aoz'], 'coffee\nxtea\nx');
      expect(r.stdout).toContain('pSuccess\n200\nOne coffee');
      expect(r.stdout).toContain('Error!\n404\n');
    });

    it('loads ws for WebSocket channels (against the playground relay)', () => {
      const file = program(
        'ws.aoz',
        [
          'WebSocket Open 1, "wss://demo.websocket.me/v3/channel_1?api_key=k&notify_self"',
          'Repeat : Refresh : Until WebSocket Is Connected(1)',
          'Print "connected"',
          'WebSocket Send Message 1, "HELLO"',
          'Repeat : Refresh : Until WebSocket Is Message(1)',
          'Print "got "; WebSocket Message$(1)',
          'WebSocket Close 1',
          '',
        ].join('\n'),
      );
      expect(same(['--playground', '--timeout', '10', file]).stdout).toBe('connected\ngot HELLO\n');
    });

    it('behaves the same on SIGINT (exit 130) and SIGTERM (killed), as node is the process', async () => {
      const loop = program('loop.aoz', 'Print "ready"\nDo\nLoop\n');
      const signalled = async (command: string[], signal: NodeJS.Signals) => {
        const child: ChildProcess = spawn(command[0]!, [...command.slice(1), loop], { cwd: ROOT, env: ENV });
        let out = '';
        let err = '';
        child.stderr!.setEncoding('utf8').on('data', (c: string) => {
          err += c;
        });
        await new Promise<void>((resolve) =>
          child.stdout!.setEncoding('utf8').on('data', (c: string) => {
            out += c;
            if (out.includes('ready')) resolve();
          }),
        );
        child.kill(signal);
        const [status, sig] = await new Promise<[number | null, string | null]>((resolve) =>
          child.on('exit', (c, s) => resolve([c, s])),
        );
        // Where Ctrl-C lands in the loop depends on timing.
        return { out, err: err.replace(/at line \d+, column \d+/, 'at line L, column C'), status, sig };
      };
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const expected = await signalled([process.execPath, PLAIN], signal);
        expect(await signalled([LAUNCHER], signal)).toEqual(expected);
      }
      expect((await signalled([LAUNCHER], 'SIGINT')).status).toBe(130);
    });

    it('serves the playground until Ctrl-C (aozrun serve)', async () => {
      const child = spawn(LAUNCHER, ['serve', '--port', '0'], { cwd: ROOT, env: ENV });
      let out = '';
      const url = await new Promise<string>((resolve) =>
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        }),
      );
      expect((await fetch(`${url}/tutos/get_post/get.php?request=chocolate`)).status).toBe(200);
      child.kill('SIGINT');
      expect(await new Promise((resolve) => child.on('exit', (c) => resolve(c)))).toBe(0);
    });

    const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

    /** A run in a pseudo-terminal (stdin and stdout are terminals): what the terminal shows. */
    function inTerminal(command: string[], args: string[], env: NodeJS.ProcessEnv, keys = '') {
      const r = spawnSync('python3', [PTY, ...(keys ? ['--keys', keys] : []), '--', ...command, ...args], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...ENV, ...env },
        timeout: 30_000,
      });
      return { out: r.stdout, status: r.status };
    }

    it.skipIf(!python)('draws the same in a terminal, honouring NO_COLOR when it runs', () => {
      const file = program('pen.aoz', 'Pen 6 : Print "red"\nPen 1 : Print "plain"\n');
      for (const noColor of ['', '1']) {
        const env = { COLORTERM: 'truecolor', NO_COLOR: noColor };
        const expected = inTerminal([process.execPath, PLAIN], [file], env);
        expect(inTerminal([LAUNCHER], [file], env)).toEqual(expected);
        expect(expected.out.includes('\x1b[38;2;255;0;0mred')).toBe(noColor === '');
      }
    });

    it.skipIf(!python)('opens the same interactive session, its history where AOZRUN_HISTORY says', () => {
      const session = (command: string[], name: string) => {
        const history = join(dir, name);
        const r = spawnSync('python3', [PTY, '--lines', 'Print 6 * 7\nQuit', '--', ...command], {
          encoding: 'utf8',
          cwd: ROOT,
          env: { ...ENV, AOZRUN_HISTORY: history },
          timeout: 30_000,
        });
        return { out: r.stdout, status: r.status, history: readFileSync(history, 'utf8') };
      };
      const expected = session([process.execPath, PLAIN], 'plain.history');
      expect(expected.out).toContain(' 42');
      expect(expected.status).toBe(0);
      expect(session([LAUNCHER], 'launched.history')).toEqual(expected);
    });
  },
);

describe('bin/aozrun without a usable blob', () => {
  /** A copy of the package whose dist/ links to the real one, with `stamp` as the blob's stamp. */
  function copy(name: string, stamp: string | undefined, blob = true): string {
    const root = join(dir, name);
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    copyFileSync(LAUNCHER, join(root, 'bin', 'aozrun'));
    copyFileSync(PLAIN, join(root, 'bin', 'aozrun.js'));
    for (const f of ['aozrun.js', 'chunks', ...(blob ? ['aozrun.blob', 'net'] : [])]) {
      if (existsSync(join(DIST, f))) symlinkSync(join(DIST, f), join(root, 'dist', f));
    }
    if (stamp !== undefined) writeFileSync(join(root, 'dist', 'aozrun.blob.node'), stamp);
    return join(root, 'bin', 'aozrun');
  }

  it.skipIf(!existsSync(join(DIST, 'aozrun.js')))(
    'runs bin/aozrun.js when the blob is missing, was built by another node, or NODE_OPTIONS is set',
    () => {
      const hello = join(ROOT, 'samples/basics/hello.aoz');
      const expected = plain([hello]);
      const launchers = [
        copy('other-node', '/bin/sh\nv0.0.0\n'),
        copy('no-blob', undefined, false),
        copy('no-stamp', undefined),
      ];
      for (const launcher of launchers) {
        expect(chosen(launcher)).toBe('plain');
        expect(run([launcher], [hello])).toEqual(expected);
      }
      const options = { NODE_OPTIONS: '--max-old-space-size=512' };
      expect(chosen(LAUNCHER, options)).toBe('plain');
      expect(run([LAUNCHER], [hello], '', options)).toEqual(expected);
    },
  );

  it('says the command is not built yet when dist/ is missing', () => {
    const root = join(dir, 'unbuilt');
    mkdirSync(join(root, 'bin'), { recursive: true });
    copyFileSync(LAUNCHER, join(root, 'bin', 'aozrun'));
    copyFileSync(PLAIN, join(root, 'bin', 'aozrun.js'));
    const r = run([join(root, 'bin', 'aozrun')], ['x.aoz']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the command is not built yet');
  });
});
