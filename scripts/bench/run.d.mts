// Types of run.mjs, for the tests (test/bench/).
export interface Ran {
  readonly ms: number;
  readonly rssKB: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}
export const hasGnuTime: boolean;
export function runOnce(
  argv: readonly string[],
  options?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<Ran>;
export function median(xs: readonly (number | undefined)[]): number | undefined;
export function geomean(xs: readonly number[]): number | undefined;
export function percentile(xs: readonly number[], p: number): number | undefined;
