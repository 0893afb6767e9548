// What the bench prints and writes: medians and ratios, the goals of issue 6, a text table for
// the terminal, docs/performance.md and its bar chart docs/performance.svg (hand-written SVG).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './impls.mjs';
import { geomean, median, percentile } from './run.mjs';

const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

/** The machine, the date and the versions of everything compared. */
export function collectMeta(results) {
  let distro;
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {}
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const commit = sh('git', ['rev-parse', '--short', 'HEAD']);
  // --no-optional-locks: a status that never rewrites the index of the working tree.
  const dirty = sh('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no']);
  const versions = {
    node: process.version,
    aozrun: `${pkg.version}, commit ${commit ?? 'unknown'}${dirty ? ' with uncommitted changes' : ''}`,
  };
  for (const i of [...results.impls, ...results.skipped]) {
    if (!i.pkg) continue;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format, not a template
    versions[i.id] = sh('dpkg-query', ['-W', '-f', '${Version}', i.pkg]) ?? 'not installed';
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 2 ** 30,
    os: `${distro ?? os.type()}, ${os.type()} ${os.release()} ${os.arch()}`,
    versions,
  };
}

/** Everything the reports show, computed once from the raw runs. */
export function summarise(results, { benchmarks, netCases, meta }) {
  const { impls } = results;
  const startMs = (id) => median(results.startup[id]?.times ?? []);
  const cpu = benchmarks.map((b) => {
    const cells = {};
    for (const impl of impls) {
      const raw = results.cpu[b.name][impl.id];
      const m = median(raw.times);
      const cell = { ms: m, rssKB: median(raw.rss), failed: raw.failed, runs: raw.times.length };
      if (impl.slow && m !== undefined) {
        // Scaled up from the reduced size: start-up (its hello world) plus the work, in proportion.
        const reduced = b.reduced[impl.id];
        const s = Math.min(startMs(impl.id) ?? 0, m);
        cell.measuredMs = m;
        cell.size = reduced;
        cell.factor = b.work(b.size) / b.work(reduced);
        cell.ms = s + (m - s) * cell.factor;
        cell.estimated = true;
      }
      cells[impl.id] = cell;
    }
    for (const impl of impls) {
      const c = cells[impl.id];
      if (c.ms === undefined) continue;
      if (cells.js?.ms) c.vsJs = c.ms / cells.js.ms;
      if (cells.aozrun?.ms) c.vsAozrun = c.ms / cells.aozrun.ms;
    }
    return { bench: b, cells };
  });
  const geo = {};
  for (const impl of impls) {
    const rs = cpu.map((row) => row.cells[impl.id]?.vsJs);
    if (rs.length > 0 && rs.every((r) => r !== undefined)) geo[impl.id] = geomean(rs);
  }

  const startup = Object.entries(results.startup).map(([id, s]) => ({
    id,
    label: s.label,
    ms: median(s.times),
    rssKB: median(s.rss),
  }));
  const nodeMs = startup.find((s) => s.id === 'node')?.ms;
  for (const s of startup) if (nodeMs && s.ms !== undefined) s.vsNode = s.ms / nodeMs;

  const net = netCases.map((c) => {
    const cells = results.net[c.name];
    const row = { case: c, clients: {} };
    for (const [id, r] of Object.entries(cells)) {
      const client = { label: r.label, failed: r.failed, rssKB: median(r.rss) };
      if (c.latency) {
        client.count = r.samples.length;
        client.p50 = percentile(r.samples, 50);
        client.p99 = percentile(r.samples, 99);
        client.max = r.samples.length ? Math.max(...r.samples) : undefined;
      } else {
        client.ms = median(r.times);
        if (client.ms) client.rate = (c.size / client.ms) * 1000;
      }
      row.clients[id] = client;
    }
    if (!c.latency && row.clients.aozrun?.rate && row.clients.js?.rate) {
      row.ratio = row.clients.aozrun.rate / row.clients.js.rate;
    }
    return row;
  });

  const memory = Object.entries(results.memory).map(([n, m]) => ({
    statements: Number(n),
    rssKB: median(m.rss),
  }));

  return {
    results,
    meta,
    cpu,
    geo,
    startup,
    net,
    memory,
    goals: goals({ cpu, geo, startup, net, memory, impls }),
  };
}

