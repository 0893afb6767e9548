/**
 * Runs the built CLI in real terminals: detached tmux sessions of a known size, on a tmux server
 * of their own (a socket in a temporary directory, no configuration file), so the tests see what
 * a user sees (`capture-pane`), type keys (`send-keys`) and check the terminal state a program
 * leaves behind.
 *
 * Each run is a small sh script in its own pane:
 *
 *   [print a line, as a shell would have]
 *   node bin/aozrun.js [ARGS] p.aoz      (its pid written to a file, for the signal tests)
 *   echo "__EXIT=<status>__"
 *   stty -a, reduced to the flags raw mode turns off: "icanon echo isig icrnl" when restored
 *   printf 'READY> '; read line; echo "__GOT[<line>]__"
 *
 * so once the program ended, a line typed at READY> shows whether the terminal echoes it and
 * gives it back on Return (it does neither in raw mode). The script traps SIGINT (a Ctrl-C
 * typed while the program runs reaches the whole foreground process group) and ends by
 * sleeping, so the pane stays until the server is killed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, it } from 'vitest';

const execFileP = promisify(execFile);

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'aozrun.js');

/** tmux can be run here (the suite is skipped, with a notice, when it cannot). */
export const HAVE_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

export const NO_TMUX_NOTICE =
  'tmux is not installed: the terminal tests (test/terminal) did not run. Install it (Debian: apt-get install tmux; .ci/run does).';

/** The CLI bundle exists (npm test builds it first). */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'aozrun.js'))) {
    throw new Error('dist/aozrun.js is missing: run `npm run build` before the terminal tests');
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One cell's attributes as capture-pane -e reports them; colours as "default", "5:N", "2:R,G,B" or "N" (basic SGR). */
export interface Attrs {
  fg: string;
  bg: string;
  bold: boolean;
  dim: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface Cell extends Attrs {
  ch: string;
}

/** A cell's attributes when nothing is set (SGR 0). */
export const PLAIN: Readonly<Attrs> = {
  fg: 'default',
  bg: 'default',
  bold: false,
  dim: false,
  underline: false,
  inverse: false,
};

/** Applies one SGR sequence's parameters to `a`. */
function applySgr(a: Attrs, params: string): void {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
  for (let i = 0; i < p.length; i++) {
    const n = p[i]!;
    if (n === 0) Object.assign(a, PLAIN);
    else if (n === 1) a.bold = true;
    else if (n === 2) a.dim = true;
    else if (n === 22) {
      a.bold = false;
      a.dim = false;
    } else if (n === 4) a.underline = true;
    else if (n === 24) a.underline = false;
    else if (n === 7) a.inverse = true;
    else if (n === 27) a.inverse = false;
    else if (n === 39) a.fg = 'default';
    else if (n === 49) a.bg = 'default';
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) a.fg = String(n);
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) a.bg = String(n);
    else if (n === 38 || n === 48) {
      let colour: string;
      if (p[i + 1] === 5) {
        colour = `5:${p[i + 2]}`;
        i += 2;
      } else {
        colour = `2:${p[i + 2]},${p[i + 3]},${p[i + 4]}`;
        i += 4;
      }
      if (n === 38) a.fg = colour;
      else a.bg = colour;
    }
  }
}

/**
 * The rows of `capture-pane -p -e` as cells. tmux only writes an SGR sequence where the
 * attributes change, from one row to the next too, so the state carries across rows.
 */
export function parseCapture(text: string): Cell[][] {
  const attrs: Attrs = { ...PLAIN };
  const rows: Cell[][] = [];
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const row: Cell[] = [];
    for (let i = 0; i < line.length; ) {
      if (line[i] === '\x1b') {
        const csi = /^.\[([0-9;:]*)([@-~])/.exec(line.slice(i));
        if (csi) {
          if (csi[2] === 'm') applySgr(attrs, csi[1]!);
          i += csi[0].length;
        } else {
          i += 2;
        }
        continue;
      }
      const ch = String.fromCodePoint(line.codePointAt(i)!);
      row.push({ ch, ...attrs });
      i += ch.length;
    }
    rows.push(row);
  }
  return rows;
}

