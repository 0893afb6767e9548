/**
 * Request limits: the bounded per-origin queue (net-fault-matrix row 21), decompression counted
 * against the maximum response size (rows 9, 10), and the redirects aozrun now follows itself.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Wait } from '../../src/interpreter/runtime-api.js';
import { callServiceEntry } from '../../src/runtime/net/call-service.js';
import { FakeRuntime, testScope } from './fake-runtime.js';
import { httpServer, rawServer } from './servers.js';

const { runtime, serve } = testScope();

describe('the bounded request queue', () => {
  it('1000 asynchronous calls to a slow origin: connections capped, the statement waits when the queue is full, all complete', async () => {
    const s = await serve(httpServer((req, res) => setTimeout(() => res.end(req.url), 5)));
    const rt = runtime({ maxConnectionsPerOrigin: 8, maxQueuedRequests: 100 });
    let maxOpen = 0;
    let maxInFlight = 0;
    let waits = 0;
    const poll = setInterval(() => {
      maxOpen = Math.max(maxOpen, s.open.size);
    }, 2);
    for (let i = 0; i < 1000; i++) {
      const wait = rt.run(callServiceEntry, 'get', `${s.origin}/${i}`, '', 'OnSuccess', 'OnError', '', 1);
      maxInFlight = Math.max(maxInFlight, rt.net.slots.inFlight(s.origin));
      if (wait) {
        // The program is suspended at this statement until a slot frees.
        waits++;
        expect(wait.what).toBe('Call Service');
        expect(wait.ready()).toBe(false);
        await rt.until(() => wait.ready());
        wait.onReady?.(rt);
      }
      maxOpen = Math.max(maxOpen, s.open.size);
    }
    await rt.until(() => rt.released === 1000, 60_000);
    clearInterval(poll);
    expect(waits).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(108);
    expect(maxOpen).toBeLessThanOrEqual(8);
    expect(rt.events).toHaveLength(1000);
    expect(rt.events.every((e) => e.kind === 'call' && e.proc.name === 'OnSuccess')).toBe(true);
    expect(new Set(rt.events.map((e) => (e.kind === 'call' ? e.args[1] : ''))).size).toBe(1000);
    expect(rt.holds).toBe(1000);
    expect(rt.net.slots.inFlight(s.origin)).toBe(0);
  }, 60_000);

  it('with the defaults, 1000 asynchronous calls never open more than 8 connections', async () => {
    const s = await serve(httpServer((req, res) => setTimeout(() => res.end(req.url), 2)));
    const rt = runtime();
    let maxOpen = 0;
    const poll = setInterval(() => {
      maxOpen = Math.max(maxOpen, s.open.size);
    }, 2);
    for (let i = 0; i < 1000; i++) {
      const wait = rt.run(callServiceEntry, 'get', `${s.origin}/${i}`, '', 'OnSuccess', 'OnError', '', 1);
      expect(rt.net.slots.inFlight(s.origin)).toBeLessThanOrEqual(8 + 256);
      if (wait) await rt.drive(wait, 60_000);
    }
    await rt.until(() => rt.released === 1000, 60_000);
    clearInterval(poll);
    expect(maxOpen).toBeLessThanOrEqual(8);
    expect(rt.events.filter((e) => e.kind === 'call' && e.proc.name === 'OnSuccess')).toHaveLength(1000);
  }, 60_000);

  it('a synchronous Call Service waits for a slot, then for its reply; other origins are not held up', async () => {
    const slow = await serve(httpServer((req, res) => setTimeout(() => res.end(`slow ${req.url}`), 200)));
    const fast = await serve(httpServer((_req, res) => res.end('fast')));
    const rt = runtime({ maxConnectionsPerOrigin: 1, maxQueuedRequests: 1 });
    expect(
      rt.run(callServiceEntry, 'get', `${slow.origin}/1`, '', 'OnSuccess', 'OnError', '', 1),
    ).toBeUndefined();
    expect(
      rt.run(callServiceEntry, 'get', `${slow.origin}/2`, '', 'OnSuccess', 'OnError', '', 1),
    ).toBeUndefined();
    // another origin has its own slots
    expect((await rt.callService('get', fast.origin, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'fast',
    ]);
    const wait = rt.run(callServiceEntry, 'get', `${slow.origin}/3`, '', 'OnSuccess', 'OnError');
    expect(wait?.ready()).toBe(false);
    await rt.drive(wait);
    expect(rt.calls.at(-1)).toEqual({ proc: 'OnSuccess', args: ['200', 'slow /3'] });
    await rt.until(() => rt.released === 2);
    expect(rt.events.map((e) => (e.kind === 'call' ? e.args[1] : ''))).toEqual(['slow /1', 'slow /2']);
  });

  it('cancelling a statement that waits for a slot: its request is never sent', async () => {
    const slow = await serve(httpServer((req, res) => setTimeout(() => res.end(req.url), 100)));
    const rt = runtime({ maxConnectionsPerOrigin: 1, maxQueuedRequests: 0 });
    rt.run(callServiceEntry, 'get', `${slow.origin}/1`, '', 'OnSuccess', 'OnError', '', 1);
    const waiting = rt.run(
      callServiceEntry,
      'get',
      `${slow.origin}/2`,
      '',
      'OnSuccess',
      'OnError',
      '',
      1,
    ) as Wait;
    const waitingSync = rt.run(
      callServiceEntry,
      'get',
      `${slow.origin}/3`,
      '',
      'OnSuccess',
      'OnError',
    ) as Wait;
    waiting.cancel?.();
    waitingSync.cancel?.();
    await rt.until(() => rt.released === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(slow.requests.map((r) => r.url)).toEqual(['/1']);
    expect(waiting.ready()).toBe(false);
    expect(waitingSync.ready()).toBe(false);
    // and the slot is free again
    expect((await rt.callService('get', `${slow.origin}/4`, '', 'OnSuccess')).args).toEqual(['200', '/4']);
  });

  it('Net.close() forgets the statements waiting for a slot', async () => {
    const slow = await serve(rawServer(() => undefined));
    const rt = new FakeRuntime({ maxConnectionsPerOrigin: 1, maxQueuedRequests: 0 });
    rt.run(callServiceEntry, 'get', `${slow.origin}/1`, '', 'OnSuccess', 'OnError', '', 1);
    const waiting = rt.run(
      callServiceEntry,
      'get',
      `${slow.origin}/2`,
      '',
      'OnSuccess',
      'OnError',
      '',
      1,
    ) as Wait;
    await rt.net.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(waiting.ready()).toBe(false);
    expect(rt.released).toBe(rt.holds);
    expect(rt.events).toEqual([]);
  });
});

describe('decompression and the maximum response size', () => {
  const text = 'café au lait, '.repeat(200);

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ] as const)('%s bodies are decoded', async (coding, compress) => {
    const s = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-encoding': coding, 'content-type': 'text/plain; charset=utf-8' });
        res.end(compress(Buffer.from(text)));
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual(['200', text]);
    expect(s.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('gzip then br (two codings) and an empty compressed body', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/empty') {
          res.writeHead(204, { 'content-encoding': 'gzip' }).end();
          return;
        }
        res.writeHead(200, { 'content-encoding': 'gzip, br' });
        res.end(brotliCompressSync(gzipSync(Buffer.from('twice'))));
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'twice',
    ]);
    expect((await rt.callService('get', `${s.origin}/empty`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '204',
      '',
    ]);
  });

  it('a gzip bomb is TOO_LARGE, counted after decompression, without inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)); // 200 MB of zeros, ~200 KB compressed
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const s = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length });
        res.end(bomb);
      }),
    );
    const rt = runtime({ maxResponseBytes: 1024 * 1024 });
    const before = process.memoryUsage().arrayBuffers;
    const start = Date.now();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual([
      '508',
      `TOO_LARGE: the reply from 127.0.0.1:${s.port} is larger than the limit of 1048576 bytes`,
    ]);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a compressed body under the cap that inflates over it is TOO_LARGE; exactly the cap passes', async () => {
    const s = await serve(
      httpServer((req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.alloc(req.url === '/cap' ? 1000 : 1001, 'a')));
      }),
    );
    const rt = runtime({ maxResponseBytes: 1000 });
    expect((await rt.callService('get', `${s.origin}/over`, '', 'OnSuccess', 'OnError')).args[1]).toMatch(
      /^TOO_LARGE: /,
    );
    expect((await rt.callService('get', `${s.origin}/cap`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'a'.repeat(1000),
    ]);
  });

  it('a corrupt or truncated compressed body is PROTOCOL, never a success', async () => {
    const good = gzipSync(Buffer.from(text));
    const s = await serve(
      httpServer((req, res) => {
        res.writeHead(200, { 'content-encoding': req.url === '/br' ? 'br' : 'gzip' });
        if (req.url === '/garbage') res.end('this is not gzip at all');
        else if (req.url === '/br') res.end('not brotli either, not at all');
        else res.end(good.subarray(0, good.length - 12));
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', `${s.origin}/garbage`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '508',
      `PROTOCOL: 127.0.0.1:${s.port} sent a compressed body that cannot be decoded (Z_DATA_ERROR)`,
    ]);
    expect((await rt.callService('get', `${s.origin}/cut`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '508',
      `PROTOCOL: 127.0.0.1:${s.port} sent a compressed body that ends too early (Z_BUF_ERROR)`,
    ]);
    const br = await rt.callService('get', `${s.origin}/br`, '', 'OnSuccess', 'OnError');
    expect(br.args[1]).toMatch(/^PROTOCOL: .* compressed body that cannot be decoded \(ERR__ERROR_/);
  });

  it('a compressed body cut by the server: RESET, never a success', async () => {
    const big = gzipSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n')));
    const s = await serve(
      rawServer((socket) => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${big.length}\r\n\r\n`);
        socket.write(big.subarray(0, big.length >> 1), () => socket.destroy());
      }),
    );
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual([
      '508',
      `RESET: 127.0.0.1:${s.port} closed the connection in the middle of the reply (UND_ERR_SOCKET)`,
    ]);
  });

  it('the trace counts the bytes after decompression, before charset decoding', async () => {
    const s = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=iso-8859-1' });
        res.end(gzipSync(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
      }),
    );
    const lines: string[] = [];
    const rt = runtime({ trace: (l) => lines.push(l) });
    expect((await rt.callService('get', s.origin, '', 'OnSuccess')).args).toEqual(['200', 'café']);
    expect(lines.at(-1)).toBe(`http< 200 GET ${s.origin}/ (4 bytes)`);
  });

  it('an unknown coding is delivered as received', async () => {
    const s = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-encoding': 'x-custom' }).end('raw bytes');
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'raw bytes',
    ]);
  });
});

describe('redirects, hop by hop', () => {
  it('301/302 after POST become GET; 307/308 keep the method and the body', async () => {
    const s = await serve(
      httpServer((req, res, body) => {
        if (req.url === '/301' || req.url === '/302')
          res.writeHead(Number(req.url.slice(1)), { location: '/done' }).end();
        else if (req.url === '/307' || req.url === '/308')
          res.writeHead(Number(req.url.slice(1)), { location: '/done' }).end();
        else res.end(`${req.method} ${body} ${req.headers['content-type'] ?? '-'}`);
      }),
    );
    const rt = runtime();
    for (const code of ['301', '302']) {
      expect((await rt.callService('post', `${s.origin}/${code}`, 'a=1', 'OnSuccess')).args).toEqual([
        '200',
        'GET  -',
      ]);
    }
    for (const code of ['307', '308']) {
      expect((await rt.callService('post', `${s.origin}/${code}`, 'a=1', 'OnSuccess')).args).toEqual([
        '200',
        'POST a=1 application/x-www-form-urlencoded',
      ]);
    }
    expect((await rt.callService('put', `${s.origin}/302`, 'b=2', 'OnSuccess')).args).toEqual([
      '200',
      'PUT b=2 application/x-www-form-urlencoded',
    ]);
  });

  it('POST answered by 303 to the same URL is no loop; a real loop is REDIRECT', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.method === 'POST') res.writeHead(303, { location: req.url }).end();
        else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
        else res.end(`${req.method} ${req.url}`);
      }),
    );
    const rt = runtime();
    expect((await rt.callService('post', `${s.origin}/form`, 'a=1', 'OnSuccess')).args).toEqual([
      '200',
      'GET /form',
    ]);
    expect((await rt.callService('get', `${s.origin}/loop`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '508',
      `REDIRECT: 127.0.0.1:${s.port} redirects in a loop (back to "${s.origin}/loop")`,
    ]);
  });

  it('a redirect to another scheme or an invalid URL is REDIRECT', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/ftp') res.writeHead(302, { location: 'ftp://127.0.0.1/file' }).end();
        else if (req.url === '/file') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        else res.writeHead(302, { location: 'http://[bad' }).end();
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', `${s.origin}/ftp`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '508',
      `REDIRECT: 127.0.0.1:${s.port} redirects to a ftp: URL, which aozrun does not follow`,
    ]);
    expect((await rt.callService('get', `${s.origin}/file`, '', 'OnSuccess', 'OnError')).args[1]).toMatch(
      /^REDIRECT: .*file: URL/,
    );
    expect((await rt.callService('get', `${s.origin}/bad`, '', 'OnSuccess', 'OnError')).args[1]).toMatch(
      /^REDIRECT: .* redirects to an invalid URL/,
    );
  });

  it('--map applies to Location headers too', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/start') res.writeHead(302, { location: 'http://aoz-studio.online/next' }).end();
        else res.end(`at ${req.url}`);
      }),
    );
    const rt = runtime({ maps: [['http://aoz-studio.online/', `${s.origin}/`]] });
    expect((await rt.callService('get', 'http://aoz-studio.online/start', '', 'OnSuccess')).args).toEqual([
      '200',
      'at /next',
    ]);
  });

  it('redirects are disabled with maxRedirects 0', async () => {
    const s = await serve(httpServer((_req, res) => res.writeHead(302, { location: '/x' }).end()));
    const rt = runtime({ maxRedirects: 0 });
    expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual([
      '508',
      `REDIRECT: 127.0.0.1:${s.port} answered with a redirect (HTTP 302) and redirects are disabled`,
    ]);
  });

  it('the request deadline covers every hop', async () => {
    const s = await serve(
      httpServer((req, res) => {
        const n = Number(req.url?.slice(1)) || 0;
        setTimeout(() => res.writeHead(302, { location: `/${n + 1}` }).end(), 150);
      }),
    );
    const rt = runtime({ requestDeadlineMs: 400, maxRedirects: 20 });
    const start = Date.now();
    const r = await rt.callService('get', `${s.origin}/0`, '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^TIMEOUT: no complete reply from 127\.0\.0\.1:\d+ within 0\.4 s/);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
