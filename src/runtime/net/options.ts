/**
 * The network flags of the command line and their conversion to NetOptions: times are given in
 * seconds, sizes in MB (MiB), converted here. The CLI declares each flag of NET_FLAGS and passes
 * `netOptionsFromFlags(flags)` to the Session.
 *
 * `--allow-net`, `--deny-net` and `--trace-net` take their value only after `=` (as in Deno), so
 * `aozrun --deny-net prog.aoz` never reads the program's name as a host or a trace file:
 * `normaliseNetArgv` turns the bare flags into `--allow-net=*`, `--deny-net=*`, `--trace-net=-`.
 */
import type { NetOptions } from './net.js';
import { parseNetList } from './policy.js';

/** The parsed network flags (commander's camel-case names). */
export interface NetFlags {
  connectTimeout?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
  requestTimeout?: number;
  maxResponse?: number;
  maxRedirects?: number;
  maxConnections?: number;
  maxQueuedRequests?: number;
  wsHandshakeTimeout?: number;
  wsMaxMessage?: number;
  wsMaxQueue?: number;
  wsHeartbeat?: number;
  wsSendHighWater?: number;
  /** Entries; `*` (the bare flag) means every host. */
  allowNet?: string[] | true;
  /** Entries; `*` (the bare flag) means every host. */
  denyNet?: string[] | true;
  /** `-` (the bare flag): stderr; otherwise a file name. */
  traceNet?: string | true;
}

/** One flag: commander's flags string, its help, and the parser of its value (throws Error). */
export interface NetFlagSpec {
  readonly flags: string;
  readonly description: string;
  readonly parse: (value: string, previous: unknown) => unknown;
}

function number(value: string, what: string, min: number, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`expected ${what}`);
  }
  return n;
}

const positiveSeconds = (v: string): number => {
  const n = number(v, 'a number of seconds > 0', 0, false);
  if (n === 0) throw new Error('expected a number of seconds > 0');
  return n;
};
const secondsOrZero = (v: string): number => number(v, 'a number of seconds (0 turns it off)', 0, false);
const positiveMegabytes = (v: string): number => {
  const n = number(v, 'a number of MB > 0', 0, false);
  if (n === 0) throw new Error('expected a number of MB > 0');
  return n;
};
const positiveInteger = (v: string): number => number(v, 'a whole number > 0', 1, true);
const wholeNumber = (v: string): number => number(v, 'a whole number >= 0', 0, true);

function hostList(value: string, previous: unknown): string[] {
  const before = Array.isArray(previous) ? (previous as string[]) : [];
  if (value.trim() === '*') return [...before, '*'];
  return [...before, ...parseNetList(value)];
}

export const NET_FLAGS: readonly NetFlagSpec[] = [
  {
    flags: '--connect-timeout <seconds>',
    description: 'time to establish a connection (default 10)',
    parse: positiveSeconds,
  },
  {
    flags: '--headers-timeout <seconds>',
    description: 'time for the response headers to arrive (default 30)',
    parse: positiveSeconds,
  },
  {
    flags: '--body-timeout <seconds>',
    description: 'longest silence while a response body arrives (default 30)',
    parse: positiveSeconds,
  },
  {
    flags: '--request-timeout <seconds>',
    description: 'deadline of a whole request, redirects included (default 60)',
    parse: positiveSeconds,
  },
  {
    flags: '--max-response <MB>',
    description: 'largest response body, after decompression (default 16)',
    parse: positiveMegabytes,
  },
  {
    flags: '--max-redirects <n>',
    description: 'redirects followed before a REDIRECT error; 0 follows none (default 5)',
    parse: wholeNumber,
  },
  {
    flags: '--max-connections <n>',
    description: 'simultaneous connections to one origin (default 8)',
    parse: positiveInteger,
  },
  {
    flags: '--max-queued-requests <n>',
    description: 'requests waiting for a connection per origin; beyond, Call Service waits (default 256)',
    parse: wholeNumber,
  },
  {
    flags: '--ws-handshake-timeout <seconds>',
    description: 'time for a WebSocket upgrade to be answered (default 10)',
    parse: positiveSeconds,
  },
  {
    flags: '--ws-max-message <MB>',
    description: 'largest WebSocket message received or sent (default 16)',
    parse: positiveMegabytes,
  },
  {
    flags: '--ws-max-queue <n>',
    description: 'unread messages kept per WebSocket channel (default 10000)',
    parse: positiveInteger,
  },
  {
    flags: '--ws-heartbeat <seconds>',
    description:
      'WebSocket ping interval; no pong before the next ping drops the connection; 0: off (default 30)',
    parse: secondsOrZero,
  },
  {
    flags: '--ws-send-high-water <MB>',
    description: 'WebSocket Send Message waits while more than this waits to be sent (default 1)',
    parse: positiveMegabytes,
  },
  {
    flags: '--allow-net [hosts]',
    description: 'allow network access only to these hosts: --allow-net=host[:port],... (repeatable)',
    parse: hostList,
  },
  {
    flags: '--deny-net [hosts]',
    description: 'block these hosts (--deny-net=host[:port],...), or every host (--deny-net alone)',
    parse: hostList,
  },
  {
    flags: '--trace-net [file]',
    description: 'print one line per network event on stderr, or into a file (--trace-net=FILE)',
    parse: (v: string) => {
      if (v === '') throw new Error('expected --trace-net or --trace-net=FILE');
      return v;
    },
  },
];

