// The implementations compared: aozrun (the shipped command, with its default tier and with the
// JIT turned off), node running the hand-written JavaScript, and the BASIC interpreters Debian
// packages (yabasic, Matrix Brandy, bwBASIC, PC-BASIC), each with the file extension of its
// variants and the way to run one without a terminal.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** `bin/aozrun` (the start-up snapshot launcher) when it is there, else `node bin/aozrun.js`. */
export function aozrunCommand() {
  const launcher = join(ROOT, 'bin/aozrun');
  try {
    accessSync(launcher, constants.X_OK);
    return [launcher];
  } catch {
    return [process.execPath, join(ROOT, 'bin/aozrun.js')];
  }
}

/** An environment without AOZRUN_JIT (the default tier), or with it set. */
function jitEnv(mode) {
  const env = { ...process.env };
  delete env.AOZRUN_JIT;
  if (mode) env.AOZRUN_JIT = mode;
  return env;
}

/**
 * id, label, extension, command for a file, environment, which stream carries the output, the
 * Debian package (for its version), and `slow`: interpreters that run at reduced sizes only
 * (a full-size run would take minutes to hours), whose times are scaled up to the full size.
 */
export const IMPLEMENTATIONS = [
  {
    id: 'aozrun',
    label: 'aozrun',
    ext: 'aoz',
    command: (file) => [...aozrunCommand(), file],
    env: () => jitEnv(undefined),
  },
  {
    id: 'aozrun-nojit',
    label: 'aozrun (AOZRUN_JIT=never)',
    ext: 'aoz',
    command: (file) => [...aozrunCommand(), file],
    env: () => jitEnv('never'),
  },
  {
    id: 'js',
    label: 'JavaScript (node)',
    ext: 'js',
    command: (file) => [process.execPath, file],
  },
  {
    id: 'yabasic',
    label: 'yabasic',
    ext: 'yab',
    command: (file) => ['yabasic', file],
    binary: 'yabasic',
    pkg: 'yabasic',
  },
  {
    id: 'brandy',
    label: 'Brandy',
    ext: 'bbc',
    // The SDL build: with the dummy video driver it draws nothing and writes no terminal escapes;
    // the programs print through OS_Write0 with R1 = R2 = 42, which goes to stderr.
    command: (file) => ['brandy', '-quit', file],
    env: () => ({ ...process.env, SDL_VIDEODRIVER: 'dummy' }),
    binary: 'brandy',
    pkg: 'brandy',
  },
  {
    id: 'bwbasic',
    label: 'bwBASIC',
    ext: 'bas',
    command: (file) => ['bwbasic', file],
    binary: 'bwbasic',
    pkg: 'bwbasic',
    slow: true,
  },
  {
    id: 'pcbasic',
    label: 'PC-BASIC',
    ext: 'bas',
    // -n: no window, a filter; -q: leave when the program stops (after an error too, instead of
    // waiting at the Ok prompt); -o STDOUT:: the screen's text on stdout.
    command: (file) => ['pcbasic', file, '-n', '-q', '-o', 'STDOUT:'],
    binary: 'pcbasic',
    pkg: 'python3-pcbasic',
    slow: true,
  },
];

const found = new Map();

/** Whether the implementation's binary is on the PATH. */
export function available(impl) {
  if (!impl.binary) return true;
  if (!found.has(impl.binary)) {
    const r = spawnSync('sh', ['-c', `command -v ${impl.binary}`], { encoding: 'utf8' });
    found.set(impl.binary, r.status === 0 && r.stdout.trim() !== '');
  }
  return found.get(impl.binary);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what it removes
const ESCAPES = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]/g;

/** Output with terminal escapes and carriage returns removed. */
export function plain(text) {
  return text.replace(ESCAPES, '').replace(/\r/g, '');
}

/**
 * The checksum line of an output, whitespace runs made one space (BASICs differ in the spaces
 * around printed numbers), or an error when there is not exactly one.
 */
export function checksumOf(output) {
  const lines = plain(output)
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => /^checksum\b/.test(l));
  if (lines.length !== 1) return { error: `${lines.length} checksum lines` };
  return { value: lines[0] };
}

/** The `elapsed SECONDS` line that the network clients print (their own timing). */
export function elapsedOf(output) {
  const m = /^\s*elapsed\s+([-+0-9.eE]+)\s*$/m.exec(plain(output));
  return m ? Number(m[1]) * 1000 : undefined;
}