/** The attributes of the cells [x, x + n) of a row (undefined past the end of the row). */
export function attrsAt(cells: Cell[][], y: number, x: number, n = 1): (Attrs | undefined)[] {
  const out: (Attrs | undefined)[] = [];
  for (let i = x; i < x + n; i++) {
    const c = cells[y]?.[i];
    out.push(c === undefined ? undefined : strip(c));
  }
  return out;
}

function strip(c: Cell): Attrs {
  const { ch: _ch, ...a } = c;
  return a;
}

export interface RunOptions {
  /** The AOZ program; none: aozrun runs without a file (the interactive session). */
  source?: string;
  /** aozrun options, before the file. */
  args?: string[];
  /** Terminal size (default 100 x 30). */
  cols?: number;
  rows?: number;
  /** Environment of the run; NO_COLOR and COLORTERM are unset first. */
  env?: Record<string, string>;
  /** A line printed before the program runs (what a shell would have left on the screen). */
  before?: string;
}

export interface Finished {
  status: number;
  /** The stty flags after the run, e.g. ["icanon", "echo", "isig", "icrnl"]. */
  stty: string[];
  /** The screen once the typed line was read back. */
  lines: string[];
  /** The line read back by the shell after the run ("": it never came back). */
  got: string;
}

export class TmuxServer {
  /** The socket and the runs' files; made by start() (a skipped suite creates nothing). */
  private dirPath: string | undefined;
  private count = 0;

  private get dir(): string {
    this.dirPath ??= mkdtempSync(join(tmpdir(), 'aozrun-tmux-'));
    return this.dirPath;
  }

  private get socket(): string {
    return join(this.dir, 'socket');
  }

  /** tmux with this server's socket; resolves to its stdout. */
  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await execFileP('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
    });
    return stdout;
  }

  /** Starts the server (with an idle session, so concurrent runs never race to start it). */
  async start(): Promise<void> {
    await this.tmux('new-session', '-d', '-s', 'idle', '-x', '20', '-y', '5', 'sleep 100000');
  }

  async stop(): Promise<void> {
    if (this.dirPath === undefined) return;
    try {
      await this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(this.dirPath, { recursive: true, force: true });
    this.dirPath = undefined;
  }

  /** Starts a program in a new pane; see the top of this file. */
  async run(o: RunOptions): Promise<Pane> {
    const name = `run${++this.count}`;
    const base = join(this.dir, name);
    if (o.source !== undefined) writeFileSync(`${base}.aoz`, o.source);
    const env = Object.entries(o.env ?? {})
      .map(([k, v]) => `export ${k}=${quote(v)}\n`)
      .join('');
    const file = o.source === undefined ? [] : [`${base}.aoz`];
    const cmd = [process.execPath, BIN, ...(o.args ?? []), ...file].map(quote).join(' ');
    const script = [
      'trap : INT',
      'unset NO_COLOR COLORTERM',
      env,
      o.before === undefined ? '' : `printf '%s\\n' ${quote(o.before)}`,
      `sh -c 'echo $$ > "$0"; exec "$@"' ${quote(`${base}.pid`)} ${cmd}`,
      'echo "__EXIT=$?__"',
      `stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\{0,1\\}icanon' -e '-\\{0,1\\}echo' -e '-\\{0,1\\}isig' -e '-\\{0,1\\}icrnl' | tr '\\n' ' '`,
      'echo __STTY__',
      "printf 'READY> '",
      'read line',
      'echo "__GOT[$line]__"',
      'exec sleep 100000',
    ].join('\n');
    writeFileSync(`${base}.sh`, `${script}\n`);
    const cols = String(o.cols ?? 100);
    const rows = String(o.rows ?? 30);
    await this.tmux('new-session', '-d', '-s', name, '-x', cols, '-y', rows, `sh ${quote(`${base}.sh`)}`);
    return new Pane(this, name, base);
  }
}

export class Pane {
  constructor(
    private readonly server: TmuxServer,
    readonly name: string,
    private readonly base: string,
  ) {}

