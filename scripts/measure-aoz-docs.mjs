#!/usr/bin/env node
// Measures aozrun against the code examples of AOZ Studio's own documentation.
//
// Usage: node scripts/measure-aoz-docs.mjs [options] AOZ-STUDIO
//   AOZ-STUDIO                 a checkout of github.com/fransooi/AOZ-Studio, or its bare git directory
//                              (default: $AOZ_STUDIO)
//   --out DIR                  scratch folder for the extracted blocks (default: $TMPDIR/aoz-docs);
//                              emptied first, never inside the project
//   --folders a,b,...          documentation folders (default: the text-mode subset below)
//   --exclude-out-of-scope     leave out blocks that use instructions aozrun does not aim to support
//                              (graphics, screens, sprites, sound, files, banks, AMAL, mouse, ...)
//   --timeout SECONDS          time limit of each run (default 3)
//   --jobs N                   runs in parallel (default: the number of CPUs)
//   --list                     list every failing block, not only the first ones of each group
//   --json FILE                also write every result as JSON
//
// Needs the built command (`npm run build`). For each `@code` block of
// languages/v1_0/<folder>/doc/default/*.aozdoc it runs `aozrun --check`, then `aozrun --timeout N`
// with stdin closed, and prints per folder: blocks, how many parse, how many run clean (exit 0,
// including the runs that end because stdin ended while the program waited for input), how many
// are intentional endless loops stopped by the time limit, and the failures grouped by the first
// line of stderr. It contains no AOZ text: the examples are read from the checkout given.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Our annotations of blocks that are not programs, or that AOZ itself stops with an error. */
const EXPECTATIONS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'aoz-docs-expectations.json'), 'utf8'));
/** The command measured: a copy of bin/ and dist/ taken at the start (see snapshotCommand). */
let BIN = join(ROOT, 'bin', 'aozrun.js');
const DOCS = 'AOZ_Studio/app/aoz/languages/v1_0';
const DEFAULT_FOLDERS = [
  'structure',
  'strings',
  'maths',
  'variables',
  'textwindows',
  'keyboard_and_mouse',
  'time',
];

/**
 * Instructions and functions outside aozrun's scope (text mode and networking): a block that uses
 * one of them is excluded by --exclude-out-of-scope. Matched as whole words, case-insensitively,
 * outside strings and comments. Start and Length are only matched before a bracket, and ordinary
 * words such as Get or Put are left out, so that variables of those names do not count.
 */
