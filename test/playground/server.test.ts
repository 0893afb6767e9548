import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CAFE_MENU, cafeAnswer, type Playground, startPlayground } from '../../src/playground/server.js';
import { cafeContract, RelayClient, relayContract } from '../interop/contract.js';

let pg: Playground;
const lines: string[] = [];

beforeAll(async () => {
  pg = await startPlayground({ port: 0, log: (line) => lines.push(line) });
});
afterAll(async () => {
  await pg.close();
});

async function json(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startPlayground', () => {
  it('listens on 127.0.0.1 on a free port and describes its URL rewrites', () => {
    expect(pg.port).toBeGreaterThan(0);
    expect(pg.httpUrl).toBe(`http://127.0.0.1:${pg.port}`);
    expect(pg.wsUrl).toBe(`ws://127.0.0.1:${pg.port}`);
    expect(pg.maps).toEqual([
      ['http://aoz-studio.online', pg.httpUrl],
      ['https://aoz-studio.online', pg.httpUrl],
      ['wss://demo.websocket.me', pg.wsUrl],
      ['ws://demo.websocket.me', pg.wsUrl],
    ]);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startPlayground({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('rejects when the port is taken', async () => {
    await expect(startPlayground({ port: pg.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('serves a short index at /', async () => {
    const res = await fetch(`${pg.httpUrl}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/tutos/get_post/get.php');
  });

  it('logs one line per request, with secrets redacted', async () => {
    await (await fetch(`${pg.httpUrl}/json`)).text();
    await eventually(() => lines.some((l) => /^GET \/json -> 200 \(\d+ ms\)$/.test(l)));
    const c = await RelayClient.open(`${pg.wsUrl}/v3/logged?api_key=SECRET123&notify_self`);
    await eventually(() => lines.some((l) => l.startsWith('WS /v3/logged?api_key=***&notify_self open')));
    c.close();
    await eventually(() => lines.some((l) => l.startsWith('WS /v3/logged closed')));
    expect(lines.join('\n')).not.toContain('SECRET123');
  });

  it('survives a logger that throws', async () => {
    const p = await startPlayground({
      log: () => {
        throw new Error('boom');
      },
    });
    try {
      const res = await fetch(`${p.httpUrl}/json`);
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      await p.close();
    }
  });
});

describe('café /tutos/get_post/get.php', () => {
  cafeContract(() => pg.httpUrl);

  it('uses the same wording as cafeAnswer', () => {
    expect(cafeAnswer(' COFFEE ')).toEqual({ status: 200, body: CAFE_MENU['coffee'] });
    expect(cafeAnswer('constructor').status).toBe(404);
    expect(cafeAnswer(undefined).status).toBe(404);
    expect(cafeAnswer('x'.repeat(500)).body.length).toBeLessThan(200);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetch(`${pg.httpUrl}/tutos/get_post/get.php?request=coffee`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('ignores a POST body that is not form-encoded', async () => {
    const res = await fetch(`${pg.httpUrl}/tutos/get_post/get.php`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'request=coffee',
    });
    expect(res.status).toBe(404);
    await res.text();
  });

  it('answers 413 to an oversized body', async () => {
    const res = await fetch(`${pg.httpUrl}/tutos/get_post/get.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `request=${'a'.repeat(2 * 1024 * 1024)}`,
    }).catch(() => null);
    // the server may close the connection before the client finished sending
    if (res) expect(res.status).toBe(413);
  });
});

describe('helpers', () => {
  it('/echo reflects a GET', async () => {
    const res = await fetch(`${pg.httpUrl}/echo?a=1&b=two%20words`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      method: 'GET',
      path: '/echo',
      query: 'a=1&b=two%20words',
      contentType: null,
      body: '',
    });
  });

  it('/echo reflects a POST body and its content type', async () => {
    const res = await fetch(`${pg.httpUrl}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'userid=magician&password=1234567',
    });
    expect(await json(res)).toEqual({
      method: 'POST',
      path: '/echo',
      query: '',
      contentType: 'application/x-www-form-urlencoded',
      body: 'userid=magician&password=1234567',
    });
  });

  it('/echo/<subpath> accepts any method', async () => {
    const res = await fetch(`${pg.httpUrl}/echo/deep/path?x`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"é":1}',
    });
    expect(await json(res)).toEqual({
      method: 'PATCH',
      path: '/echo/deep/path',
      query: 'x',
      contentType: 'application/json; charset=utf-8',
      body: '{"é":1}',
    });
    const del = await fetch(`${pg.httpUrl}/echo`, { method: 'DELETE' });
    expect((await json(del))['method']).toBe('DELETE');
  });

  it('/status/<code> answers that status', async () => {
    for (const code of [200, 201, 403, 404, 418, 500, 503]) {
      const res = await fetch(`${pg.httpUrl}/status/${code}`);
      expect(res.status).toBe(code);
      expect(await res.text()).toBe(`status ${code}`);
    }
    const noContent = await fetch(`${pg.httpUrl}/status/204`);
    expect(noContent.status).toBe(204);
    expect(await noContent.text()).toBe('');
    const bad = await fetch(`${pg.httpUrl}/status/99`);
    expect(bad.status).toBe(400);
    await bad.text();
  });

  it('/delay/<ms> answers after the delay', async () => {
    const t0 = Date.now();
    const res = await fetch(`${pg.httpUrl}/delay/200`);
    expect(await res.text()).toBe('waited 200 ms');
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
  });

  it('/delay/<ms> can be abandoned by the client', async () => {
    await expect(
      fetch(`${pg.httpUrl}/delay/20000`, { signal: AbortSignal.timeout(100) }).then((r) => r.text()),
    ).rejects.toThrow();
    const res = await fetch(`${pg.httpUrl}/json`);
    expect(res.status).toBe(200);
    await res.text();
  });

  it('/json returns the café menu', async () => {
    const res = await fetch(`${pg.httpUrl}/json`);
    expect(res.status).toBe(200);
    const doc = await json(res);
    const menu = doc['menu'] as { name: string; price: number }[];
    expect(menu.map((m) => m.name)).toEqual(['coffee', 'chocolate', 'croissant']);
    for (const m of menu) expect(typeof m.price).toBe('number');
  });

  it('/redirect/<n> chains n 302s ending at /echo', async () => {
    const first = await fetch(`${pg.httpUrl}/redirect/3?k=v`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/redirect/2?k=v');
    await first.text();
    const last = await fetch(`${pg.httpUrl}/redirect/1`, { redirect: 'manual' });
    expect(last.status).toBe(302);
    expect(last.headers.get('location')).toBe('/echo');
    await last.text();

    const followed = await fetch(`${pg.httpUrl}/redirect/3?k=v`);
    expect(followed.redirected).toBe(true);
    expect(followed.url).toBe(`${pg.httpUrl}/echo?k=v`);
    expect(await json(followed)).toMatchObject({ method: 'GET', path: '/echo', query: 'k=v' });
  });

  it('answers 404 "not found" to unknown paths', async () => {
    for (const path of ['/nothing', '/tutos/get_post/post.php', '/status/abc', '/v3/channel_1']) {
      const res = await fetch(`${pg.httpUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('not found');
    }
  });
});

describe('relay /v3/<channel>', () => {
  relayContract(() => pg.wsUrl);
});

describe('close()', () => {
  it('resolves promptly with clients connected, then refuses connections', async () => {
    const p = await startPlayground({ port: 0 });
    const a = await RelayClient.open(`${p.wsUrl}/v3/channel_1`);
    const b = await RelayClient.open(`${p.wsUrl}/v3/channel_1?notify_self`);
    const pending = fetch(`${p.httpUrl}/delay/30000`).then(
      (r) => r.text(),
      (e: unknown) => e,
    );
    // an idle keep-alive HTTP connection as well
    await (await fetch(`${p.httpUrl}/json`)).text();
    await new Promise((r) => setTimeout(r, 50));

    const t0 = Date.now();
    await p.close();
    expect(Date.now() - t0).toBeLessThan(1000);

    expect(await a.whenClosed(1000)).toBe(true);
    expect(await b.whenClosed(1000)).toBe(true);
    expect(await pending).toBeInstanceOf(Error);

    await expect(fetch(`${p.httpUrl}/json`)).rejects.toThrow();
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${p.wsUrl}/v3/channel_1`);
        ws.on('open', () => resolve('open'));
        ws.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    // the port is free again
    await new Promise<void>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(p.port, '127.0.0.1', () => srv.close(() => resolve()));
    });

    // close() twice is fine
    await p.close();
  });
});
