// Measures start-up: wall time of `node -e 0` and of aozrun running a one-Print program, each
// variant run interleaved (so drifts of the machine hit all alike), median and quartiles.
// Usage: node scripts/measure-startup.mjs [runs=30] [-- extra variants as "name=cmd arg arg"]
// Not a test: timings depend on the machine (npm run bench is the full suite).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hello = join(root, 'samples/basics/hello.aoz');
const args = process.argv.slice(2);
const runs = Number(args[0] ?? 30);
const variants = [
  ['node -e 0', [process.execPath, '-e', '0']],
  ['node bin/aozrun.js hello', [process.execPath, join(root, 'bin/aozrun.js'), hello]],
];
if (existsSync(join(root, 'bin/aozrun'))) {
  // Which way the launcher goes (the start-up snapshot, or bin/aozrun.js when it cannot use it).
  const trace = spawnSync('sh', ['-x', join(root, 'bin/aozrun'), '--version'], { encoding: 'utf8' }).stderr;
  const how = /exec \S*node --snapshot-blob /.test(trace) ? 'snapshot' : 'fallback';
  variants.push([`bin/aozrun hello (${how})`, [join(root, 'bin/aozrun'), hello]]);
}
for (const extra of args.slice(1)) {
  const eq = extra.indexOf('=');
  variants.push([extra.slice(0, eq), extra.slice(eq + 1).split(' ')]);
}
const times = variants.map(() => []);
for (let i = 0; i < runs + 3; i++) {
  variants.forEach(([name, [cmd, ...rest]], v) => {
    const t0 = performance.now();
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    const t = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`);
    if (i >= 3) times[v].push(t); // the first runs warm the file cache
  });
}
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const base = q(times[0], 0.5);
for (const [v, [name]] of variants.entries()) {
  const m = q(times[v], 0.5);
  console.log(
    `${name.padEnd(28)} median ${m.toFixed(1).padStart(6)} ms  (p25 ${q(times[v], 0.25).toFixed(1)}, p75 ${q(times[v], 0.75).toFixed(1)})  ${(m / base).toFixed(2)}x`,
  );
}
