/**
 * The session's network state (DESIGN §7): one undici Agent for every Call Service, the WebSocket
 * channels, and the limits that bound them. undici and ws are loaded with `import()` on first use,
 * so a program that never touches the network does not pay for them at start-up.
 */
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import type WebSocket from 'ws';
import { type Closable, serviceKey } from '../../interpreter/runtime-api.js';
import type { UrlMaps } from './url.js';

export interface NetOptions {
  /** `--map FROM=TO` rewrites, in command-line order (first match wins). */
  readonly maps: UrlMaps;
  /** TCP (and TLS) connection establishment. */
  readonly connectTimeoutMs: number;
  /** From the request being sent to the response headers. */
  readonly headersTimeoutMs: number;
  /** Longest silence while the body arrives. */
  readonly bodyTimeoutMs: number;
  /** The whole exchange, redirects included (a trickling server never trips the body timeout). */
  readonly requestDeadlineMs: number;
  /** Largest response body, checked as it streams. */
  readonly maxResponseBytes: number;
  /** Redirects followed; one more is a REDIRECT failure, never a 3xx handed to the program. */
  readonly maxRedirects: number;
  /** Simultaneous connections to one origin (further requests queue). */
  readonly maxConnectionsPerOrigin: number;
  /** Time for the WebSocket upgrade to be answered. */
  readonly wsHandshakeTimeoutMs: number;
  /** Largest WebSocket message received (after decompression) or buffered for sending. */
  readonly wsMaxMessageBytes: number;
  /** Received messages kept per channel; the oldest are dropped beyond it. */
  readonly wsMaxQueuedMessages: number;
  /** User-Agent header; `aozrun/<version>` when left out. */
  readonly userAgent?: string;
  /** dns.lookup-compatible resolver (tests inject one to simulate DNS failures). */
  readonly lookup?: LookupFunction;
  /**
   * --trace-net: one canonical line per request, reply, WebSocket open/message/close/error
   * (docs/networking.md gives the format; no timings, so golden tests can compare them).
   */
  readonly trace?: (line: string) => void;
}

export const DEFAULT_NET_OPTIONS: Readonly<Omit<NetOptions, 'userAgent' | 'lookup'>> = Object.freeze({
  maps: [],
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  requestDeadlineMs: 60_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxRedirects: 5,
  maxConnectionsPerOrigin: 8,
  wsHandshakeTimeoutMs: 10_000,
  wsMaxMessageBytes: 16 * 1024 * 1024,
  wsMaxQueuedMessages: 10_000,
});

/** A WebSocket channel as the Net service sees it (websocket.ts implements it). */
export interface NetChannel {
  /** Close the connection; no callback into the program afterwards. Resolves once the socket is gone. */
  shutdown(): Promise<void>;
}

/** Something in flight that Net.close() must stop (an HTTP exchange). */
export interface NetInflight {
  abort(): void;
}

export type WebSocketClass = typeof WebSocket;

/** Thrown inside the network code when the session closed while it was waiting; never shown. */
export class NetClosed extends Error {
  constructor() {
    super('network closed');
    this.name = 'NetClosed';
  }
}

export class Net implements Closable {
  readonly options: Readonly<Omit<NetOptions, 'userAgent'>>;
  /** Open WebSocket channels by index. */
  readonly channels = new Map<number, NetChannel>();
  private readonly inflight = new Set<NetInflight>();
  private isClosed = false;
  private closing: Promise<void> | undefined;
  private agent: Dispatcher | undefined;
  private dispatcherPromise: Promise<Dispatcher> | undefined;
  private wsPromise: Promise<WebSocketClass> | undefined;
  private wsClass: WebSocketClass | undefined;
  private ua: string | undefined;

  constructor(options: Partial<NetOptions> = {}) {
    const { userAgent, ...rest } = options;
    this.options = { ...DEFAULT_NET_OPTIONS, ...withoutUndefined(rest) };
    this.ua = userAgent;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get userAgent(): string {
    this.ua ??= `aozrun/${packageVersion()}`;
    return this.ua;
  }

  /** The session's HTTP dispatcher (Agent + redirect interceptor), created on first use. */
  async dispatcher(): Promise<Dispatcher> {
    if (this.isClosed) throw new NetClosed();
    this.dispatcherPromise ??= this.createDispatcher();
    const dispatcher = await this.dispatcherPromise;
    if (this.isClosed) throw new NetClosed();
    return dispatcher;
  }

  private async createDispatcher(): Promise<Dispatcher> {
    // undici is CommonJS: its exports are `default` under Node and in esbuild's chunks alike
    // (a bundle has no named exports for it), so read them from there.
    const loaded = await import('undici');
    const { Agent, interceptors } = loaded.default ?? loaded;
    const o = this.options;
    const agent = new Agent({
      connect: { timeout: o.connectTimeoutMs, ...(o.lookup ? { lookup: o.lookup } : {}) },
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connections: o.maxConnectionsPerOrigin,
    });
    this.agent = agent;
    if (this.isClosed) void agent.destroy().catch(ignore);
    return agent.compose(interceptors.redirect({ maxRedirections: o.maxRedirects }));
  }

  /** The ws WebSocket class once loaded (undefined before the first WebSocket Open). */
  get loadedWebSocket(): WebSocketClass | undefined {
    return this.wsClass;
  }

  async webSocketClass(): Promise<WebSocketClass> {
    if (this.isClosed) throw new NetClosed();
    this.wsPromise ??= import('ws').then((m) => {
      this.wsClass = m.default;
      return m.default;
    });
    const cls = await this.wsPromise;
    if (this.isClosed) throw new NetClosed();
    return cls;
  }

  /** Register an exchange that close() must abort; returns the function that unregisters it. */
  track(item: NetInflight): () => void {
    if (this.isClosed) {
      item.abort();
      return ignore;
    }
    this.inflight.add(item);
    return () => {
      this.inflight.delete(item);
    };
  }

  /**
   * End of the program: abort every request, close every channel, destroy the agent so the process
   * can exit. Nothing calls back into the program afterwards. Resolves when sockets are released
   * (a WebSocket peer that does not answer the close frame is cut after about a second).
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.isClosed = true;
    const inflight = [...this.inflight];
    this.inflight.clear();
    for (const item of inflight) {
      try {
        item.abort();
      } catch {
        // aborting is best effort: the agent is destroyed below anyway
      }
    }
    const waits: Promise<unknown>[] = [...this.channels.values()].map((c) => c.shutdown().catch(ignore));
    this.channels.clear();
    if (this.dispatcherPromise) {
      waits.push(
        this.dispatcherPromise.then(
          () => this.agent?.destroy().catch(ignore),
          () => undefined,
        ),
      );
    }
    this.closing = Promise.allSettled(waits).then(() => undefined);
    return this.closing;
  }
}

export const NET = serviceKey<Net>('net');

function ignore(): void {}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Set by the bundler (scripts/build.mjs); absent when running from the sources. */
declare const AOZRUN_VERSION: string;

let cachedVersion: string | undefined;

/** aozrun's version: the bundler's constant, else package.json found upwards from this file. */
function packageVersion(): string {
  if (typeof AOZRUN_VERSION === 'string') return AOZRUN_VERSION;
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0';
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'aozrun' && typeof pkg.version === 'string') {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // no package.json here: keep going up
    }
    dir = new URL('..', dir);
  }
  return cachedVersion;
}