// biome-ignore format: compact lists of names
const OUT_OF_SCOPE = {
  graphics: [
    'Plot', 'Draw', 'Draw To', 'Box', 'Bar', 'Circle', 'Ellipse', 'Polyline', 'Polygon', 'Ink', 'Gr Writing',
    'Gr Locate', 'Paint', 'Point', 'Set Line', 'Set Pattern', 'Set Paint', 'Text Length', 'Text Base',
    'Text Style', 'Set Text', 'Clip', 'Autoback', 'Set Font', 'Get Fonts', 'Get Disc Fonts', 'Get Rom Fonts',
    'Font\\$', 'X Graphic', 'Y Graphic', 'Get Block', 'Put Block', 'Get Cblock', 'Put Cblock', 'Del Block',
    'Set Transparent', 'Load Image', 'Paste Image', 'Color\\(', 'Colour\\(',
  ],
  screens: [
    'Screen Open', 'Screen Close', 'Screen Display', 'Screen Offset', 'Screen Clone', 'Screen Hide',
    'Screen Show', 'Screen To Front', 'Screen To Back', 'Screen Swap', 'Screen Copy', 'Screen Width',
    'Screen Height', 'Screen Colour', 'Screen Base', 'Screen Mode', 'Screen', 'Scin', 'X Screen', 'Y Screen',
    'X Hard', 'Y Hard', 'Double Buffer', 'Dual Playfield', 'Dual Priority', 'Def Scroll', 'Appear', 'Zoom',
    'Palette', 'Colour', 'Colour Back', 'Get Palette', 'Default Palette', 'Fade', 'Flash', 'Flash Off',
    'Shift Up', 'Shift Down', 'Shift Off', 'Rainbow', 'Set Rainbow', 'Rain', 'Cls Screen', 'Load Iff',
    'Save Iff', 'View', 'Auto View On', 'Auto View Off', 'Display Width', 'Display Height',
  ],
  'sprites and bobs': [
    'Sprite', 'Sprite Off', 'Sprite Update', 'Bob', 'Bob Off', 'Bob Update', 'Get Sprite', 'Get Bob',
    'Paste Bob', 'Paste Icon', 'Get Icon', 'Hot Spot', 'Set Bob', 'Limit Bob', 'Priority On', 'Priority Off',
    'Update', 'Update On', 'Update Off', 'X Sprite', 'Y Sprite', 'X Bob', 'Y Bob', 'I Bob', 'I Sprite',
    'Bob Col', 'Sprite Col', 'Bobsprite Col', 'Spritebob Col', 'Make Mask', 'Set Hardcol', 'Hardcol',
    'Actor', 'Del Actor', 'Del Bob', 'Del Sprite', 'Ins Bob', 'Get Image', 'Collide',
  ],
  sound: [
    'Boom', 'Shoot', 'Bell', 'Sam Play', 'Sam Raw', 'Sam Bank', 'Sam Loop On', 'Sam Loop Off', 'Play',
    'Play Off', 'Music', 'Music Off', 'Music Stop', 'Tempo', 'Mvolume', 'Voice', 'Volume', 'Wave',
    'Set Wave', 'Del Wave', 'Noise To', 'Say', 'Set Envel', 'Led On', 'Led Off', 'Track Play', 'Track Stop',
    'Track Loop On', 'Sound', 'Load Sound', 'Play Sound',
  ],
  files: [
    'Open In', 'Open Out', 'Open Random', 'Append', 'Close', 'Print #', 'Input #', 'Line Input #', 'Dir',
    'Dir\\$', 'Dir First\\$', 'Dir Next\\$', 'Exist', 'Kill', 'Rename', 'Mkdir', 'Load', 'Save', 'Bload',
    'Bsave', 'Fsel\\$', 'Lof', 'Pof', 'Eof', 'Disc Info\\$', 'Set Dir', 'Drive', 'Field', 'Parent', 'Dfree',
    'Run', 'Load Asset',
  ],
  'banks and memory': [
    'Reserve As Work', 'Reserve As Data', 'Reserve As Chip Work', 'Reserve As Chip Data', 'Erase',
    'List Bank', 'Bank Swap', 'Bank Shrink', 'Bgrab', 'Start\\(', 'Length\\(', 'Poke', 'Peek', 'Doke',
    'Deek', 'Loke', 'Leek', 'Poke\\$', 'Peek\\$', 'Copy', 'Fill', 'Hunt', 'Varptr', 'Areg', 'Dreg', 'Call',
    'Execall', 'Gfxcall', 'Doscall', 'Intcall', 'Equ', 'Lvo', 'Struc', 'Bset', 'Bclr', 'Bchg', 'Btst', 'Rol',
    'Ror', 'Chip Free', 'Fast Free',
  ],
  AMAL: [
    'Amal', 'Amal On', 'Amal Off', 'Amal Freeze', 'Amreg', 'Amplay', 'Amalerr', 'Anim', 'Anim On',
    'Anim Off', 'Anim Freeze', 'Channel', 'Move X', 'Move Y', 'Move On', 'Move Off', 'Move Freeze', 'Movon',
    'Synchro', 'Synchro On', 'Synchro Off', 'Chanan', 'Chanmv',
  ],
  'mouse and zones': [
    'Mouse Key', 'Mouse Click', 'Mouse Wheel', 'Mouse Image', 'X Mouse', 'Y Mouse', 'Hide', 'Hide On',
    'Show', 'Show On', 'Change Mouse', 'Limit Mouse', 'Mouse Zone', 'Mouse Screen', 'Wait Click', 'Zone',
    'Set Zone', 'Reset Zone', 'Zone\\$', 'Hzone',
  ],
  'controllers and menus': [
    'Joy', 'Jleft', 'Jright', 'Jup', 'Jdown', 'Fire', 'Gamepad', 'Menu\\$', 'Menu On', 'Menu Off', 'Choice',
    'Dialog', 'Dialog Box', 'Resource\\$',
  ],
  'several text windows': [
    'Wind Open', 'Wind Close', 'Wind Save', 'Wind Move', 'Wind Size', 'Window', 'Windon', 'Border',
    'Title Top', 'Title Bottom', 'Border\\$',
  ],
  'multitasking and system': [
    'Multi Off', 'Multi On', 'Amos To Back', 'Amos To Front', 'Amos Lock', 'Amos Here', 'Exec',
    'Command Line\\$',
  ],
};

