/**
 * The playground: a small local server that stands in for the hosts used by the
 * "Exchanges between machines" chapter, so its programs run without internet.
 *
 * - `http://aoz-studio.online/tutos/get_post/get.php` -> the café (route `/tutos/get_post/get.php`)
 * - `wss://demo.websocket.me/v3/<channel>`            -> a WebSocket relay (route `/v3/<channel>`)
 *
 * plus a few helpers for learners and tests (`/echo`, `/status/<code>`, `/delay/<ms>`, `/json`,
 * `/redirect/<n>`), misbehaving HTTP answers to see what a program gets when a server goes wrong
 * (`/trickle/<ms>`, `/large/<bytes>`, `/gzip-bomb`, `/cut`, `/slow-headers/<ms>`) and WebSocket
 * endpoints that do the same for channels (`/ws/echo`, `/ws/flood/<n>`, `/ws/silent`,
 * `/ws/close/<code>`, `/ws/drop`). It listens on the loopback interface only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

export interface PlaygroundOptions {
  /** TCP port; 0 or absent = a free port chosen by the system. */
  port?: number;
  /** Loopback address to bind: 127.0.0.1 (default), ::1 or localhost. Anything else is refused. */
  host?: string;
  /** Receives one line per HTTP request and per WebSocket connection/disconnection. */
  log?: (line: string) => void;
}

export interface Playground {
  port: number;
  /** e.g. `http://127.0.0.1:43567` (no trailing slash). */
  httpUrl: string;
  /** e.g. `ws://127.0.0.1:43567` (no trailing slash). */
  wsUrl: string;
  /** URL prefix rewrites (FROM, TO) that point the chapter's hosts at this server. */
  maps: [string, string][];
  /** Closes the listener and every open socket and WebSocket; safe to call more than once. */
  close(): Promise<void>;
}

/** A suggested port for `aozrun serve` when no `--port` is given (the library default is 0). */
export const DEFAULT_SERVE_PORT = 8765;

/** The café's menu: item -> the sentence served. Shared wording with the PHP interop peer. */
export const CAFE_MENU: Readonly<Record<string, string>> = {
  coffee: 'One coffee, freshly brewed: enjoy it on the terrace!',
  chocolate: 'One hot chocolate, with a little extra cocoa on top!',
  croissant: 'One croissant, still warm from the oven!',
};

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DELAY_MS = 30_000;
const MAX_REDIRECTS = 100;
const MAX_WS_PAYLOAD = 64 * 1024 * 1024;
const MAX_WS_BUFFERED = 128 * 1024 * 1024;
const MAX_ITEM_CHARS = 60;
/** `/large/<bytes>`: the largest body served. */
export const MAX_LARGE_BYTES = 256 * 1024 * 1024;
/** `/gzip-bomb`: what the compressed body inflates to. */
export const GZIP_BOMB_BYTES = 100 * 1024 * 1024;
/** `/ws/flood/<n>`: the most messages sent. */
export const MAX_FLOOD_MESSAGES = 10_000_000;
/** `/trickle/<ms>`: the longest pause between two bytes. */
const MAX_TRICKLE_MS = 60_000;
/** `/ws/drop`: how long after the open the TCP socket is destroyed (so the client sees the open). */
const DROP_AFTER_MS = 50;
/** Bytes written per chunk by the streaming routes. */
const STREAM_CHUNK = 64 * 1024;
/** `/ws/flood`: messages queued before waiting for the client to take them. */
const FLOOD_BATCH = 256;
const FLOOD_HIGH_WATER = 256 * 1024;

let gzipBomb: Promise<Buffer> | undefined;

/** A gzip body (about 100 KB) that inflates to GZIP_BOMB_BYTES zero bytes; built once, on first use. */
export function gzipBombBody(): Promise<Buffer> {
  gzipBomb ??= new Promise<Buffer>((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const chunks: Buffer[] = [];
    gzip.on('data', (c: Buffer) => chunks.push(c));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = GZIP_BOMB_BYTES / zeros.length;
    const pump = (): void => {
      while (left > 0) {
        left--;
        if (!gzip.write(zeros)) {
          gzip.once('drain', pump);
          return;
        }
      }
      gzip.end();
    };
    pump();
  });
  return gzipBomb;
}