/** Bare `--allow-net`, `--deny-net`, `--trace-net` (before any `--`) get their explicit value. */
export function normaliseNetArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let options = true;
  for (const arg of argv) {
    if (arg === '--') options = false;
    if (options && arg === '--allow-net') out.push('--allow-net=*');
    else if (options && arg === '--deny-net') out.push('--deny-net=*');
    else if (options && arg === '--trace-net') out.push('--trace-net=-');
    else out.push(arg);
  }
  return out;
}

const MB = 1024 * 1024;

/** NetOptions from the parsed flags (the `maps` and the trace sink are the CLI's). */
export function netOptionsFromFlags(flags: NetFlags): Partial<NetOptions> {
  const out: { -readonly [K in keyof NetOptions]?: NetOptions[K] } = {};
  const ms = (s: number): number => Math.round(s * 1000);
  const bytes = (mb: number): number => Math.max(1, Math.round(mb * MB));
  if (flags.connectTimeout !== undefined) out.connectTimeoutMs = ms(flags.connectTimeout);
  if (flags.headersTimeout !== undefined) out.headersTimeoutMs = ms(flags.headersTimeout);
  if (flags.bodyTimeout !== undefined) out.bodyTimeoutMs = ms(flags.bodyTimeout);
  if (flags.requestTimeout !== undefined) out.requestDeadlineMs = ms(flags.requestTimeout);
  if (flags.maxResponse !== undefined) out.maxResponseBytes = bytes(flags.maxResponse);
  if (flags.maxRedirects !== undefined) out.maxRedirects = flags.maxRedirects;
  if (flags.maxConnections !== undefined) out.maxConnectionsPerOrigin = flags.maxConnections;
  if (flags.maxQueuedRequests !== undefined) out.maxQueuedRequests = flags.maxQueuedRequests;
  if (flags.wsHandshakeTimeout !== undefined) out.wsHandshakeTimeoutMs = ms(flags.wsHandshakeTimeout);
  if (flags.wsMaxMessage !== undefined) out.wsMaxMessageBytes = bytes(flags.wsMaxMessage);
  if (flags.wsMaxQueue !== undefined) out.wsMaxQueuedMessages = flags.wsMaxQueue;
  if (flags.wsHeartbeat !== undefined) out.wsHeartbeatMs = ms(flags.wsHeartbeat);
  if (flags.wsSendHighWater !== undefined) out.wsSendHighWaterBytes = bytes(flags.wsSendHighWater);
  const allow = listOf(flags.allowNet);
  if (allow !== undefined && !allow.includes('*')) out.allowNet = allow;
  const deny = listOf(flags.denyNet);
  if (deny !== undefined) out.denyNet = deny.includes('*') ? 'all' : deny;
  return out;
}

/** Commander gives `true` for an optional-value flag given bare (normaliseNetArgv avoids it). */
function listOf(v: string[] | boolean | undefined): string[] | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return ['*'];
  return v;
}
