/**
 * The shipped command, run as a user runs it: the esbuild bundle behind bin/aozrun.js
 * (`npm test` builds it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'aozrun.js');
const dir = mkdtempSync(join(tmpdir(), 'aozrun-cli-'));

function program(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function aozrun(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('aozrun command', () => {
  it('prints its version and help', () => {
    expect(aozrun(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = aozrun(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--check', '--map', '--playground', '--timeout', '--strict', '--trace']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('exits 64 on bad usage or a missing file', () => {
    expect(aozrun(['--no-such-flag']).status).toBe(64);
    expect(aozrun(['--timeout', 'soon', 'x.aoz']).status).toBe(64);
    const missing = aozrun([join(dir, 'missing.aoz')]);
    expect(missing.status).toBe(64);
    expect(missing.stderr).toContain('cannot read');
  });

  it('runs a program given with -e, or read from stdin (with -, or when stdin is not a terminal)', () => {
    const e = aozrun(['-e', 'For I = 1 To 3 : Print I; : Next : Print']);
    expect([e.status, e.stdout, e.stderr]).toEqual([0, ' 1 2 3\n', '']);
    const lines = aozrun(['-e', 'A$ = "two"\nPrint "line "; A$']);
    expect(lines.stdout).toBe('line two\n');
    const dash = aozrun(['-'], 'Print "from stdin"\nInput "name"; N$\nPrint "[" + N$ + "]"\n');
    // The program took all of stdin: Input sees the end of input, which ends the run normally.
    expect([dash.status, dash.stdout]).toEqual([0, 'from stdin\nname']);
    expect(dash.stderr).toContain('end of input');
    const piped = aozrun([], 'Print 6 * 7\n');
    expect([piped.status, piped.stdout, piped.stderr]).toEqual([0, ' 42\n', '']);
    // Errors name where the program came from.
    expect(aozrun(['-e', 'Print 1 +']).stderr).toContain('in -e');
    expect(aozrun([], 'Print (\n').stderr).toContain('in <stdin>');
    expect(aozrun(['-e', 'Print 1', 'x.aoz']).status).toBe(64);
  });

  it('needs a program for --check and the like, and a terminal for the interactive session', () => {
    // stdin is a pipe here, so no file means "the program on stdin"; an empty one does nothing.
    expect(aozrun([], '')).toMatchObject({ status: 0, stdout: '' });
    expect(aozrun(['--check', '-e', 'Print 1']).status).toBe(0);
  });

  it('--check reports every syntax error with its line, exit 2, without running', () => {
    const file = program(
      'three-errors.aoz',
      ['Print "should not run"', 'A = = 1', 'For = 2', 'Print "ok"', 'B = (1 + 2', ''].join('\n'),
    );
    const r = aozrun(['--check', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = [...r.stderr.matchAll(/^Error: .* at line (\d+), column \d+ in /gm)].map((m) =>
      Number(m[1]),
    );
    expect(lines).toEqual([2, 3, 5]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // never a JavaScript stack trace
  });

  it('--check passes a correct program (exit 0) and --strict turns artefacts into errors', () => {
    const file = program('artefact.aoz', 'URL $ = "x"\nPrint URL$\n');
    expect(aozrun(['--check', file]).status).toBe(0);
    const strict = aozrun(['--check', '--strict', file]);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('rejected by --strict');
  });

  it('runs a program, exits 1 on a runtime error with a BASIC-level message', () => {
    const ok = aozrun([program('ok.aoz', 'Print "hi";2+2\n')]);
    expect([ok.stdout, ok.status]).toEqual(['hi 4\n', 0]);
    const bad = aozrun([program('bad.aoz', 'Print 1\nPrint Sqr(-1)\n')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^Error: Illegal function call: Sqr at line 2, column 1 in .*bad\.aoz\n {2}Print Sqr\(-1\)\n {2}\^\n$/,
    );
  });

  it('never writes escape sequences into a pipe, even with Pen, Paper and Cls', () => {
    const r = aozrun([program('colours.aoz', 'Cls\nPen 6 : Paper 2 : Print "red on grey"\nPen 1\n')]);
    expect(r.stdout).toBe('red on grey\n');
    expect(r.stdout).not.toContain('\x1b');
  });

  it('dumps tokens and the AST', () => {
    const file = program('dump.aoz', 'Wait Key : Print A$\n');
    const tokens = aozrun(['--dump-tokens', file]).stdout;
    expect(tokens).toContain('BuiltinName "Wait Key"  -> instruction Wait Key');
    const ast = JSON.parse(aozrun(['--dump-ast', file]).stdout);
    expect(ast.main[0]).toMatchObject({ kind: 'Instruction', name: 'Wait Key', pos: '1:1' });
  });

  it('dumps the JavaScript of each section with --dump-js; --jit chooses the tier', () => {
    const file = program(
      'tiers.aoz',
      'For I = 1 To 3 : S = S + I : Next I\nPrint S\nProcedure P\nEnd Proc\n',
    );
    const js = aozrun(['--dump-js', file]);
    expect(js.status).toBe(0);
    expect(js.stdout).toContain('// main');
    expect(js.stdout).toContain('// P');
    expect(() => new Function('H', 'K', 'C', js.stdout.split('\n\n')[0]!)).not.toThrow();
    for (const tier of ['never', 'always', 'auto']) expect(aozrun(['--jit', tier, file]).stdout).toBe(' 6\n');
    const bad = aozrun(['--jit', 'sometimes', file]);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('sometimes');
  });

  it('--dump-screen prints the final window; --max-call-depth bounds recursion', () => {
    const placed = program('placed.aoz', 'Locate 5, 2 : Print "here"\nLocate 0, 0 : Print "top";\n');
    expect(aozrun(['--dump-screen', placed]).stdout).toBe('top\n\n     here\n');
    const deep = program('deep.aoz', 'P\nProcedure P\n P\nEnd Proc\n');
    const r = aozrun(['--max-call-depth', '50', deep]);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([
      1,
      `Error: Out of stack space at line 3, column 2 in ${deep}`,
    ]);
  });

  it('traces statements on stderr with --trace', () => {
    const r = aozrun(['--trace', program('trace.aoz', 'A = 1\nPrint A\n')]);
    expect(r.stderr).toBe('[trace] 1: A = 1\n[trace] 2: Print A\n');
  });

  it('runs the chapter program against the playground started in-process', () => {
    const r = aozrun(['--playground', join(ROOT, 'samples/doc/call-service.aoz')], 'coffee\nx');
    expect(r.stdout).toContain('pSuccess\n200\nOne coffee');
    expect(r.status).toBe(0);
  });

  it('stops at --timeout with exit 124, and on Ctrl-C (SIGINT) with exit 130', async () => {
    const loop = program('loop.aoz', 'Do\nLoop\n');
    const t = aozrun(['--timeout', '0.3', loop]);
    expect(t.status).toBe(124);
    const child = spawn(process.execPath, [BIN, loop], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/^Interrupted \(Ctrl-C\) at line \d/);
  });
});

describe('aozrun serve', () => {
  it('serves the playground until Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (c: string) => {
        out += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    expect(out).toContain('--map http://aoz-studio.online=');
    const res = await fetch(`${url}/tutos/get_post/get.php?request=chocolate`);
    expect(res.status).toBe(200);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});