const fmtMs = (ms) =>
  ms === undefined ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(3)} s`;
const fmtRatio = (r) =>
  r === undefined
    ? '–'
    : r >= 100
      ? `${Math.round(r).toLocaleString('en')}×`
      : r >= 10
        ? `${r.toFixed(1)}×`
        : `${r.toFixed(2)}×`;
const fmtMB = (kb) => (kb === undefined ? '–' : `${(kb / 1024).toFixed(1)} MB`);

/** The goals of issue 6: { goal, measured, met } (met undefined when not measured). */
function goals({ cpu, geo, startup, net, memory, impls }) {
  const out = [];
  const has = (id) => impls.some((i) => i.id === id);
  for (const rival of ['yabasic', 'brandy']) {
    if (!has(rival) || cpu.length === 0) continue;
    const label = impls.find((i) => i.id === rival).label;
    const ratios = cpu.map((row) => ({ name: row.bench.name, r: row.cells[rival]?.vsAozrun }));
    const known = ratios.every((x) => x.r !== undefined);
    const losing = ratios.filter((x) => x.r !== undefined && x.r <= 1);
    out.push({
      goal: `CPU: faster than ${label} on every benchmark`,
      measured: known
        ? `${label} takes ${fmtRatio(Math.min(...ratios.map((x) => x.r)))} to ${fmtRatio(Math.max(...ratios.map((x) => x.r)))} aozrun's time${losing.length ? `; not faster on ${losing.map((x) => x.name).join(', ')}` : ''}`
        : 'not measured (a run failed)',
      met: known ? losing.length === 0 : undefined,
    });
  }
  if (cpu.length > 0) {
    out.push({
      goal: 'CPU: geometric mean within 2× of hand-written JavaScript',
      measured: geo.aozrun === undefined ? 'not measured' : `${fmtRatio(geo.aozrun)} of JavaScript's time`,
      met: geo.aozrun === undefined ? undefined : geo.aozrun <= 2,
    });
  }
  const aozStart = startup.find((s) => s.id === 'aozrun');
  if (aozStart?.vsNode !== undefined) {
    out.push({
      goal: 'Start-up: `aozrun hello.aoz` within 2× of `node -e 0`',
      measured: `${fmtMs(aozStart.ms)} vs. ${fmtMs(startup.find((s) => s.id === 'node').ms)}: ${fmtRatio(aozStart.vsNode)}`,
      met: aozStart.vsNode <= 2,
    });
  }
  for (const row of net) {
    if (row.case.latency) {
      const a = row.clients.aozrun;
      out.push({
        goal: 'Network: an event reaches its procedure within 15 ms p99 during a busy loop',
        measured:
          a?.p99 === undefined ? 'not measured' : `p99 ${a.p99.toFixed(1)} ms (p50 ${a.p50.toFixed(1)} ms)`,
        met: a?.p99 === undefined ? undefined : a.p99 <= 15,
      });
    } else {
      out.push({
        goal: `Network: ${row.case.title.replace(/ \(vs\. (.*)\)$/, '')} at ≥ 80% of the rate of plain ${row.clients.js?.label ?? 'JavaScript'}`,
        measured: row.ratio === undefined ? 'not measured' : `${(row.ratio * 100).toFixed(0)}%`,
        met: row.ratio === undefined ? undefined : row.ratio >= 0.8,
      });
    }
  }
  const hello = startup.find((s) => s.id === 'aozrun')?.rssKB;
  const rss = cpu.map((row) => row.cells.aozrun?.rssKB);
  if (hello !== undefined && cpu.length > 0 && rss.every((kb) => kb !== undefined)) {
    out.push({
      goal: 'Memory: peak RSS of hello world and of each benchmark reported',
      measured: `hello world ${fmtMB(hello)}; the benchmarks ${fmtMB(Math.min(...rss))} to ${fmtMB(Math.max(...rss))} (memory table)`,
      met: true,
    });
  }
  if (memory.length === 2 && memory.every((m) => m.rssKB !== undefined)) {
    const [small, large] = memory;
    const growth = large.rssKB - small.rssKB;
    out.push({
      goal: 'Memory: no growth across 1,000,000 statements of a loop that allocates nothing',
      measured: `peak RSS ${fmtMB(small.rssKB)} after ${small.statements.toLocaleString('en')} statements, ${fmtMB(large.rssKB)} after ${large.statements.toLocaleString('en')}`,
      met: growth <= 4 * 1024,
    });
  }
  return out;
}

