/**
 * Helpers for the tests of limits, permissions, proxies and tracing: a resolver with a fixed table
 * (never the real DNS), a small forwarding HTTP proxy, and a FakeRuntime that drives Waits.
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo, LookupFunction } from 'node:net';
import { isIP } from 'node:net';

/** A dns.lookup replacement answering from `table` (ENOTFOUND for other names). */
export function mapLookup(table: Record<string, readonly string[]>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = ((
    hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    calls.push(hostname);
    const addresses = table[hostname.toLowerCase()];
    const all = typeof options === 'object' && options?.all === true;
    process.nextTick(() => {
      if (!addresses || addresses.length === 0) {
        const err: NodeJS.ErrnoException & { hostname?: string } = new Error(
          `getaddrinfo ENOTFOUND ${hostname}`,
        );
        err.code = 'ENOTFOUND';
        err.hostname = hostname;
        callback(err, all ? [] : '', 0);
        return;
      }
      const list = addresses.map((address) => ({ address, family: isIP(address) }));
      if (all) callback(null, list);
      else callback(null, list[0]?.address ?? '', list[0]?.family ?? 4);
    });
  }) as LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}

export interface ProxyServer {
  readonly port: number;
  readonly url: string;
  /** Absolute-URI targets the proxy forwarded (`GET http://127.0.0.1:1234/x`). */
  readonly requests: string[];
  connections: number;
  close(): Promise<void>;
}

/** A forwarding HTTP proxy for http:// targets (absolute-URI requests; no CONNECT). */
export async function httpProxy(): Promise<ProxyServer> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('proxy: absolute URI expected');
      return;
    }
    const headers: http.OutgoingHttpHeaders = { ...req.headers, 'x-via-test-proxy': '1' };
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('proxy: upstream failed'));
    req.pipe(upstream);
  });
  const state: ProxyServer = {
    port: 0,
    url: '',
    requests,
    connections: 0,
    close: async () => undefined,
  };
  server.on('connection', (s: net.Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

export interface CountingServer {
  readonly port: number;
  /** http://127.0.0.1:port */
  readonly origin: string;
  /** Connections accepted so far (IPv4 and IPv6). */
  connections: number;
  /** Request paths received. */
  readonly paths: string[];
  close(): Promise<void>;
}

/**
 * An HTTP server on every loopback address (dual stack when IPv6 works) that counts connections:
 * 127.0.0.1, ::1 and 0.0.0.0 all reach it, so "zero connections" means nothing got through.
 */
export async function countingServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (req, res) =>
    res.end(`ok ${req.url}`),
): Promise<CountingServer> {
  const paths: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  const state: CountingServer = { port: 0, origin: '', connections: 0, paths, close: async () => undefined };
  server.on('connection', (s: net.Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => {
    server.once('error', () => server.listen(0, '127.0.0.1', resolve));
    server.listen({ port: 0, host: '::', ipv6Only: false }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