function usage(message) {
  if (message) process.stderr.write(`measure-aoz-docs: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/measure-aoz-docs.mjs [--out DIR] [--folders a,b] [--exclude-out-of-scope]\n' +
      '       [--timeout SECONDS] [--jobs N] [--list] [--json FILE] AOZ-STUDIO\n',
  );
  process.exit(64);
}

function parseArgs(argv) {
  const o = {
    source: process.env.AOZ_STUDIO,
    out: join(tmpdir(), 'aoz-docs'),
    folders: DEFAULT_FOLDERS,
    exclude: false,
    timeout: 3,
    jobs: Math.max(1, cpus().length),
    list: false,
    json: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--out') o.out = resolve(value());
    else if (a === '--folders') o.folders = value().split(',').filter(Boolean);
    else if (a === '--exclude-out-of-scope') o.exclude = true;
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--jobs') o.jobs = Math.max(1, Number(value()) | 0);
    else if (a === '--list') o.list = true;
    else if (a === '--json') o.json = resolve(value());
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else o.source = a;
  }
  if (!o.source) usage('give the path of an AOZ-Studio checkout or git directory (or set AOZ_STUDIO)');
  if (!(o.timeout > 0)) usage('--timeout needs a number of seconds > 0');
  const rel = relative(ROOT, o.out);
  if (!rel.startsWith('..') && !resolve(o.out).startsWith(resolve(tmpdir()))) {
    usage(`--out ${o.out} is inside the project: use a scratch folder`);
  }
  return o;
}

/** The .aozdoc files of a folder: from a checkout, or extracted from a git directory with git archive. */
function docFiles(o) {
  let base = o.source;
  if (!existsSync(join(base, DOCS))) {
    base = join(o.out, 'checkout');
    mkdirSync(base, { recursive: true });
    const paths = o.folders.map((f) => `${DOCS}/${f}/doc/default`);
    const tar = spawnSync('git', ['--git-dir', o.source, 'archive', '--format=tar', 'HEAD', '--', ...paths], {
      maxBuffer: 256 << 20,
    });
    if (tar.status !== 0) {
      process.stderr.write(`measure-aoz-docs: git archive failed in ${o.source}:\n${tar.stderr}`);
      process.exit(1);
    }
    const x = spawnSync('tar', ['-x', '-C', base], { input: tar.stdout });
    if (x.status !== 0) {
      process.stderr.write(`measure-aoz-docs: tar failed: ${x.stderr}`);
      process.exit(1);
    }
  }
  const files = [];
  for (const folder of o.folders) {
    const dir = join(base, DOCS, folder, 'doc', 'default');
    if (!existsSync(dir)) {
      process.stderr.write(`measure-aoz-docs: no folder ${dir}\n`);
      continue;
    }
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.aozdoc')) files.push({ folder, name, path: join(dir, name) });
    }
  }
  return files;
}

/**
 * The `@code` blocks of a page. A line that starts with `@code` opens or closes a block; text
 * before an `@code` at the end of a line belongs to the block it closes; a line holding only `=`
 * (a section break of the page format) or the end of the file ends an unclosed block.
 */
function codeBlocks(text) {
  const blocks = [];
  let current = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const marker = /^\s*@code\w*\s*$/.test(line);
    const trailing = !marker && current && /@code\s*$/.test(line) && !/"[^"]*@code\s*$/.test(line);
    if (marker || trailing) {
      if (current) {
        if (trailing) current.lines.push(line.replace(/@code\s*$/, ''));
        blocks.push(current);
        current = null;
      } else current = { lines: [], closed: true };
    } else if (current && line.trim() === '=') {
      current.closed = false;
      blocks.push(current);
      current = null;
    } else if (current) current.lines.push(line);
  }
  if (current) {
    current.closed = false;
    blocks.push(current);
  }
  return blocks
    .map((b) => ({
      source: `${decodeEntities(b.lines.join('\n')).replace(/^\n+|\s+$/g, '')}\n`,
      closed: b.closed,
    }))
    .filter((b) => b.source.trim() !== '');
}

/** The pages are HTML-ish: `&lt;` in a block is a `<` of the program. */
function decodeEntities(text) {
  const named = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, e) => {
    if (e[0] !== '#') return named[e.toLowerCase()] ?? whole;
    return String.fromCodePoint(
      e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
    );
  });
}

/** The text of a program without its strings and comments, for name matching. */
function codeOnly(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .split('\n')
    .map((l) =>
      l
        .replace(/"[^"\n]*("|$)/g, '""')
        .replace(/“[^”\n]*(”|$)/g, '""')
        .replace(/(^|:)\s*Rem\b.*$/i, '$1')
        .replace(/('|\/\/).*$/, ''),
    )
    .join('\n');
}

const scopeRules = Object.entries(OUT_OF_SCOPE).map(([why, names]) => ({
  why,
  names: names.map((n) => ({
    name: n.replace(/\\/g, ''),
    // A name ending in `#` or `(` (`Print #1`, `Start(1)`) needs no word end after it.
    re: new RegExp(`(?<![\\w$#])${n.replace(/ /g, '\\s*')}${/[#(]$/.test(n) ? '' : '(?![\\w$#])'}`, 'i'),
  })),
}));