const metLabel = (m) => (m === undefined ? 'not measured' : m ? 'met' : 'not met');

function pad(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '),
    )
    .join('\n');
}

/** The report printed on stdout. */
export function textReport(s) {
  const { impls } = s.results;
  const parts = [];
  if (s.cpu.length > 0) {
    const head = ['benchmark', ...impls.map((i) => i.label + (i.slow ? ' (est.)' : ''))];
    const cell = (c) =>
      c?.failed ? 'FAILED' : c?.ms === undefined ? '–' : `${fmtMs(c.ms)} ${fmtRatio(c.vsJs)}`;
    const rows = s.cpu.map((row) => [row.bench.name, ...impls.map((i) => cell(row.cells[i.id]))]);
    rows.push(['geomean vs JS', ...impls.map((i) => fmtRatio(s.geo[i.id]))]);
    parts.push(`CPU: median wall time, and its ratio to JavaScript\n${pad([head, ...rows])}`);
    const vs = s.cpu.map((row) => [row.bench.name, ...impls.map((i) => fmtRatio(row.cells[i.id]?.vsAozrun))]);
    parts.push(`CPU: time of each / time of aozrun (above 1: aozrun is faster)\n${pad([head, ...vs])}`);
  }
  if (s.startup.length > 0) {
    parts.push(
      `Start-up: median wall time\n${pad([['program', 'time', 'vs node -e 0', 'peak RSS'], ...s.startup.map((x) => [x.label, fmtMs(x.ms), fmtRatio(x.vsNode), fmtMB(x.rssKB)])])}`,
    );
  }
  if (s.net.length > 0) {
    const rows = s.net.map((row) => {
      const a = row.clients.aozrun;
      const j = row.clients.js;
      return row.case.latency
        ? [
            row.case.name,
            `p50 ${a?.p50?.toFixed(1)} ms, p99 ${a?.p99?.toFixed(1)} ms`,
            `p50 ${j?.p50?.toFixed(1)} ms, p99 ${j?.p99?.toFixed(1)} ms`,
            '',
          ]
        : [
            row.case.name,
            `${a?.rate?.toFixed(0)}/s`,
            `${j?.rate?.toFixed(0)}/s`,
            row.ratio === undefined ? '–' : `${(row.ratio * 100).toFixed(0)}%`,
          ];
    });
    parts.push(
      `Network (timed inside the clients)\n${pad([['case', 'aozrun', 'plain JS', 'aozrun/JS'], ...rows])}`,
    );
  }
  if (s.memory.length > 0) {
    parts.push(
      `Memory: a loop that allocates nothing\n${pad([['statements', 'peak RSS'], ...s.memory.map((m) => [m.statements.toLocaleString('en'), fmtMB(m.rssKB)])])}`,
    );
  }
  if (s.goals.length > 0) {
    parts.push(`Goals\n${pad(s.goals.map((g) => [g.goal, g.measured, metLabel(g.met)]))}`);
  }
  return `\n${parts.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// docs/performance.svg: the ratio to JavaScript of each implementation on each benchmark, on a
// log scale, one group of bars per benchmark.

const COLOURS = {
  aozrun: '#1f6fb5',
  'aozrun-nojit': '#7fb2e0',
  yabasic: '#e07b1f',
  brandy: '#3a9e4a',
  bwbasic: '#9b59b6',
  pcbasic: '#c0392b',
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgChart(s) {
  const impls = s.results.impls.filter((i) => i.id !== 'js');
  const groups = [
    ...s.cpu.map((row) => ({
      name: row.bench.name,
      value: (id) => row.cells[id]?.vsJs,
      est: (id) => row.cells[id]?.estimated,
    })),
    { name: 'geometric mean', value: (id) => s.geo[id], est: (id) => impls.find((i) => i.id === id)?.slow },
  ];
  const all = groups.flatMap((g) => impls.map((i) => g.value(i.id))).filter((r) => r !== undefined);
  const lo = 10 ** Math.floor(Math.log10(Math.min(1, ...all)));
  // The next 1-2-5 step above the largest ratio, with room for its label.
  const room = Math.max(2, ...all) * 2.5;
  const decade = 10 ** Math.floor(Math.log10(room));
  const hi = decade * ([1, 2, 5, 10].find((k) => decade * k >= room) ?? 10);
  const left = 130;
  const right = 880;
  const width = 960;
  const bar = 11;
  const gap = 2;
  const top = 72;
  const groupH = impls.length * (bar + gap) + 14;
  const height = top + groups.length * groupH + 36;
  const x = (r) =>
    left + ((Math.log10(r) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (right - left);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>Time relative to hand-written JavaScript (log scale; shorter is faster)</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">Time relative to hand-written JavaScript (node), log scale: shorter is faster</text>`,
  );
  let lx = left;
  for (const i of impls) {
    const label = i.label + (i.slow ? ' (estimated)' : '');
    out.push(
      `<rect x="${lx}" y="30" width="10" height="10" fill="${COLOURS[i.id] ?? '#888'}"${i.slow ? ' fill-opacity="0.55"' : ''}/>`,
      `<text x="${lx + 14}" y="39">${esc(label)}</text>`,
    );
    lx += 24 + label.length * 6;
  }
  const bottom = top + groups.length * groupH;
  for (let p = lo; p <= hi * 1.0001; p *= 10) {
    for (const k of [1, 2, 5]) {
      const r = p * k;
      if (r > hi * 1.0001) continue;
      const strong = k === 1;
      out.push(
        `<line x1="${x(r).toFixed(1)}" y1="${top - 6}" x2="${x(r).toFixed(1)}" y2="${bottom}" stroke="${r === 1 ? '#333' : strong ? '#bbb' : '#e4e4e4'}" stroke-width="${r === 1 ? 1.5 : 1}"/>`,
      );
      if (strong || r < 100 || r >= hi * 0.9999) {
        out.push(
          `<text x="${x(r).toFixed(1)}" y="${bottom + 14}" text-anchor="middle" fill="#444">${r >= 1 ? r.toLocaleString('en') : r.toPrecision(1)}×</text>`,
        );
      }
    }
  }
  out.push(`<text x="${x(1) + 4}" y="${top - 10}" fill="#333">JavaScript = 1×</text>`);
  groups.forEach((g, gi) => {
    const gy = top + gi * groupH;
    out.push(
      `<text x="${left - 8}" y="${gy + (impls.length * (bar + gap)) / 2 + 4}" text-anchor="end" font-weight="bold">${esc(g.name)}</text>`,
    );
    impls.forEach((i, ii) => {
      const y = gy + ii * (bar + gap);
      const r = g.value(i.id);
      if (r === undefined) {
        out.push(`<text x="${left + 4}" y="${y + bar - 2}" fill="#888">${esc(i.label)}: n/a</text>`);
        return;
      }
      const est = g.est(i.id);
      out.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, x(r) - left).toFixed(1)}" height="${bar}" fill="${COLOURS[i.id] ?? '#888'}"${est ? ' fill-opacity="0.55"' : ''}><title>${esc(`${i.label}, ${g.name}: ${fmtRatio(r)}${est ? ' (estimated)' : ''}`)}</title></rect>`,
        `<text x="${(x(r) + 4).toFixed(1)}" y="${y + bar - 2}" fill="#222">${fmtRatio(r)}${est ? ' est.' : ''}</text>`,
      );
    });
  });
  out.push(
    `<text x="${width / 2}" y="${height - 6}" text-anchor="middle" fill="#444">median wall time ÷ median wall time of the JavaScript version</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// docs/performance.md

/** What each CPU variant does differently, where a dialect lacks something. */
const VARIANT_NOTES = [
  'The `.bas` files are GW-BASIC with line numbers, run by bwBASIC and PC-BASIC: variables are doubles (`DEFDBL`) but for the `FOR` counters `I` and `J`, which GW-BASIC wants in single precision (a double copy does the arithmetic where a product could pass 2^24). `MOD` works on 16-bit integers, so `X - INT(X / M) * M` stands for it; arrays carry a type suffix (`A#()`, `F!()`) because bwBASIC refuses `DIM` of a name typed by `DEFDBL`.',
  'fib: GW-BASIC has no functions with parameters that can recurse, so `fib.bas` makes one `GOSUB` per call with its argument and partial result on explicit stacks (the same calls, the same order). The other variants use their own recursive procedure or function: AOZ `Procedure FIB[N]` ... `End Proc[FIB[N - 1] + FIB[N - 2]]`, yabasic `sub`, BBC BASIC `DEF FN`.',
  'sieve: BBC BASIC keeps the flags in a byte block (`DIM F% N%`, `F%?I%`); the others in an array.',
  'strings: yabasic and BBC BASIC have no space before a positive number in `STR$`, so their variants add it, and yabasic formats with `str$(i, "%1.0f")` (plain `str$` writes 1.2e+06): every variant hashes the same text.',
  'PC-BASIC pauses between statements to stay responsive (its wall time is about twice its CPU time); like every other cell, its times are wall times.',
  'Brandy is the SDL build of Matrix Brandy: it runs with `SDL_VIDEODRIVER=dummy` (no window, no terminal escapes) and its programs print with `SYS "OS_Write0", text, 42, 42`, which Matrix Brandy sends to the terminal (stderr) instead of its screen.',
];

