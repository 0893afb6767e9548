/**
 * The session's network state (DESIGN §7): one undici dispatcher for every Call Service (an Agent,
 * or undici's EnvHttpProxyAgent when HTTP_PROXY/HTTPS_PROXY is set), the WebSocket channels, the
 * limits that bound them, the --allow-net/--deny-net policy and the --trace-net hook. undici and ws
 * are loaded with `import()` on first use, so a program that never touches the network does not pay
 * for them at start-up.
 */
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import type { buildConnector, Dispatcher } from 'undici';
import type WebSocket from 'ws';
import { type Closable, type ProcedureRef, serviceKey } from '../../interpreter/runtime-api.js';
import { NetPolicy } from './policy.js';
import { hasProxy, type ProxySettings, proxyFor, proxySettings } from './proxy.js';
import { OriginSlots } from './slots.js';
import type { UrlMaps } from './url.js';

export interface NetOptions {
  /** `--map FROM=TO` rewrites, in command-line order (first match wins). */
  readonly maps: UrlMaps;
  /** TCP (and TLS) connection establishment (--connect-timeout). */
  readonly connectTimeoutMs: number;
  /** From the request being sent to the response headers (--headers-timeout). */
  readonly headersTimeoutMs: number;
  /** Longest silence while the body arrives (--body-timeout). */
  readonly bodyTimeoutMs: number;
  /**
   * The whole exchange, redirects included (--request-timeout; a trickling server never trips the
   * body timeout).
   */
  readonly requestDeadlineMs: number;
  /** Largest response body, checked as it streams, after decompression (--max-response). */
  readonly maxResponseBytes: number;
  /** Redirects followed; one more is a REDIRECT failure, never a 3xx handed to the program. */
  readonly maxRedirects: number;
  /** Simultaneous connections to one origin (--max-connections; further requests queue). */
  readonly maxConnectionsPerOrigin: number;
  /**
   * Requests per origin that may wait for a connection (--max-queued-requests); a Call Service
   * beyond connections + queue waits for a slot (the statement suspends, asynchronous ones too).
   */
  readonly maxQueuedRequests: number;
  /** Time for the WebSocket upgrade to be answered (--ws-handshake-timeout). */
  readonly wsHandshakeTimeoutMs: number;
  /** Largest WebSocket message received (after decompression) or sent (--ws-max-message). */
  readonly wsMaxMessageBytes: number;
  /** Received messages kept per channel; the oldest are dropped beyond it (--ws-max-queue). */
  readonly wsMaxQueuedMessages: number;
  /**
   * A ping every this many ms on each connected channel; no pong before the next ping drops the
   * connection with a TIMEOUT channel error (--ws-heartbeat; 0 turns heartbeats off).
   */
  readonly wsHeartbeatMs: number;
  /** WebSocket Send Message waits while more bytes than this wait to be sent (--ws-send-high-water). */
  readonly wsSendHighWaterBytes: number;
  /** --allow-net=host[:port],...: only these hosts (undefined: every host). */
  readonly allowNet?: readonly string[] | undefined;
  /** --deny-net=host[:port],... blocks these hosts; `'all'` (--deny-net alone) blocks every host. */
  readonly denyNet?: readonly string[] | 'all' | undefined;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read (default: process.env). */
  readonly env?: NodeJS.ProcessEnv | undefined;
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
  maxQueuedRequests: 256,
  wsHandshakeTimeoutMs: 10_000,
  wsMaxMessageBytes: 16 * 1024 * 1024,
  wsMaxQueuedMessages: 10_000,
  wsHeartbeatMs: 30_000,
  wsSendHighWaterBytes: 1024 * 1024,
});