/** Why a block is out of aozrun's scope (the longest name found: Wind Close before Close), or undefined. */
function outOfScope(source) {
  const code = codeOnly(source);
  let best;
  for (const rule of scopeRules) {
    for (const n of rule.names) {
      if ((!best || n.name.length > best.name.length) && n.re.test(code))
        best = { why: rule.why, name: n.name };
    }
  }
  return best;
}

/**
 * Blocks written as endless loops (a comment says so, or the loop has no way out): a time-limit stop
 * is their expected end. A Do ... Loop with no Exit, End or Goto, a While 1/True, an Until 0/False,
 * or a label whose last statement jumps back to it with no End.
 */
function endless(source) {
  if (/\b(infinite|endless|for ever|forever|never ends?)\b/i.test(source)) return true;
  const code = codeOnly(source);
  const noWayOut = !/\b(Exit|End|Goto|Pop Proc|Stop|Edit|Direct)\b/i.test(
    code.replace(/\bEnd\s+(If|Proc)\b/gi, ''),
  );
  if (/^\s*Do\s*$/im.test(code) && /\bLoop\b/i.test(code) && noWayOut) return true;
  if (/\bWhile\s+(1|True)\s*$/im.test(code) && noWayOut) return true;
  if (/\bUntil\s+(0|False)\s*$/im.test(code) && noWayOut) return true;
  const labels = [...code.matchAll(/^\s*([A-Za-z_]\w*):/gm)].map((m) => m[1]);
  const lastLine = code.trim().split('\n').pop() ?? '';
  return (
    labels.some((l) => new RegExp(`\\bGoto\\s+${l}\\s*$`, 'i').test(lastLine)) && !/\bEnd\s*$/im.test(code)
  );
}

/**
 * Copies the built command (bin/ and the self-contained bundle in dist/) into the scratch folder,
 * so that a rebuild of the project during the measurement does not change what is measured.
 */
function snapshotCommand(o) {
  const dir = join(o.out, 'aozrun');
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  BIN = join(dir, 'bin', 'aozrun.js');
}

function run(args, timeoutMs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      if (stdout.length < 1e6) stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c) => {
      if (stderr.length < 1e6) stderr += c;
    });
    // A safety net above aozrun's own --timeout: a run that ignores it is killed and reported.
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolvePromise({ status: code, signal, stdout, stderr });
    });
  });
}

/** The first error line of stderr (warnings come before errors), else its first line. */
function firstLine(stderr) {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return (lines.find((l) => /^(Error|aozrun)\b/.test(l)) ?? lines[0] ?? '').trim();
}

/** `Wait n` with n >= the time limit: AMOS counted 1/50 s, AOZ mode counts seconds. */
function longWait(source, seconds) {
  return [...codeOnly(source).matchAll(/\bWait\s+(\d+)/gi)].some((m) => Number(m[1]) >= seconds);
}

/** The failure message without what varies between blocks: its place and file name. */
function groupKey(line) {
  return line.replace(/ at line \d+, column \d+ in \S+/, '').replace(/\S+\.aoz\b/g, 'FILE');
}

