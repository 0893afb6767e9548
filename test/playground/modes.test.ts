/**
 * The playground's misbehaving modes (for learners and the network fault matrix): HTTP answers that
 * trickle, are huge, inflate, are cut or come late, and WebSocket endpoints that echo, flood, stay
 * silent, close with a code or drop the connection.
 */
import http from 'node:http';
import net from 'node:net';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  GZIP_BOMB_BYTES,
  MAX_LARGE_BYTES,
  type Playground,
  startPlayground,
} from '../../src/playground/server.js';

let pg: Playground;
const lines: string[] = [];

beforeAll(async () => {
  pg = await startPlayground({ port: 0, log: (line) => lines.push(line) });
});
afterAll(async () => {
  await pg.close();
});

async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET with node:http: status, headers, and the body as it streams in (byte count, optional text). */
function get(
  path: string,
  opts: { keep?: boolean; stopAfter?: number; method?: string } = {},
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  text: string;
  error?: Error;
  firstByteMs: number;
  headersMs: number;
}> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${pg.httpUrl}${path}`,
      { method: opts.method ?? 'GET', agent: false },
      (res) => {
        const headersMs = Date.now() - t0;
        let bytes = 0;
        let firstByteMs = -1;
        const chunks: Buffer[] = [];
        const done = (error?: Error) =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes,
            text: Buffer.concat(chunks).toString('utf8'),
            firstByteMs,
            headersMs,
            ...(error ? { error } : {}),
          });
        res.on('data', (c: Buffer) => {
          if (firstByteMs < 0) firstByteMs = Date.now() - t0;
          bytes += c.length;
          if (opts.keep) chunks.push(c);
          if (opts.stopAfter !== undefined && bytes >= opts.stopAfter) {
            req.destroy();
            done();
          }
        });
        res.on('end', () => done());
        res.on('error', (e) => done(e));
        res.on('aborted', () => done(new Error('aborted')));
      },
    );
    req.on('error', () => undefined);
    req.end();
  });
}

/** A WebSocket client that records what happens to it. */
function wsClient(path: string) {
  const ws = new WebSocket(`${pg.wsUrl}${path}`);
  const messages: string[] = [];
  const state = {
    ws,
    messages,
    opened: false,
    closed: undefined as { code: number; reason: string } | undefined,
    error: undefined as Error | undefined,
  };
  ws.on('open', () => {
    state.opened = true;
  });
  ws.on('message', (data) => messages.push(String(data)));
  ws.on('close', (code, reason) => {
    state.closed = { code, reason: reason.toString('utf8') };
  });
  ws.on('error', (e) => {
    state.error = e;
  });
  return state;
}

describe('HTTP modes', () => {
  it('the index lists the new routes', async () => {
    const res = await fetch(`${pg.httpUrl}/`);
    const text = await res.text();
    for (const route of [
      '/trickle/<ms>',
      '/large/<bytes>',
      '/gzip-bomb',
      '/cut',
      '/slow-headers/<ms>',
      '/ws/echo',
      '/ws/flood/<n>',
      '/ws/silent',
      '/ws/close/<code>',
      '/ws/drop',
    ]) {
      expect(text).toContain(route);
    }
  });

  it('/trickle/<ms> sends a 200 one byte at a time until the client goes', async () => {
    const r = await get('/trickle/30', { stopAfter: 5, keep: true });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.text).toBe('.....');
    // five bytes at 30 ms intervals: at least ~4 intervals after the first
    expect(r.firstByteMs).toBeGreaterThanOrEqual(20);
    await eventually(() => lines.some((l) => /^GET \/trickle\/30 -> aborted/.test(l)));
  });

  it('/trickle/0 is clamped to one byte per millisecond at most', async () => {
    const r = await get('/trickle/0', { stopAfter: 3 });
    expect(r.status).toBe(200);
    expect(r.bytes).toBeGreaterThanOrEqual(3);
  });

  it('/large/<bytes> sends that many bytes with a Content-Length', async () => {
    const r = await get('/large/1000000');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('1000000');
    expect(r.bytes).toBe(1_000_000);
    const small = await get('/large/5', { keep: true });
    expect(small.text).toBe('xxxxx');
    const empty = await get('/large/0', { keep: true });
    expect(empty.headers['content-length']).toBe('0');
    expect(empty.text).toBe('');
  });

  it('/large/<bytes>?chunked sends them without a Content-Length', async () => {
    const r = await get('/large/300000?chunked');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.bytes).toBe(300_000);
  });

  it('/large/<bytes> is capped and stops streaming when the client goes', async () => {
    const over = await get(`/large/${MAX_LARGE_BYTES + 1}`, { keep: true });
    expect(over.status).toBe(400);
    expect(over.text).toMatch(/at most/);
    const big = await get(`/large/${MAX_LARGE_BYTES}`, { stopAfter: 1_000_000 });
    expect(big.headers['content-length']).toBe(String(MAX_LARGE_BYTES));
    await eventually(() =>
      lines.some((l) => new RegExp(`^GET /large/${MAX_LARGE_BYTES} -> aborted`).test(l)),
    );
    const head = await get('/large/1000', { method: 'HEAD' });
    expect(head.headers['content-length']).toBe('1000');
    expect(head.bytes).toBe(0);
  });

  it('/gzip-bomb is a small gzip body that inflates to 100 MiB', async () => {
    const r = await new Promise<{ headers: http.IncomingHttpHeaders; compressed: number; inflated: number }>(
      (resolve, reject) => {
        http
          .get(`${pg.httpUrl}/gzip-bomb`, { agent: false }, (res) => {
            let compressed = 0;
            let inflated = 0;
            res.on('data', (c: Buffer) => {
              compressed += c.length;
            });
            const gunzip = createGunzip();
            gunzip.on('data', (c: Buffer) => {
              inflated += c.length;
            });
            gunzip.on('end', () => resolve({ headers: res.headers, compressed, inflated }));
            gunzip.on('error', reject);
            res.pipe(gunzip);
          })
          .on('error', reject);
      },
    );
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(Number(r.headers['content-length'])).toBe(r.compressed);
    expect(r.compressed).toBeLessThan(1024 * 1024);
    expect(r.inflated).toBe(GZIP_BOMB_BYTES);
  });

  it('/cut announces 100 bytes, sends 10 and closes the connection', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(pg.port, '127.0.0.1', () => {
        socket.write('GET /cut HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => {
        text += c;
      });
      socket.on('end', () => {
        socket.destroy();
        resolve(text);
      });
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/\r\nContent-Length: 100/i);
    expect(body).toBe('0123456789');
    // an HTTP client sees a premature end
    const r = await get('/cut', { keep: true });
    expect(r.error).toBeDefined();
  });

  it('/slow-headers/<ms> waits before the headers', async () => {
    const r = await get('/slow-headers/200', { keep: true });
    expect(r.status).toBe(200);
    expect(r.headersMs).toBeGreaterThanOrEqual(180);
    expect(r.text).toBe('headers after 200 ms');
  });
});

describe('WebSocket modes', () => {
  it('/ws/echo echoes every message to its sender (text and binary)', async () => {
    const c = wsClient('/ws/echo');
    const other = wsClient('/ws/echo');
    await eventually(() => c.opened && other.opened);
    c.ws.send('hello');
    c.ws.send('world');
    c.ws.send(Buffer.from('bin'), { binary: true });
    await eventually(() => c.messages.length === 3);
    expect(c.messages).toEqual(['hello', 'world', 'bin']);
    await sleep(50);
    expect(other.messages).toEqual([]);
    c.ws.close();
    other.ws.close();
    await eventually(() => c.closed !== undefined && other.closed !== undefined);
    await eventually(() => lines.some((l) => l.startsWith('WS /ws/echo closed')));
  });

  it('/ws/flood/<n> sends n messages in order as fast as they are read, then stays open', async () => {
    const c = wsClient('/ws/flood/20000');
    await eventually(() => c.opened);
    // stop reading for a while: the server must wait, not fail or drop
    const socket = (c.ws as unknown as { _socket: net.Socket })._socket;
    socket.pause();
    await sleep(150);
    socket.resume();
    await eventually(() => c.messages.length === 20000, 5000);
    expect(c.messages[0]).toBe('1');
    expect(c.messages[19999]).toBe('20000');
    expect(c.messages.every((m, i) => m === String(i + 1))).toBe(true);
    await sleep(100);
    expect(c.messages).toHaveLength(20000);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
    await eventually(() => c.closed !== undefined);
  });

  it('/ws/flood/<n> refuses more than its cap', async () => {
    const c = wsClient('/ws/flood/999999999');
    await eventually(() => c.error !== undefined);
    expect(c.error?.message).toMatch(/400/);
    expect(c.opened).toBe(false);
  });

  it('/ws/silent accepts but answers no ping and no message', async () => {
    const c = wsClient('/ws/silent');
    await eventually(() => c.opened);
    let pongs = 0;
    c.ws.on('pong', () => {
      pongs++;
    });
    c.ws.ping('are you there');
    c.ws.send('hello?');
    await sleep(300);
    expect(pongs).toBe(0);
    expect(c.messages).toEqual([]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    // the echo endpoint does answer pings (the difference is the point)
    const e = wsClient('/ws/echo');
    await eventually(() => e.opened);
    let echoPongs = 0;
    e.ws.on('pong', () => {
      echoPongs++;
    });
    e.ws.ping();
    await eventually(() => echoPongs === 1);
    c.ws.terminate();
    e.ws.terminate();
  });

  it('/ws/close/<code> closes at once with that code and a reason', async () => {
    for (const code of [1000, 1001, 1011, 4000]) {
      const c = wsClient(`/ws/close/${code}`);
      await eventually(() => c.closed !== undefined);
      expect(c.opened).toBe(true);
      expect(c.closed).toEqual({ code, reason: `closing with code ${code}` });
      expect(c.error).toBeUndefined();
    }
  });

  it('/ws/close/<code> refuses a code that cannot be sent', async () => {
    for (const code of [999, 1005, 1006, 1015, 2000, 5000]) {
      const c = wsClient(`/ws/close/${code}`);
      await eventually(() => c.error !== undefined);
      expect(c.error?.message).toMatch(/400/);
      expect(c.opened).toBe(false);
    }
  });

  it('/ws/drop cuts the TCP connection right after the open (no close frame)', async () => {
    const c = wsClient('/ws/drop');
    await eventually(() => c.closed !== undefined);
    expect(c.opened).toBe(true);
    expect(c.closed?.code).toBe(1006);
  });

  it('unknown WebSocket paths are 404', async () => {
    const c = wsClient('/ws/nothing');
    await eventually(() => c.error !== undefined);
    expect(c.error?.message).toMatch(/404/);
  });
});

describe('close() with the modes busy', () => {
  it('stops trickles, large bodies and floods at once', async () => {
    const log: string[] = [];
    const p = await startPlayground({ port: 0, log: (l) => log.push(l) });
    const trickle = new Promise<void>((resolve) => {
      http
        .get(`${p.httpUrl}/trickle/10`, { agent: false }, (res) => {
          res.resume();
          res.on('close', () => resolve());
        })
        .on('error', () => resolve());
    });
    // a client that never reads a large body
    http
      .get(`${p.httpUrl}/large/${MAX_LARGE_BYTES}`, { agent: false }, (res) => res.pause())
      .on('error', () => {
        // the playground cuts it
      });
    const flood = new WebSocket(`${p.wsUrl}/ws/flood/10000000`);
    flood.on('error', () => undefined);
    const floodClosed = new Promise<void>((resolve) => flood.on('close', () => resolve()));
    const silent = new WebSocket(`${p.wsUrl}/ws/silent`);
    silent.on('error', () => undefined);
    const silentClosed = new Promise<void>((resolve) => silent.on('close', () => resolve()));
    await new Promise((r) => flood.once('open', r));
    await new Promise((r) => silent.once('open', r));
    await sleep(100);
    const t0 = Date.now();
    await p.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    await Promise.all([trickle, floodClosed, silentClosed]);
    await eventually(() => log.some((l) => l.startsWith(`GET /large/${MAX_LARGE_BYTES} -> aborted`)));
  });
});