/** The event procedures of a WebSocket channel index (WebSocket On Message/On Close/On Error). */
export interface WsHandlers {
  message?: ProcedureRef | undefined;
  close?: ProcedureRef | undefined;
  error?: ProcedureRef | undefined;
}

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
  private proxies: ProxySettings | undefined;
  /** --allow-net / --deny-net; the TO side of every --map stays allowed. */
  readonly policy: NetPolicy;
  /** The bounded request queue, per origin. */
  readonly slots: OriginSlots;
  /** WebSocket event procedures by channel index; they outlive Open and Close of the channel. */
  readonly wsHandlers = new Map<number, WsHandlers>();

  /** Throws Error when an --allow-net/--deny-net entry is invalid (the CLI checks them first). */
  constructor(options: Partial<NetOptions> = {}) {
    const { userAgent, ...rest } = options;
    this.options = { ...DEFAULT_NET_OPTIONS, ...withoutUndefined(rest) };
    this.ua = userAgent;
    this.policy = new NetPolicy({
      allowNet: this.options.allowNet,
      denyNet: this.options.denyNet,
      exempt: NetPolicy.mapTargets(this.options.maps),
    });
    this.slots = new OriginSlots(this.options.maxConnectionsPerOrigin + this.options.maxQueuedRequests);
  }

  /** True when --trace-net is on. */
  get tracing(): boolean {
    return this.options.trace !== undefined;
  }

  /** One --trace-net line (nothing when tracing is off; a failing sink is ignored). */
  traceLine(line: string): void {
    const trace = this.options.trace;
    if (!trace) return;
    try {
      trace(line);
    } catch {
      // tracing must never break the program
    }
  }

  /** The proxy settings of the session's environment; throws NetFailure for an invalid proxy URL. */
  proxySettings(): ProxySettings {
    this.proxies ??= proxySettings(this.options.env ?? process.env);
    return this.proxies;
  }

  /** The proxy a request to `url` goes through, if any (for failure texts). */
  proxyFor(url: URL): URL | undefined {
    try {
      return proxyFor(this.proxySettings(), url);
    } catch {
      return undefined;
    }
  }

  /**
   * The resolver for direct connections to `port`: the injected one or dns.lookup, wrapped by the
   * policy when it restricts anything (undefined: Node's default).
   */
  lookupFor(port: number): LookupFunction | undefined {
    return this.policy.restricted ? this.policy.lookup(port, this.options.lookup) : this.options.lookup;
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
    const { Agent, EnvHttpProxyAgent, Pool, buildConnector } = loaded.default ?? loaded;
    const o = this.options;
    const proxies = this.proxySettings();
    let connect: buildConnector.BuildOptions | buildConnector.connector = { timeout: o.connectTimeoutMs };
    if (this.policy.restricted || o.lookup) {
      // One connector per port, so the policy's resolver knows the port it checks.
      const connectors = new Map<number, buildConnector.connector>();
      connect = (options, callback) => {
        const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
        let connector = connectors.get(port);
        if (!connector) {
          const lookup = this.lookupFor(port);
          connector = buildConnector({ timeout: o.connectTimeoutMs, ...(lookup ? { lookup } : {}) });
          connectors.set(port, connector);
        }
        connector(options, callback);
      };
    }
    const limits = {
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connections: o.maxConnectionsPerOrigin,
    };
    let agent: Dispatcher;
    if (hasProxy(proxies)) {
      agent = new EnvHttpProxyAgent({
        ...limits,
        connect,
        httpProxy: proxies.http ?? '',
        httpsProxy: proxies.https ?? '',
        noProxy: proxies.noProxy,
        // http:// targets are sent to the proxy as absolute-URI requests; https:// ones tunnel.
        proxyTunnel: false,
        proxyTls: { timeout: o.connectTimeoutMs },
        requestTls: { timeout: o.connectTimeoutMs },
        // Pools created by the proxy agent (the one to an HTTP proxy too) get the same limits,
        // and so does the client that asks the proxy for tunnels (CONNECT).
        factory: (origin, opts) => new Pool(origin, { ...limits, ...opts }),
        clientFactory: (origin, opts) => new Pool(origin, { ...limits, ...opts }),
      });
    } else {
      agent = new Agent({ ...limits, connect });
    }
    this.agent = agent;
    if (this.isClosed) void agent.destroy().catch(ignore);
    return agent;
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
    this.slots.clear();
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