async function measure(block, o) {
  const check = await run(['--check', block.file], 60_000);
  block.parses = check.status === 0;
  const expected = EXPECTATIONS.aozErrors[block.id];
  if (!block.parses) {
    block.message = firstLine(check.stderr) || `exit ${check.status}`;
    block.outcome = expected && block.message.includes(expected.error) ? 'AOZ error' : 'parse error';
    if (block.outcome === 'AOZ error') block.message = undefined;
    return;
  }
  const r = await run(['--timeout', String(o.timeout), block.file], o.timeout * 1000 + 20_000);
  block.exit = r.status;
  const first = firstLine(r.stderr);
  if (r.status === 0) {
    block.outcome = /^Notice: end of input/m.test(r.stderr) ? 'end of input' : 'clean';
  } else if (r.status === 124 && block.endless) {
    block.outcome = 'endless loop';
  } else if (r.status === 124 && longWait(block.source, o.timeout)) {
    // Wait 50 written for AMOS (1/50 s) lasts 50 seconds in AOZ mode: AOZ would still be waiting.
    block.outcome = 'long wait';
  } else if (expected && first.includes(expected.error)) {
    block.outcome = 'AOZ error';
  } else {
    block.outcome = r.status === 124 ? 'time limit' : r.signal ? `killed (${r.signal})` : `exit ${r.status}`;
    block.message = first || `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
    if (r.status === 124 && longWait(block.source, o.timeout)) {
      block.message += ' [the block has Wait n with n >= the limit: AMOS 1/50 s, AOZ seconds]';
    }
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'aozrun.js')))
    usage('the command is not built: run `npm run build` first');
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  snapshotCommand(o);
  const blocks = [];
  for (const f of docFiles(o)) {
    const page = f.name.replace(/\.aozdoc$/, '');
    for (const [i, b] of codeBlocks(readFileSync(f.path, 'utf8')).entries()) {
      const dir = join(o.out, 'blocks', f.folder);
      mkdirSync(dir, { recursive: true });
      const file = join(
        dir,
        `${page.replace(/[^\w-]/g, (c) => (c === '$' ? 'S' : c === '#' ? 'F' : '_'))}-${i + 1}.aoz`,
      );
      writeFileSync(file, b.source);
      const scope = outOfScope(b.source);
      const id = `${f.folder}/${page}#${i + 1}`;
      blocks.push({
        id,
        notProgram: EXPECTATIONS.notPrograms[id],
        folder: f.folder,
        page,
        index: i + 1,
        file,
        source: b.source,
        closed: b.closed,
        endless: endless(b.source),
        scope,
      });
    }
  }
  const measured = blocks.filter((b) => !(o.exclude && (b.scope || b.notProgram)));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < measured.length) {
      const b = measured[next++];
      await measure(b, o);
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${measured.length} blocks`);
    }
  };
  await Promise.all(Array.from({ length: o.jobs }, worker));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');

  report(blocks, o);
  if (o.json) {
    const rows = blocks.map(({ file, source, ...b }) => ({ ...b, file: relative(o.out, file) }));
    writeFileSync(o.json, `${JSON.stringify(rows, null, 2)}\n`);
  }
}

function pad(s, n) {
  return String(s).padEnd(n);
}

function report(blocks, o) {
  const out = [];
  out.push(
    `AOZ documentation examples: ${blocks.length} @code blocks in ${o.folders.length} folders, extracted to ${o.out}/blocks`,
  );
  out.push(`aozrun --check, then aozrun --timeout ${o.timeout} with stdin closed`);
  out.push('');
  const cols = [
    'folder',
    'blocks',
    'excluded',
    'measured',
    'AOZ error',
    'parse',
    'clean',
    'end of input',
    'endless',
    'long wait',
    'failing',
  ];
  const widths = [20, 7, 9, 9, 10, 6, 6, 13, 8, 10, 8];
  out.push(cols.map((c, i) => pad(c, widths[i])).join(' '));
  const totals = {};
  for (const folder of [...o.folders, 'total']) {
    const bs = folder === 'total' ? blocks : blocks.filter((b) => b.folder === folder);
    const m = bs.filter((b) => b.outcome !== undefined);
    const row = {
      blocks: bs.length,
      excluded: bs.length - m.length,
      measured: m.length,
      aozError: m.filter((b) => b.outcome === 'AOZ error').length,
      parse: m.filter((b) => b.parses).length,
      clean: m.filter((b) => b.outcome === 'clean' || b.outcome === 'end of input').length,
      eoi: m.filter((b) => b.outcome === 'end of input').length,
      endless: m.filter((b) => b.outcome === 'endless loop').length,
      longWait: m.filter((b) => b.outcome === 'long wait').length,
      failing: m.filter((b) => b.message !== undefined).length,
    };
    if (folder === 'total') Object.assign(totals, row);
    if (folder === 'total') out.push(widths.map((w) => '-'.repeat(w)).join(' '));
    out.push([folder, ...Object.values(row)].map((v, i) => pad(v, widths[i])).join(' '));
  }
  // The blocks AOZ itself can run: the ones it stops with an error of its own are set aside.
  const runnable = totals.measured - totals.aozError;
  const parsed = blocks.filter(
    (b) => b.parses && b.outcome !== undefined && b.outcome !== 'AOZ error',
  ).length;
  const runsAsAoz = totals.clean + totals.endless + totals.longWait;
  const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
  out.push('');
  out.push(
    `Of the ${runnable} measured blocks that AOZ itself runs: ${parsed} parse (${pct(parsed, runnable)}), ` +
      `${runsAsAoz} run clean (${pct(runsAsAoz, runnable)}: exit 0, endless loops and long Waits stopped by the time limit).`,
  );
  out.push(
    `${totals.aozError} blocks stop with the error AOZ itself gives (typos of the documentation, fragments; see scripts/aoz-docs-expectations.json).`,
  );
  out.push('');
  out.push('clean = exit 0 (end of input: the program waited for a key or a line when stdin ended);');
  out.push('endless = written to run for ever (Do/Loop with no way out, ...), stopped by the time limit;');
  out.push(
    'long wait = stopped by the time limit in a Wait n written for AMOS (1/50 s): AOZ mode waits n seconds.',
  );
  const unclosed = blocks.filter((b) => !b.closed).length;
  if (unclosed > 0)
    out.push(`${unclosed} blocks have no closing @code in their page (read up to "=" or the end).`);

  const excluded = blocks.filter((b) => b.outcome === undefined && b.scope);
  if (o.exclude) {
    const prose = blocks.filter((b) => b.outcome === undefined && !b.scope && b.notProgram);
    out.push('');
    out.push(`Excluded as not programs (tables, prose): ${prose.length} blocks`);
    out.push(`Excluded as out of aozrun's scope: ${excluded.length} blocks`);
    const byWhy = new Map();
    for (const b of excluded) {
      const e = byWhy.get(b.scope.why) ?? { n: 0, names: new Map() };
      e.n++;
      e.names.set(b.scope.name, (e.names.get(b.scope.name) ?? 0) + 1);
      byWhy.set(b.scope.why, e);
    }
    for (const [why, e] of [...byWhy].sort((a, b) => b[1].n - a[1].n)) {
      const names = [...e.names].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n} ${k}`);
      out.push(`  ${pad(e.n, 4)} ${why}: ${names.join(', ')}`);
    }
  } else {
    const would = blocks.filter((b) => b.scope).length;
    out.push(
      `(${would} blocks use instructions outside aozrun's scope; --exclude-out-of-scope leaves them out)`,
    );
  }

  const failures = blocks.filter((b) => b.message !== undefined);
  const groups = new Map();
  for (const b of failures) {
    const k = `${b.outcome === 'parse error' ? 'parse' : 'run'}: ${groupKey(b.message)}`;
    const g = groups.get(k) ?? [];
    g.push(b);
    groups.set(k, g);
  }
  out.push('');
  out.push(`Failures: ${failures.length} blocks in ${groups.size} groups (most frequent first)`);
  for (const [k, g] of [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    out.push(`  ${pad(g.length, 4)} ${k}`);
    const shown = o.list ? g : g.slice(0, 3);
    out.push(
      `       ${shown.map((b) => `${b.folder}/${b.page}#${b.index}${b.scope ? ` [${b.scope.why}]` : ''}`).join(', ')}${shown.length < g.length ? ', ...' : ''}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
