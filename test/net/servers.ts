/**
 * Misbehaving servers on 127.0.0.1, port 0, for the network tests (net-fault-matrix.md).
 * Each one counts the connections it accepted and tracks their sockets so a test can check that
 * they were closed; close() destroys everything.
 */
import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import net from 'node:net';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';

export interface TestServer {
  readonly port: number;
  readonly origin: string;
  /** Connections accepted so far. */
  connections: number;
  /** Sockets not yet closed. */
  readonly open: Set<net.Socket>;
  close(): Promise<void>;
}

function track(server: net.Server, state: TestServer): void {
  server.on('connection', (socket: net.Socket) => {
    state.connections++;
    state.open.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => state.open.delete(socket));
    // Keep reading even when the test ignores the data, or the peer's close goes unnoticed.
    socket.resume();
  });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: net.Server, state: TestServer): () => Promise<void> {
  return async () => {
    for (const s of state.open) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export interface HttpTestServer extends TestServer {
  /** Requests received: method, URL (path + query), headers and body. */
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
}

/** node:http server; the handler sees the request with its body already read. */
export async function httpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<HttpTestServer> {
  const requests: HttpTestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  const state: HttpTestServer = {
    port: 0,
    origin: '',
    connections: 0,
    open: new Set(),
    requests,
    close: async () => undefined,
  };
  track(server, state);
  const port = await listen(server);
  return Object.assign(state, {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await closer(server, state)();
    },
  });
}

/** Raw TCP server: the handler writes whatever bytes it likes (or nothing). */
export async function rawServer(onConnection: (socket: net.Socket) => void): Promise<TestServer> {
  const server = net.createServer(onConnection);
  const state: TestServer = {
    port: 0,
    origin: '',
    connections: 0,
    open: new Set(),
    close: async () => undefined,
  };
  track(server, state);
  const port = await listen(server);
  return Object.assign(state, { port, origin: `http://127.0.0.1:${port}`, close: closer(server, state) });
}

/** A port where nothing listens (listened on, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface WsTestServer extends TestServer {
  readonly url: string;
  readonly wss: WebSocketServer;
  /** Server-side sockets, in connection order. */
  readonly clients: ServerSocket[];
  /** Messages received by the server, as text. */
  readonly received: string[];
  /** Resolves with the next server-side connection. */
  nextClient(): Promise<ServerSocket>;
}

export async function wsServer(onClient?: (ws: ServerSocket) => void): Promise<WsTestServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(404).end('not a websocket endpoint');
  });
  const wss = new WebSocketServer({ noServer: true });
  const clients: ServerSocket[] = [];
  const received: string[] = [];
  let waiting: ((ws: ServerSocket) => void)[] = [];
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/404')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.push(ws);
      ws.on('error', () => undefined);
      ws.on('message', (data, isBinary) => received.push(isBinary ? `binary:${String(data)}` : String(data)));
      onClient?.(ws);
      const w = waiting;
      waiting = [];
      for (const f of w) f(ws);
    });
  });
  const state = {
    port: 0,
    origin: '',
    connections: 0,
    open: new Set<net.Socket>(),
    close: async () => undefined,
  } as TestServer;
  track(server, state);
  const port = await listen(server);
  return Object.assign(state, {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: `ws://127.0.0.1:${port}`,
    wss,
    clients,
    received,
    nextClient: () => new Promise<ServerSocket>((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const c of clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await closer(server, state)();
    },
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A dns.lookup replacement that fails every name like a resolver that does not know it. */
export function failingLookup(code = 'ENOTFOUND'): LookupFunction {
  return ((
    hostname: string,
    _options: unknown,
    callback: (err: NodeJS.ErrnoException | null) => void,
  ): void => {
    const err: NodeJS.ErrnoException & { hostname?: string } = new Error(`getaddrinfo ${code} ${hostname}`);
    err.code = code;
    err.syscall = 'getaddrinfo';
    err.hostname = hostname;
    process.nextTick(callback, err);
  }) as LookupFunction;
}
