// The CPU benchmarks: bench/NAME.{aoz,js,yab,bbc,bas}. Every variant sets its size on its first
// line (`N = 5000`, `const N = 5000;`, `N% = 5000`, `10 DEFDBL ... : N = 5000`) and prints one
// line `checksum ...`, which must be the same for every variant at the same size.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const BENCH_DIR = new URL('../../bench/', import.meta.url).pathname;

/** Calls made by the naive Fibonacci of n. */
const fibCalls = (n) => {
  let [a, b] = [0, 1];
  for (let i = 0; i < n + 1; i++) [a, b] = [b, a + b];
  return 2 * a - 1;
};

/**
 * name, what it measures, the full size, a small size for the checksum test, the sizes at which
 * the very slow interpreters run (see SLOW in impls.mjs), and the work done at a size (to scale
 * their times up to the full size).
 */
export const BENCHMARKS = [
  {
    name: 'loops',
    title: 'loops and integer arithmetic',
    size: 15_000_000,
    testSize: 300,
    reduced: { bwbasic: 40_000, pcbasic: 700 },
    work: (n) => n,
  },
  {
    name: 'float',
    title: 'float maths (Sqr, Sin)',
    size: 5_000_000,
    testSize: 500,
    reduced: { bwbasic: 100_000, pcbasic: 1_500 },
    work: (n) => n,
  },
  {
    name: 'strings',
    title: 'string functions',
    size: 1_200_000,
    testSize: 300,
    reduced: { bwbasic: 40_000, pcbasic: 800 },
    work: (n) => n,
  },
  {
    name: 'sort',
    title: 'array sorting (insertion sort)',
    size: 7_000,
    testSize: 40,
    reduced: { bwbasic: 600, pcbasic: 80 },
    work: (n) => n * n,
  },
  {
    name: 'fib',
    title: 'recursive procedures (Fibonacci)',
    size: 32,
    testSize: 10,
    reduced: { bwbasic: 22, pcbasic: 12 },
    work: fibCalls,
  },
  {
    name: 'sieve',
    title: 'sieve of Eratosthenes',
    size: 5_000_000,
    testSize: 500,
    reduced: { bwbasic: 100_000, pcbasic: 1_000 },
    work: (n) => n * Math.log(Math.log(n)),
  },
];

const SIZE_LINE = /^(.*?\b[Nn]%?\s*=\s*)\d+/;

/**
 * The path of bench/NAME.EXT at `size`: the file itself at its own size, else a copy with the
 * first line changed, in a temporary directory (same base name, so messages read the same).
 */
export function programAt(name, ext, size) {
  const file = join(BENCH_DIR, `${name}.${ext}`);
  const text = readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const first = text.slice(0, nl);
  const m = SIZE_LINE.exec(first);
  if (!m) throw new Error(`${file}: the first line does not set N`);
  if (Number(first.slice(m[1].length, m[0].length)) === size) return file;
  const dir = join(tmpdir(), `aozrun-bench-${process.pid}`, `${size}`);
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, basename(file));
  writeFileSync(copy, `${m[1]}${size}${first.slice(m[0].length)}${text.slice(nl)}`);
  return copy;
}

/** The size written in bench/NAME.EXT. */
export function sizeIn(name, ext) {
  const first = readFileSync(join(BENCH_DIR, `${name}.${ext}`), 'utf8').split('\n')[0];
  const m = SIZE_LINE.exec(first);
  return m ? Number(first.slice(m[1].length, m[0].length)) : undefined;
}