/** Close codes a WebSocket endpoint may send (RFC 6455 §7.4; ws refuses the others). */
function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** The café's answer for a raw `request` value (undefined = missing). */
export function cafeAnswer(raw: string | undefined): { status: 200 | 404; body: string } {
  const item = (raw ?? '').trim();
  const key = item.toLowerCase();
  if (Object.hasOwn(CAFE_MENU, key)) return { status: 200, body: CAFE_MENU[key]! };
  const served = 'we serve coffee, chocolate and croissant';
  if (item === '') return { status: 404, body: `Sorry, an empty order is not on the menu (${served}).` };
  return { status: 404, body: `Sorry, "${printableItem(item)}" is not on the menu (${served}).` };
}

/** Keeps an echoed item on one line and short. */
function printableItem(item: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const flat = item.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const chars = Array.from(flat);
  return chars.length > MAX_ITEM_CHARS ? `${chars.slice(0, MAX_ITEM_CHARS).join('')}...` : flat;
}

const CAFE_JSON = {
  name: 'The playground café',
  currency: 'EUR',
  menu: [
    { name: 'coffee', price: 1.8 },
    { name: 'chocolate', price: 2.4 },
    { name: 'croissant', price: 1.2 },
  ],
};

const INDEX_TEXT = [
  'aozrun playground',
  '',
  'GET|POST /tutos/get_post/get.php?request=coffee   the café (coffee, chocolate, croissant)',
  'ANY      /echo[/...]                              reflects method, path, query, content type, body',
  'ANY      /status/<code>                           answers with that status',
  'ANY      /delay/<ms>                              answers "waited <ms> ms" after <ms> (at most 30000)',
  'ANY      /json                                    a small JSON document (the café menu)',
  'ANY      /redirect/<n>                            n chained 302 redirects ending at /echo',
  'ANY      /trickle/<ms>                            a 200 whose body comes one byte every <ms>, forever',
  'ANY      /large/<bytes>[?chunked]                 a body of <bytes> bytes (at most 256 MiB), chunked on request',
  'ANY      /gzip-bomb                               a small gzip body that inflates to 100 MiB',
  'ANY      /cut                                     announces 100 bytes, sends 10, closes the connection',
  'ANY      /slow-headers/<ms>                       waits <ms> before the headers (at most 30000)',
  'WS       /v3/<channel>[?notify_self]              relay to the other clients of <channel>',
  'WS       /ws/echo                                 echoes every message to its sender',
  'WS       /ws/flood/<n>                            sends n messages as fast as they are read, stays open',
  'WS       /ws/silent                               accepts, then answers nothing (not even pings)',
  'WS       /ws/close/<code>                         closes at once with that code and a reason',
  'WS       /ws/drop                                 cuts the TCP connection right after the open',
  '',
].join('\n');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

interface RelayClient {
  ws: WebSocket;
  notifySelf: boolean;
}

/** Redacts secrets (api_key=..., token=...) from a query string before it is logged. */
function redactQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const key = part.slice(0, eq);
      return /key|token|secret|pass/i.test(key) ? `${key}=***` : part;
    })
    .join('&');
}

