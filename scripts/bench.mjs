#!/usr/bin/env node
// npm run bench: aozrun against hand-written JavaScript and other BASIC interpreters.
//
//   node scripts/bench.mjs [--rounds N] [--only NAME,...] [--quick] [--no-doc]
//
// CPU benchmarks (bench/NAME.*), start-up (hello world), the network cases (bench/net/) and
// memory. Every run's checksum is checked against the JavaScript variant's at the same size; a
// mismatch or a failed run makes the bench fail (exit 1) and leaves the document alone. Runs are
// interleaved (each round runs every benchmark on every implementation once) after a warm-up
// round, so drift of the machine hits all alike; the medians are reported with ratios, and
// docs/performance.md and docs/performance.svg are written from them.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { available, checksumOf, IMPLEMENTATIONS, ROOT } from './bench/impls.mjs';
import { NET_CASES, netClients, runNetClient, startServer } from './bench/net.mjs';
import { BENCHMARKS, programAt } from './bench/programs.mjs';
import { collectMeta, summarise, textReport, writeDoc } from './bench/report.mjs';
import { hasGnuTime, runOnce } from './bench/run.mjs';

const USAGE = `usage: node scripts/bench.mjs [--rounds N] [--only NAME,...] [--quick] [--no-doc]
  --rounds N   timed rounds after one warm-up round (default 5)
  --quick      one round, no warm-up (a smoke run)
  --only LIST  some of: ${[...BENCHMARKS.map((b) => b.name), 'startup', ...NET_CASES.map((c) => c.name), 'net', 'memory'].join(', ')}
               (the document is then not written)
  --no-doc     do not write docs/performance.md and docs/performance.svg`;

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const rounds = opts.quick ? 1 : Number(opts.rounds ?? 5);
const warmup = opts.quick ? 0 : 1;
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds wants a whole number >= 1\n${USAGE}`);
  process.exit(64);
}
const only = opts.only ? new Set(opts.only.split(',').map((s) => s.trim())) : undefined;
if (only?.has('net')) for (const c of NET_CASES) only.add(c.name);
const known = new Set([
  ...BENCHMARKS.map((b) => b.name),
  'startup',
  'memory',
  'net',
  ...NET_CASES.map((c) => c.name),
]);
for (const name of only ?? []) {
  if (!known.has(name)) {
    console.error(`unknown benchmark "${name}"\n${USAGE}`);
    process.exit(64);
  }
}
const wanted = (name) => !only || only.has(name);
const writeTheDoc = !opts['no-doc'] && !only;

if (!existsSync(join(ROOT, 'dist/aozrun.js'))) {
  console.error('aozrun is not built: run `npm run build` first');
  process.exit(1);
}
/** The build under test: the files of dist/ with their sizes and times (a rebuild changes it). */
const buildStamp = () =>
  readdirSync(join(ROOT, 'dist'), { recursive: true })
    .sort()
    .map((f) => {
      const st = statSync(join(ROOT, 'dist', f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    })
    .join('\n');
const buildAtStart = buildStamp();

const log = (s) => process.stderr.write(`${s}\n`);
const failures = [];
const fail = (what, why) => {
  failures.push(`${what}: ${why}`);
  log(`FAILED ${what}: ${why}`);
};

const impls = IMPLEMENTATIONS.filter(available);
const skipped = IMPLEMENTATIONS.filter((i) => !available(i)).map((i) => ({
  ...i,
  reason: `${i.binary} is not installed`,
}));
for (const s of skipped) log(`skipping ${s.label}: ${s.reason}`);
if (!hasGnuTime) log('/usr/bin/time is missing: no peak memory figures');

const benchmarks = BENCHMARKS.filter((b) => wanted(b.name));
const netCases = NET_CASES.filter((c) => wanted(c.name));
const sizeFor = (b, impl) => (impl.slow ? b.reduced[impl.id] : b.size);

// The checksum every variant must print: the JavaScript variant's at the same size.
const expected = new Map();
async function expectedChecksum(b, size) {
  const key = `${b.name}@${size}`;
  if (!expected.has(key)) {
    const r = await runOnce([process.execPath, programAt(b.name, 'js', size)]);
    const sum = checksumOf(r.stdout);
    if (r.code !== 0 || sum.error) throw new Error(`bench/${b.name}.js at ${size} failed: ${r.stderr}`);
    expected.set(key, sum.value);
  }
  return expected.get(key);
}

const results = {
  // Other work on the machine (1-minute load average) makes every figure noisier.
  loadAverage: loadavg()[0],
  rounds,
  warmup,
  impls,
  skipped,
  cpu: Object.fromEntries(
    benchmarks.map((b) => [b.name, Object.fromEntries(impls.map((i) => [i.id, cell()]))]),
  ),
  startup: {},
  net: {},
  memory: {},
  failures,
};
function cell() {
  return { times: [], rss: [], failed: false };
}
// The machine, the versions and the commit, taken before the runs.
const meta = collectMeta(results);

// Start-up: hello world in each implementation; node -e 0 is the floor aozrun is measured against.
// Run with the CPU benchmarks too: the slow interpreters' estimates subtract their start-up.
const AOZRUN = IMPLEMENTATIONS.find((i) => i.id === 'aozrun');
const hello = [
  {
    id: 'aozrun',
    label: 'aozrun samples/basics/hello.aoz',
    argv: () => AOZRUN.command(join(ROOT, 'samples/basics/hello.aoz')),
    env: AOZRUN.env,
  },
  { id: 'node', label: 'node -e 0', argv: () => [process.execPath, '-e', '0'] },
  ...impls
    .filter((i) => i.binary)
    .map((i) => ({
      id: i.id,
      label: `${i.label} bench/hello.${i.ext}`,
      argv: () => i.command(join(ROOT, `bench/hello.${i.ext}`)),
      env: i.env,
    })),
];
const HELLO_REPEAT = 3;
if (wanted('startup') || benchmarks.length > 0)
  for (const h of hello) results.startup[h.id] = { label: h.label, ...cell() };

// Memory: the same loop that allocates nothing, 1,000,000 and 10,000,000 statements.
const MEMORY_SIZES = [1_000_000, 10_000_000];
if (wanted('memory')) for (const n of MEMORY_SIZES) results.memory[n] = cell();

let server;
if (netCases.length > 0) {
  server = await startServer();
  for (const c of netCases) {
    results.net[c.name] = Object.fromEntries(
      netClients(c, server.port).map((cl) => [cl.id, { label: cl.label, ...cell(), samples: [] }]),
    );
  }
}

try {
  for (let round = 1 - warmup; round <= rounds; round++) {
    const counted = round >= 1;
    log(counted ? `round ${round}/${rounds}` : 'warm-up round');

    for (const h of hello.filter((h) => results.startup[h.id])) {
      for (let k = 0; k < HELLO_REPEAT; k++) {
        const r = await runOnce(h.argv(), { env: h.env?.() ?? process.env, cwd: ROOT, timeoutMs: 60_000 });
        if (r.code !== 0)
          fail(`start-up ${h.label}`, `exit ${r.code ?? r.signal}: ${r.stderr.trim().slice(0, 200)}`);
        else if (counted) {
          results.startup[h.id].times.push(r.ms);
          results.startup[h.id].rss.push(r.rssKB);
        }
      }
    }

    for (const b of benchmarks) {
      for (const impl of impls) {
        const c = results.cpu[b.name][impl.id];
        if (c.failed) continue;
        const size = sizeFor(b, impl);
        const want = await expectedChecksum(b, size);
        const r = await runOnce(impl.command(programAt(b.name, impl.ext, size)), {
          env: impl.env?.() ?? process.env,
          cwd: ROOT,
          timeoutMs: 180_000,
        });
        const got = checksumOf(`${r.stdout}\n${r.stderr}`);
        if (r.code !== 0 || got.error || got.value !== want) {
          c.failed = true;
          fail(
            `${b.name} on ${impl.label} (N = ${size})`,
            r.code !== 0
              ? `exit ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim().slice(0, 300)}`
              : `printed "${got.value ?? got.error}", expected "${want}"`,
          );
        } else if (counted) {
          c.times.push(r.ms);
          c.rss.push(r.rssKB);
        }
      }
    }

    for (const c of netCases) {
      const cells = results.net[c.name];
      const sums = {};
      for (const client of netClients(c, server.port)) {
        if (cells[client.id].failed) continue;
        const r = await runNetClient(c, client, server, c.size);
        sums[client.id] = r.checksum;
        if (r.error) {
          cells[client.id].failed = true;
          fail(`${c.name} with ${client.label}`, r.error);
        } else if (counted) {
          if (r.ms !== undefined) cells[client.id].times.push(r.ms);
          if (r.samples) cells[client.id].samples.push(...r.samples);
          cells[client.id].rss.push(r.rssKB);
        }
      }
      if (sums.aozrun && sums.js && sums.aozrun !== sums.js) {
        cells.aozrun.failed = true;
        fail(`${c.name} with aozrun`, `printed "${sums.aozrun}", the JavaScript client "${sums.js}"`);
      }
    }

    for (const n of Object.keys(results.memory)) {
      const r = await runOnce(AOZRUN.command(programAt('memory', 'aoz', Number(n))), {
        env: AOZRUN.env(),
        cwd: ROOT,
      });
      const want = `checksum ${Number(n) / 4 + 1}`;
      const got = checksumOf(r.stdout);
      if (r.code !== 0 || got.value !== want) fail(`memory loop of ${n} statements`, got.value ?? got.error);
      else if (counted) results.memory[n].rss.push(r.rssKB);
    }
  }
} finally {
  server?.close();
  rmSync(join(tmpdir(), `aozrun-bench-${process.pid}`), { recursive: true, force: true });
}

if (buildStamp() !== buildAtStart) {
  fail('dist/', 'aozrun was rebuilt while the bench ran, so the figures mix two builds: run it again');
}
const summary = summarise(results, { benchmarks, netCases, meta });
process.stdout.write(textReport(summary));
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n${failures.map((f) => `  ${f}`).join('\n')}`);
  console.error('docs/performance.md was not written.');
  process.exit(1);
}
if (writeTheDoc) {
  writeDoc(summary);
  log('wrote docs/performance.md and docs/performance.svg');
}
