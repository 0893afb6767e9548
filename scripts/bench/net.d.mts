// Types of net.mjs, for the tests (test/bench/).
export interface NetCase {
  readonly name: string;
  readonly title: string;
  readonly size: number;
  readonly unit: string;
  readonly latency?: boolean;
}
export interface NetServer {
  readonly port: number;
  nextLatency(): Promise<{ samples: number[]; missing: number } | undefined>;
  close(): void;
}
export interface NetClient {
  readonly id: string;
  readonly label: string;
}
export interface NetRun {
  readonly ms?: number;
  readonly rssKB?: number;
  readonly checksum?: string;
  readonly samples?: number[];
  readonly error?: string;
}
export const NET_CASES: readonly NetCase[];
export function fileOf(c: NetCase): string;
export function startServer(): Promise<NetServer>;
export function netClients(c: NetCase, port: number): NetClient[];
export function runNetClient(c: NetCase, client: NetClient, server: NetServer, size: number): Promise<NetRun>;
