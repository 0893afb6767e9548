// Types of programs.mjs, for the tests (test/bench/).
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  readonly size: number;
  readonly testSize: number;
  readonly reduced: Readonly<Record<string, number>>;
  readonly work: (n: number) => number;
}
export const BENCH_DIR: string;
export const BENCHMARKS: readonly Benchmark[];
export function programAt(name: string, ext: string, size: number): string;
export function sizeIn(name: string, ext: string): number | undefined;