function splitUrl(rawUrl: string | undefined): { path: string; query: string } {
  const url = rawUrl ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** True when the query string has the key (bare or with a value), compared case-insensitively. */
function queryHas(query: string, key: string): boolean {
  for (const k of new URLSearchParams(query).keys()) {
    if (k.toLowerCase() === key) return true;
  }
  return false;
}

/** The last value of `name` in a form/query string (PHP's rule), or undefined. */
function lastParam(encoded: string, name: string): string | undefined {
  const all = new URLSearchParams(encoded).getAll(name);
  return all.length > 0 ? all[all.length - 1] : undefined;
}

/** Answers a raw socket with a plain HTTP error, then lets it go (destroyed at the latest 1 s later). */
function refuse(socket: Duplex, status: string, body: string): void {
  try {
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  } catch {
    // nothing to do: the socket is destroyed below
  }
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Reads the request body as UTF-8 text; null when it is larger than the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: string | null) => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish(null));
    req.on('close', () => finish(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startPlayground(opts: PlaygroundOptions = {}): Promise<Playground> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error(`the playground listens on the loopback interface only (got host "${host}")`);
  }
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${String(opts.port)}`);
  }
  const log = (line: string): void => {
    if (!opts.log) return;
    try {
      opts.log(line);
    } catch {
      // a failing logger must not take the server down
    }
  };

  const sockets = new Set<Socket | Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  const channels = new Map<string, Set<RelayClient>>();
  let closing = false;

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD, clientTracking: true });
  wss.on('error', () => {});
  // `/ws/silent`: a peer that answers no ping (for heartbeat tests)
  const silentWss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_PAYLOAD,
    clientTracking: true,
    autoPong: false,
  });
  silentWss.on('error', () => {});
  silentWss.on('wsClientError', (_err, socket) => refuse(socket, '400 Bad Request', 'bad request'));
  wss.on('wsClientError', (_err, socket) => {
    // an invalid handshake: answer 400 and drop the socket (ws would do this by default)
    refuse(socket, '400 Bad Request', 'bad request');
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (closing) socket.destroy();
  });
  server.on('clientError', (_err, socket) => {
    refuse(socket, '400 Bad Request', 'bad request');
  });

  // ---------------------------------------------------------------- HTTP

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const { path, query } = splitUrl(req.url);
    const method = req.method ?? 'GET';
    req.on('error', () => {});
    res.on('error', () => {});
    res.on('close', () => {
      const ms = Date.now() - started;
      const q = query === '' ? '' : `?${redactQuery(query)}`;
      log(`${method} ${path}${q} -> ${res.writableFinished ? res.statusCode : 'aborted'} (${ms} ms)`);
    });
    handle(req, res, method, path, query).catch(() => {
      if (!res.headersSent && !res.destroyed) send(res, 500, 'internal error');
      else res.destroy();
    });
  });

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    contentType = 'text/plain; charset=utf-8',
    extra: Record<string, string> = {},
  ): void {
    if (res.destroyed || res.headersSent) return;
    const noBody = status === 204 || status === 205 || status === 304;
    const headers: Record<string, string | number> = {
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
      ...extra,
    };
    if (!noBody) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    if (closing) headers['Connection'] = 'close';
    res.writeHead(status, headers);
    res.end(noBody ? undefined : body);
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: string,
  ): Promise<void> {
    if (path === '/' || path === '/index.txt') {
      send(res, 200, INDEX_TEXT);
      return;
    }

    if (path === '/tutos/get_post/get.php') {
      if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
        req.resume();
        send(res, 405, 'method not allowed', undefined, { Allow: 'GET, HEAD, POST' });
        return;
      }
      let value = lastParam(query, 'request');
      if (method === 'POST') {
        const body = await readBody(req, MAX_BODY_BYTES);
        if (body === null) {
          send(res, 413, 'request body too large', undefined, { Connection: 'close' });
          return;
        }
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type === 'application/x-www-form-urlencoded') {
          value = lastParam(body, 'request') ?? value;
        }
      } else {
        req.resume();
      }
      const answer = cafeAnswer(value);
      send(res, answer.status, answer.body);
      return;
    }

    if (path === '/echo' || path.startsWith('/echo/')) {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === null) {
        send(res, 413, 'request body too large', undefined, { Connection: 'close' });
        return;
      }
      echo(res, method, path, query, req.headers['content-type'] ?? null, body);
      return;
    }

    // the remaining routes do not look at the body
    req.resume();

    let m = /^\/status\/(\d{1,3})$/.exec(path);
    if (m) {
      const code = Number(m[1]);
      if (code < 200 || code > 599) send(res, 400, 'status must be between 200 and 599');
      else send(res, code, `status ${code}`);
      return;
    }

    m = /^\/delay\/(\d{1,9})$/.exec(path);
    if (m) {
      const ms = Math.min(Number(m[1]), MAX_DELAY_MS);
      later(res, ms, () => send(res, 200, `waited ${ms} ms`));
      return;
    }

    m = /^\/slow-headers\/(\d{1,9})$/.exec(path);
    if (m) {
      const ms = Math.min(Number(m[1]), MAX_DELAY_MS);
      later(res, ms, () => send(res, 200, `headers after ${ms} ms`));
      return;
    }

    m = /^\/trickle\/(\d{1,9})$/.exec(path);
    if (m) {
      trickle(res, method, Math.min(Math.max(Number(m[1]), 1), MAX_TRICKLE_MS));
      return;
    }

    m = /^\/large\/(\d{1,12})$/.exec(path);
    if (m) {
      const size = Number(m[1]);
      if (size > MAX_LARGE_BYTES) {
        send(res, 400, `at most ${MAX_LARGE_BYTES} bytes`);
        return;
      }
      large(res, method, size, queryHas(query, 'chunked'));
      return;
    }

    if (path === '/gzip-bomb') {
      const body = await gzipBombBody();
      if (res.destroyed || res.headersSent) return;
      res.writeHead(200, {
        ...baseHeaders(),
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Encoding': 'gzip',
        'Content-Length': body.length,
      });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }

    if (path === '/cut') {
      res.writeHead(200, {
        ...baseHeaders(),
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': 100,
      });
      if (method === 'HEAD') {
        res.end();
        return;
      }
      // 10 of the 100 bytes announced, then the end of the connection
      res.write('0123456789', () => res.socket?.end());
      return;
    }

    if (path === '/json') {
      send(res, 200, JSON.stringify(CAFE_JSON), 'application/json; charset=utf-8');
      return;
    }

    m = /^\/redirect\/(\d{1,9})$/.exec(path);
    if (m) {
      const n = Number(m[1]);
      if (n > MAX_REDIRECTS) {
        send(res, 400, `at most ${MAX_REDIRECTS} redirects`);
        return;
      }
      const q = query === '' ? '' : `?${query}`;
      if (n === 0) {
        echo(res, method, path, query, req.headers['content-type'] ?? null, '');
        return;
      }
      const location = n === 1 ? `/echo${q}` : `/redirect/${n - 1}${q}`;
      send(res, 302, `redirecting to ${location}`, undefined, { Location: location });
      return;
    }

    send(res, 404, 'not found');
  }

  function baseHeaders(): Record<string, string> {
    return {
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
      ...(closing ? { Connection: 'close' } : {}),
    };
  }

  /** Runs `fn` after `ms` unless the client went away first (or the playground closes). */
  function later(res: ServerResponse, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  }

  /** `/trickle/<ms>`: a 200 whose chunked body is one byte every `ms`, until the client goes. */
  function trickle(res: ServerResponse, method: string, ms: number): void {
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    res.flushHeaders();
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) stop();
      else res.write('.');
    }, ms);
    timers.add(timer);
    const stop = (): void => {
      clearInterval(timer);
      timers.delete(timer);
    };
    res.on('close', stop);
  }

  /** `/large/<bytes>`: `size` bytes of "x", streamed with back-pressure (never held in memory). */
  function large(res: ServerResponse, method: string, size: number, chunked: boolean): void {
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': 'text/plain; charset=utf-8',
      ...(chunked ? {} : { 'Content-Length': String(size) }),
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const chunk = Buffer.alloc(Math.min(STREAM_CHUNK, Math.max(size, 1)), 'x');
    let left = size;
    const pump = (): void => {
      while (left > 0) {
        if (res.destroyed) return;
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  function echo(
    res: ServerResponse,
    method: string,
    path: string,
    query: string,
    contentType: string | null,
    body: string,
  ): void {
    const json = JSON.stringify({ method, path, query, contentType, body });
    send(res, 200, json, 'application/json; charset=utf-8');
  }

  // ---------------------------------------------------------------- WebSocket endpoints

  /** What a WebSocket path leads to; undefined = 404, a string = 400 with that explanation. */
  function wsRoute(path: string, query: string): ((ws: WebSocket) => void) | string | undefined {
    let m = /^\/v3\/([^/]+)$/.exec(path);
    if (m) {
      const channel = m[1]!;
      const notifySelf = queryHas(query, 'notify_self');
      const q = query === '' ? '' : `?${redactQuery(query)}`;
      return (ws) => joinRelay(ws, path, q, channel, notifySelf);
    }
    if (path === '/ws/echo') {
      return (ws) => {
        ws.on('message', (data: RawData, isBinary: boolean) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: isBinary }, () => {});
        });
      };
    }
    m = /^\/ws\/flood\/(\d{1,9})$/.exec(path);
    if (m) {
      const n = Number(m[1]);
      if (n > MAX_FLOOD_MESSAGES) return `at most ${MAX_FLOOD_MESSAGES} messages`;
      return (ws) => flood(ws, n);
    }
    if (path === '/ws/silent') return () => {};
    m = /^\/ws\/close\/(\d{1,4})$/.exec(path);
    if (m) {
      const code = Number(m[1]);
      if (!isSendableCloseCode(code)) {
        return `close code ${code} cannot be sent (1000-1003, 1007-1014 or 3000-4999)`;
      }
      return (ws) => ws.close(code, `closing with code ${code}`);
    }
    if (path === '/ws/drop') {
      return (ws) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          ws.terminate();
        }, DROP_AFTER_MS);
        timers.add(timer);
      };
    }
    return undefined;
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const { path, query } = splitUrl(req.url);
    const q = query === '' ? '' : `?${redactQuery(query)}`;
    const route = closing ? undefined : wsRoute(path, query);
    if (closing || route === undefined || typeof route === 'string') {
      const status = closing
        ? '503 Service Unavailable'
        : route === undefined
          ? '404 Not Found'
          : '400 Bad Request';
      const body = closing ? 'closing' : typeof route === 'string' ? route : 'not found';
      log(`WS ${path}${q} -> ${status.slice(0, 3)}`);
      refuse(socket, status, body);
      return;
    }
    const target = path === '/ws/silent' ? silentWss : wss;
    try {
      target.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {});
        if (closing) {
          ws.terminate();
          return;
        }
        if (!path.startsWith('/v3/')) {
          log(`WS ${path}${q} open`);
          ws.on('close', (code: number) => log(`WS ${path} closed (${code})`));
        }
        route(ws);
      });
    } catch {
      socket.destroy();
    }
  });

  function joinRelay(ws: WebSocket, path: string, q: string, channel: string, notifySelf: boolean): void {
    const client: RelayClient = { ws, notifySelf };
    let members = channels.get(channel);
    if (!members) {
      members = new Set();
      channels.set(channel, members);
    }
    members.add(client);
    log(`WS ${path}${q} open (${members.size} on ${channel})`);
    ws.on('message', (data: RawData, isBinary: boolean) => relay(channel, client, data, isBinary));
    ws.on('close', () => {
      const set = channels.get(channel);
      if (!set) return;
      set.delete(client);
      if (set.size === 0) channels.delete(channel);
      log(`WS ${path} closed (${set.size} on ${channel})`);
    });
  }

  /** `/ws/flood/<n>`: "1" .. "n", a batch at a time, the next batch once the last one was written. */
  function flood(ws: WebSocket, n: number): void {
    let sent = 0;
    const pump = (): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const end = Math.min(n, sent + FLOOD_BATCH);
      while (sent < end && ws.bufferedAmount < FLOOD_HIGH_WATER) {
        sent++;
        const last = sent === end;
        ws.send(String(sent), (err) => {
          if (last && !err && sent < n) setImmediate(pump);
        });
      }
      if (sent < end) {
        // over the high-water mark: wait for the socket to drain
        const socket = (ws as unknown as { _socket?: Socket })._socket;
        if (socket) socket.once('drain', pump);
      }
    };
    pump();
  }

  function relay(channel: string, from: RelayClient, data: RawData, isBinary: boolean): void {
    const members = channels.get(channel);
    if (!members) return;
    for (const member of members) {
      if (member === from && !member.notifySelf) continue;
      const ws = member.ws;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_WS_BUFFERED) {
        // a client that does not read its messages: drop it rather than hold unbounded memory
        ws.terminate();
        continue;
      }
      try {
        ws.send(data, { binary: isBinary }, () => {});
      } catch {
        // the peer vanished between the check and the send
      }
    }
  }

  // ---------------------------------------------------------------- listen / close

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
  server.on('error', () => {});

  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const httpUrl = `http://${urlHost}:${actualPort}`;
  const wsUrl = `ws://${urlHost}:${actualPort}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closed) return closed;
    closing = true;
    closed = new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const ws of wss.clients) ws.terminate();
      for (const ws of silentWss.clients) ws.terminate();
      channels.clear();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      server.closeAllConnections();
      wss.close();
      silentWss.close();
    });
    return closed;
  };

  return {
    port: actualPort,
    httpUrl,
    wsUrl,
    maps: [
      ['http://aoz-studio.online', httpUrl],
      ['https://aoz-studio.online', httpUrl],
      ['wss://demo.websocket.me', wsUrl],
      ['ws://demo.websocket.me', wsUrl],
    ],
    close,
  };
}