  /** The visible rows, as text (trailing spaces trimmed). */
  async lines(): Promise<string[]> {
    const text = await this.server.tmux('capture-pane', '-p', '-t', this.name);
    return text.replace(/\n$/, '').split('\n');
  }

  /** The visible rows as cells, with their attributes. */
  async cells(): Promise<Cell[][]> {
    return parseCapture(await this.server.tmux('capture-pane', '-p', '-e', '-t', this.name));
  }

  /** Polls the screen until `done(lines)`; fails with the screen shown after `timeoutMs`. */
  async waitFor(done: (lines: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = await this.lines();
      if (done(lines)) return lines;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; the screen:\n${lines.join('\n')}`);
      }
      await sleep(40);
    }
  }

  /** Waits until `text` shows somewhere on the screen. */
  waitForText(text: string, timeoutMs?: number): Promise<string[]> {
    return this.waitFor((lines) => lines.some((l) => l.includes(text)), JSON.stringify(text), timeoutMs);
  }

  /** Waits for the end of the program; its exit status. */
  async exitStatus(): Promise<number> {
    const lines = await this.waitForText('__EXIT=');
    const m = /__EXIT=(\d+)__/.exec(lines.join('\n'));
    return Number(m?.[1]);
  }

  /** The row showing `text` (-1: none). */
  static rowOf(lines: string[], text: string): number {
    return lines.findIndex((l) => l.includes(text));
  }

  /** tmux key names (Left, BSpace, Enter, C-c...), each sent on its own. */
  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) await this.server.tmux('send-keys', '-t', this.name, key);
  }

  /** Literal text. */
  async type(text: string): Promise<void> {
    await this.server.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Resizes the terminal (the program gets SIGWINCH). */
  async resize(cols: number, rows: number): Promise<void> {
    await this.server.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  async cursor(): Promise<{ visible: boolean; x: number; y: number }> {
    const out = await this.server.tmux(
      'display-message',
      '-p',
      '-t',
      this.name,
      '#{cursor_flag} #{cursor_x} #{cursor_y}',
    );
    const [flag, x, y] = out.trim().split(' ').map(Number);
    return { visible: flag === 1, x: x!, y: y! };
  }

  /** Sends a signal to the program (the aozrun process). */
  kill(signal: NodeJS.Signals): void {
    const pid = Number(readFileSync(`${this.base}.pid`, 'utf8').trim());
    process.kill(pid, signal);
  }

  /**
   * After the program ended: its exit status, the terminal flags, then `typed` + Return at the
   * shell's READY> prompt, and the screen once the shell read it back.
   */
  async finish(typed = 'typed words'): Promise<Finished> {
    const status = await this.exitStatus();
    const before = await this.waitForText('__STTY__');
    const stty = (before.find((l) => l.includes('__STTY__')) ?? '')
      .replace('__STTY__', '')
      .trim()
      .split(/\s+/);
    await this.waitForText('READY>');
    await this.type(typed);
    await this.keys('Enter');
    let lines: string[];
    try {
      lines = await this.waitForText('__GOT[', 3000);
    } catch {
      lines = await this.lines();
    }
    const m = /__GOT\[(.*)\]__/.exec(lines.join('\n'));
    return { status, stty, lines, got: m?.[1] ?? '' };
  }
}

/**
 * Declares the tests of a suite whose work all runs at once: each test's work (start a program,
 * type, wait, check) starts in beforeAll, together with the others, and the test awaits it. The
 * programs mostly wait (for a key, a signal, the shell), so this keeps a suite to about the time
 * of its slowest test, whatever vitest's limit on concurrent tests.
 */
export function parallelTests(server: TmuxServer): (name: string, work: () => Promise<void>) => void {
  const starters: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    assertBuilt();
    await server.start();
    for (const start of starters) void start();
  });
  afterAll(() => server.stop());
  return (name, work) => {
    let running: Promise<void> | undefined;
    const start = (): Promise<void> => {
      if (!running) {
        running = work();
        // Reported by the test that awaits it, not as an unhandled rejection.
        running.catch(() => undefined);
      }
      return running;
    };
    starters.push(start);
    it(name, start);
  };
}
