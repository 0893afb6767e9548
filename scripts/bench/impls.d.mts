// Types of impls.mjs, for the tests (test/bench/).
export interface Implementation {
  readonly id: string;
  readonly label: string;
  readonly ext: string;
  readonly command: (file: string) => string[];
  readonly env?: () => NodeJS.ProcessEnv;
  readonly binary?: string;
  readonly pkg?: string;
  readonly slow?: boolean;
}
export const ROOT: string;
export const IMPLEMENTATIONS: readonly Implementation[];
export function aozrunCommand(): string[];
export function available(impl: Implementation): boolean;
export function plain(text: string): string;
export function checksumOf(output: string): { value?: string; error?: string };
export function elapsedOf(output: string): number | undefined;