export function writeDoc(s) {
  writeFileSync(join(ROOT, 'docs/performance.svg'), svgChart(s));
  writeFileSync(join(ROOT, 'docs/performance.md'), markdown(s));
}

/** A Markdown table; `align` has one letter per column, l or r (default: the first l, the rest r). */
function mdTable(head, rows, align = `l${'r'.repeat(head.length - 1)}`) {
  const rule = head.map((_, i) => (align[i] === 'r' ? '---:' : '---')).join('|');
  return [`| ${head.join(' | ')} |`, `|${rule}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function markdown(s) {
  const { meta, results } = s;
  const { impls, skipped } = results;
  const L = [];
  L.push(
    '<!-- Generated by `npm run bench` (scripts/bench.mjs): do not edit by hand, run the bench again. -->',
    '# Performance',
    '',
    'How fast aozrun runs BASIC: the same programs written in AOZ, by hand in JavaScript (run by the',
    'same node), and in the dialects of the BASIC interpreters that Debian packages (yabasic, Matrix',
    'Brandy, bwBASIC, PC-BASIC). `npm run bench` runs them all, checks that every variant of a program',
    'prints the same checksum (a mismatch fails the bench), and writes this page and',
    '[performance.svg](performance.svg).',
    '',
    '## The machine and the versions',
    '',
    `- Date: ${meta.date}`,
    `- CPU: ${meta.cpu}, ${meta.cores} cores; RAM: ${meta.ramGiB.toFixed(1)} GiB; load average when the bench started: ${results.loadAverage.toFixed(2)}`,
    `- OS: ${meta.os}`,
    `- node ${meta.versions.node}; aozrun ${meta.versions.aozrun}`,
    `- ${['yabasic', 'brandy', 'bwbasic', 'pcbasic']
      .filter((id) => meta.versions[id])
      .map((id) => `${id} ${meta.versions[id]}`)
      .join('; ')} (Debian packages)`,
    `- ${results.rounds} timed round${results.rounds > 1 ? 's' : ''}${results.warmup ? ` after ${results.warmup} warm-up round` : ' (no warm-up)'}; medians`,
    '',
  );
  if (skipped.length > 0) {
    L.push(
      `Not installed, so not compared: ${skipped.map((x) => `${x.label} (${x.reason})`).join(', ')}.`,
      '',
    );
  }

  L.push(
    '## Goals',
    '',
    mdTable(
      ['Goal', 'Measured', 'Result'],
      s.goals.map((g) => [g.goal, g.measured, `**${metLabel(g.met)}**`]),
      'lll',
    ),
    '',
  );

  if (s.cpu.length > 0) {
    const slow = impls.filter((i) => i.slow);
    L.push(
      '## CPU benchmarks',
      '',
      'Each program prints one checksum line, the same in every language. The sizes are set on the',
      'first line of each file (`N = ...`).',
      '',
      mdTable(
        ['Benchmark', 'What it does', 'N'],
        s.cpu.map((row) => [
          `[${row.bench.name}](../bench/${row.bench.name}.aoz)`,
          row.bench.title,
          row.bench.size.toLocaleString('en'),
        ]),
        'llr',
      ),
      '',
      '### Median wall time (ratio to JavaScript)',
      '',
      mdTable(
        ['Benchmark', ...impls.map((i) => i.label + (i.slow ? ' (est.)' : ''))],
        [
          ...s.cpu.map((row) => [
            row.bench.name,
            ...impls.map((i) => {
              const c = row.cells[i.id];
              if (c.failed) return 'failed';
              if (c.ms === undefined) return 'n/a';
              return `${c.estimated ? '≈' : ''}${fmtMs(c.ms)} (${fmtRatio(c.vsJs)})`;
            }),
          ]),
          [
            'geometric mean of the ratios',
            ...impls.map((i) => (s.geo[i.id] === undefined ? '–' : `${fmtRatio(s.geo[i.id])}`)),
          ],
        ],
      ),
      '',
      '![Time relative to JavaScript, per benchmark and implementation](performance.svg)',
      '',
      '### Compared with aozrun (time of each ÷ time of aozrun; above 1 means aozrun is faster)',
      '',
      mdTable(
        [
          'Benchmark',
          ...impls.filter((i) => i.id !== 'aozrun').map((i) => i.label + (i.slow ? ' (est.)' : '')),
        ],
        s.cpu.map((row) => [
          row.bench.name,
          ...impls.filter((i) => i.id !== 'aozrun').map((i) => fmtRatio(row.cells[i.id]?.vsAozrun)),
        ]),
      ),
      '',
    );
    if (slow.length > 0) {
      L.push(
        `${slow.map((i) => i.label).join(' and ')} take minutes to hours at the full sizes, so they run at reduced`,
        "sizes (their checksums checked against the JavaScript variant's at the same size), and their",
        'times are scaled up: start-up (their hello world) plus the rest multiplied by the ratio of the',
        'work (N for loops, float, strings; N² for the insertion sort; the number of calls for fib;',
        'N·ln ln N for the sieve). Those cells are estimates (≈):',
        '',
        mdTable(
          ['Benchmark', ...slow.map((i) => `${i.label}: N, measured`)],
          s.cpu.map((row) => [
            row.bench.name,
            ...slow.map((i) => {
              const c = row.cells[i.id];
              return c.measuredMs === undefined
                ? 'n/a'
                : `${c.size.toLocaleString('en')}, ${fmtMs(c.measuredMs)}`;
            }),
          ]),
        ),
        '',
      );
    }
    L.push('Notes on the variants:', '', ...VARIANT_NOTES.map((n) => `- ${n}`), '');
  }

  if (s.startup.length > 0) {
    L.push(
      '## Start-up',
      '',
      "A hello world, from spawn to exit. aozrun runs samples/basics/hello.aoz through the shipped command (`bin/aozrun`); `node -e 0` is node's own floor; the other interpreters print one line (bench/hello.*), for information.",
      '',
      mdTable(
        ['Program', 'Median', 'Ratio to `node -e 0`', 'Peak RSS'],
        s.startup.map((x) => [`\`${x.label}\``, fmtMs(x.ms), fmtRatio(x.vsNode), fmtMB(x.rssKB)]),
      ),
      '',
    );
  }

  if (s.net.length > 0) {
    L.push(
      '## Network',
      '',
      'A local server (node http + ws, in a child process of the bench: bench/net/server.mjs) on',
      '127.0.0.1. The AOZ clients (bench/net/*.aoz) run with `--map http://bench.test=http://127.0.0.1:PORT`',
      '(and the same for ws://); the JavaScript clients (bench/net/*.js) use undici and ws directly.',
      'Each client times its own loop (`Timer` in AOZ, `performance.now()` in JavaScript) and prints',
      'it, so start-up and connecting are not counted; both print a checksum of what they received.',
      '',
      mdTable(
        ['Case', 'N', 'aozrun', 'plain JavaScript', 'aozrun ÷ JavaScript (rate)'],
        s.net
          .filter((row) => !row.case.latency)
          .map((row) => {
            const a = row.clients.aozrun;
            const j = row.clients.js;
            const rate = (c) =>
              c?.failed
                ? 'failed'
                : c?.rate === undefined
                  ? '–'
                  : `${c.rate.toFixed(0)} ${row.case.unit}/s (${fmtMs(c.ms)})`;
            return [
              row.case.title,
              row.case.size.toLocaleString('en'),
              rate(a),
              rate(j),
              row.ratio === undefined ? '–' : `${(row.ratio * 100).toFixed(0)}%`,
            ];
          }),
      ),
      '',
      '- http: `Call Service "get", ...` waiting for each reply (the AOZ default) and its procedure',
      '  adding up the body, against `await request(...)` + `await body.text()` with undici.',
      '- ws-echo: `WebSocket Send Message`, then `Repeat : Until WebSocket Is Message(1)` and',
      '  `WebSocket Message$(1)`, against a ws client awaiting each echo.',
      '- ws-flood: after "go" the server sends N short messages as fast as the socket takes them; in',
      '  AOZ each reaches the procedure named by `WebSocket On Message`.',
      '',
    );
    const lat = s.net.find((row) => row.case.latency);
    if (lat) {
      const line = (c) =>
        c?.p99 === undefined
          ? ['–', '–', '–', '0']
          : [`${c.p50.toFixed(2)} ms`, `${c.p99.toFixed(2)} ms`, `${c.max.toFixed(2)} ms`, String(c.count)];
      L.push(
        '### Event latency during a busy loop',
        '',
        'The server sends a numbered message every 10 ms while the AOZ program runs a busy loop',
        '(`Repeat : A = A + 1 : ... : Until K = N`, bench/net/ws-latency.aoz); the procedure named by',
        '`WebSocket On Message` sends each message straight back, and the server measures, on its own',
        'clock, the time from sending a message to receiving its reply. That is the time the message',
        'waited for its procedure plus two trips over loopback; the idle ws client shows that floor.',
        '',
        mdTable(
          ['Client', 'p50', 'p99', 'max', 'messages'],
          [
            ['aozrun, busy loop', ...line(lat.clients.aozrun)],
            ['plain ws client, idle', ...line(lat.clients.js)],
          ],
        ),
        '',
      );
    }
  }

  if (s.cpu.length > 0 || s.memory.length > 0) {
    L.push('## Memory', '', 'Peak resident set size (`/usr/bin/time -f %M`), median of the rounds.', '');
    const hello = s.startup.find((x) => x.id === 'aozrun');
    if (hello)
      L.push(
        `Hello world (aozrun): ${fmtMB(hello.rssKB)}; \`node -e 0\`: ${fmtMB(s.startup.find((x) => x.id === 'node')?.rssKB)}.`,
        '',
      );
    if (s.cpu.length > 0) {
      L.push(
        mdTable(
          ['Benchmark', ...impls.map((i) => i.label + (i.slow ? ' (reduced N)' : ''))],
          s.cpu.map((row) => [row.bench.name, ...impls.map((i) => fmtMB(row.cells[i.id]?.rssKB))]),
        ),
        '',
      );
    }
    if (s.memory.length > 0) {
      L.push(
        'A loop that allocates nothing (bench/memory.aoz: three integer assignments and a `Next`), run',
        'for 1,000,000 and for 10,000,000 statements: if the interpreter kept anything per statement, the',
        'second would need more memory. test/bench/memory.test.ts checks the same inside the interpreter:',
        'the heap after a garbage collection at 100,000 statements and at 1,000,000.',
        '',
        mdTable(
          ['Statements', 'Peak RSS'],
          s.memory.map((m) => [m.statements.toLocaleString('en'), fmtMB(m.rssKB)]),
        ),
        '',
      );
    }
  }

  L.push(
    '## How it is measured',
    '',
    '- Every run is a new process, spawned by scripts/bench.mjs with an empty stdin; its wall time is',
    '  measured from spawn to exit, so each interpreter pays its own start-up (compare the start-up',
    '  table). aozrun is run through the shipped command, `bin/aozrun`, once with its default tier and',
    '  once with `AOZRUN_JIT=never` (the interpreter alone).',
    '- Rounds are interleaved: each round runs every benchmark on every implementation once, so a',
    '  slower moment of the machine hits all alike. The first round is a warm-up (the file cache) and',
    '  is not counted; the tables show medians.',
    '- Every run must print the checksum of the JavaScript variant at the same size, or the bench',
    '  fails and this page is not written.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm ci                 # builds dist/ too',
    'npm run bench          # all of it; writes this page and performance.svg',
    'node scripts/bench.mjs --only fib,sieve --rounds 3   # some of it (prints, writes nothing)',
    'node scripts/bench.mjs --quick --no-doc               # one round, no warm-up',
    '```',
    '',
    'The interpreters compared are Debian packages: `apt-get install yabasic brandy bwbasic',
    'python3-pcbasic`; a missing one is left out (and said so). `/usr/bin/time` (package `time`) gives',
    'the memory figures.',
    '',
  );
  return L.join('\n');
}
