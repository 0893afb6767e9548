import { describe, expect, it } from 'vitest';
import { callServiceEntry } from '../../src/runtime/net/call-service.js';
import { catchError, FakeRuntime, testScope } from './fake-runtime.js';
import { closedPort, failingLookup, httpServer, rawServer } from './servers.js';

const { runtime, serve, defer } = testScope();

function echo() {
  return httpServer((req, res, body) => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`${req.method} ${req.url} ${body}`);
  });
}

describe('Call Service: requests', () => {
  it('GET builds the query from name = value pairs, form-encoded, and warns about the spaces', async () => {
    const s = await serve(echo());
    const rt = runtime();
    const r = await rt.callService(
      'get',
      `${s.origin}/get.php`,
      'request = café au lait & n = 1',
      'OnSuccess',
      'OnError',
    );
    expect(r).toEqual({ proc: 'OnSuccess', args: ['200', 'GET /get.php?request=caf%C3%A9+au+lait&n=1 '] });
    expect(rt.warnings).toHaveLength(1);
    expect(s.requests[0]?.headers['user-agent']).toMatch(/^aozrun\//);
  });

  it('GET appends to an existing query, strips a leading "?", adds no cache-buster', async () => {
    const s = await serve(echo());
    const rt = runtime();
    await rt.callService('GET', `${s.origin}/x?a=1`, '?b=2&c=x%26y', 'onsuccess');
    expect(s.requests[0]?.url).toBe('/x?a=1&b=2&c=x%26y');
    expect(rt.warnings).toEqual([]);
  });

  it('HEAD and DELETE put the parameters in the query; HEAD gives an empty response$', async () => {
    const s = await serve(echo());
    const rt = runtime();
    expect(await rt.callService('head', `${s.origin}/h`, 'a=1', 'OnSuccess')).toEqual({
      proc: 'OnSuccess',
      args: ['200', ''],
    });
    expect(s.requests[0]).toMatchObject({ method: 'HEAD', url: '/h?a=1' });
    await rt.callService('delete', `${s.origin}/d`, 'a=1', 'OnSuccess');
    expect(s.requests[1]).toMatchObject({ method: 'DELETE', url: '/d?a=1', body: '' });
  });

  it('POST (also the default method) sends the parameters as a form body', async () => {
    const s = await serve(echo());
    const rt = runtime();
    await rt.callService('post', `${s.origin}/p`, 'userid = magician & password = 1234567', 'OnSuccess');
    expect(s.requests[0]).toMatchObject({
      method: 'POST',
      url: '/p',
      body: 'userid=magician&password=1234567',
    });
    expect(s.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await rt.callService('', `${s.origin}/q`, 'a=1', 'OnSuccess');
    await rt.callService(undefined, `${s.origin}/q`, 'a=1', 'OnSuccess');
    expect(s.requests.slice(1).map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('PUT and PATCH send a body too; contentType$ sends params$ verbatim with that type', async () => {
    const s = await serve(echo());
    const rt = runtime();
    await rt.callService('put', `${s.origin}/u`, 'x = 1', 'OnSuccess');
    expect(s.requests[0]).toMatchObject({ method: 'PUT', body: 'x=1' });
    const json = '{ "name": "a b", "n": 1 }';
    await rt.callService('patch', `${s.origin}/j`, json, 'OnSuccess', '', 'application/json');
    expect(s.requests[1]).toMatchObject({ method: 'PATCH', body: json, url: '/j' });
    expect(s.requests[1]?.headers['content-type']).toBe('application/json');
  });

  it('decodes the body with the charset of Content-Type', async () => {
    const s = await serve(
      httpServer((_req, res) => {
        res.setHeader('content-type', 'text/plain; charset=iso-8859-1');
        res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      }),
    );
    const rt = runtime();
    expect((await rt.callService('get', s.origin, '', 'OnSuccess')).args).toEqual(['200', 'café']);
  });
});

describe('Call Service: outcomes', () => {
  it.each([200, 201, 204])('status %i goes to the success procedure', async (status) => {
    const s = await serve(
      httpServer((_req, res) => {
        res.writeHead(status).end(status === 204 ? undefined : 'done');
      }),
    );
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r).toEqual({ proc: 'OnSuccess', args: [String(status), status === 204 ? '' : 'done'] });
  });

  it('404 with a body goes to the error procedure with the real status and the body', async () => {
    const s = await serve(httpServer((_req, res) => res.writeHead(404).end('no such page')));
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r).toEqual({ proc: 'OnError', args: ['404', 'no such page'] });
  });

  it('a success without a success procedure does nothing', async () => {
    const s = await serve(echo());
    const rt = runtime();
    const wait = rt.run(callServiceEntry, 'get', s.origin);
    await rt.drive(wait);
    expect(rt.calls).toEqual([]);
  });

  it('follows redirects', async () => {
    const s = await serve(
      httpServer((req, res) => {
        const n = Number(req.url?.slice(1)) || 0;
        if (n < 3) res.writeHead(302, { location: `/${n + 1}` }).end();
        else res.end(`arrived at ${n}`);
      }),
    );
    const rt = runtime();
    expect(await rt.callService('get', `${s.origin}/0`, '', 'OnSuccess', 'OnError')).toEqual({
      proc: 'OnSuccess',
      args: ['200', 'arrived at 3'],
    });
  });

  it('a redirect loop or a chain longer than the limit is 508 REDIRECT, never a 3xx', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/loop') res.writeHead(301, { location: '/loop' }).end();
        else res.writeHead(307, { location: `${req.url}x` }).end();
      }),
    );
    const rt = runtime({ maxRedirects: 3 });
    const loop = await rt.callService('get', `${s.origin}/loop`, '', 'OnSuccess', 'OnError');
    expect(loop.proc).toBe('OnError');
    expect(loop.args[0]).toBe('508');
    expect(loop.args[1]).toMatch(/^REDIRECT: /);
    const chain = await rt.callService('get', `${s.origin}/a`, '', 'OnSuccess', 'OnError');
    expect(chain.args[0]).toBe('508');
    expect(chain.args[1]).toMatch(/^REDIRECT: more than 3 redirects/);
  });

  it('303 after POST becomes a GET without body; credentials are not sent to another origin', async () => {
    const other = await serve(echo());
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/form') res.writeHead(303, { location: '/done' }).end();
        else if (req.url === '/away') res.writeHead(302, { location: `${other.origin}/there` }).end();
        else res.end(`${req.method} ${req.url}`);
      }),
    );
    const rt = runtime();
    expect((await rt.callService('post', `${s.origin}/form`, 'a=1', 'OnSuccess')).args).toEqual([
      '200',
      'GET /done',
    ]);
    const withAuth = s.origin.replace('http://', 'http://user:secret@');
    await rt.callService('get', `${withAuth}/away`, '', 'OnSuccess');
    expect(s.requests.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:secret').toString('base64')}`,
    );
    expect(other.requests[0]?.url).toBe('/there');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('exactly the redirect limit still succeeds', async () => {
    const s = await serve(
      httpServer((req, res) => {
        const n = Number(req.url?.slice(1)) || 0;
        if (n < 3) res.writeHead(301, { location: `/${n + 1}` }).end();
        else res.end('ok');
      }),
    );
    const rt = runtime({ maxRedirects: 3 });
    expect((await rt.callService('get', `${s.origin}/0`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'ok',
    ]);
  });
});

describe('Call Service: transport failures are 508 with a class word', () => {
  it('connection refused: REFUSED, quickly', async () => {
    const port = await closedPort();
    const rt = runtime();
    const start = Date.now();
    const r = await rt.callService('get', `http://127.0.0.1:${port}/`, '', 'OnSuccess', 'OnError');
    expect(Date.now() - start).toBeLessThan(1000);
    expect(r.proc).toBe('OnError');
    expect(r.args).toEqual(['508', `REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`]);
  });

  it('DNS failure: DNS (injected resolver)', async () => {
    const rt = runtime({ lookup: failingLookup('ENOTFOUND') });
    const r = await rt.callService('get', 'http://no.such.host/', '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual(['508', 'DNS: no.such.host could not be resolved (ENOTFOUND)']);
    const rt2 = runtime({ lookup: failingLookup('EAI_AGAIN') });
    const r2 = await rt2.callService('get', 'http://no.such.host/', '', 'OnSuccess', 'OnError');
    expect(r2.args[1]).toMatch(/^DNS: no\.such\.host could not be resolved .*\(EAI_AGAIN\)$/);
  });

  it('a server that never answers: TIMEOUT at the headers timeout', async () => {
    const s = await serve(rawServer(() => undefined));
    const rt = runtime({ headersTimeoutMs: 300 });
    const start = Date.now();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    const elapsed = Date.now() - start;
    expect(r.args).toEqual([
      '508',
      `TIMEOUT: no response headers from 127.0.0.1:${s.port} after 0.3 s (UND_ERR_HEADERS_TIMEOUT)`,
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1300);
  });

  it('headers then a stalled body: TIMEOUT at the body timeout', async () => {
    const s = await serve(
      rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')),
    );
    const rt = runtime({ bodyTimeoutMs: 300 });
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.proc).toBe('OnError');
    expect(r.args[1]).toBe(
      `TIMEOUT: the reply from 127.0.0.1:${s.port} stalled for 0.3 s (UND_ERR_BODY_TIMEOUT)`,
    );
  });

  it('a trickling server: TIMEOUT at the overall deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    defer(() => {
      for (const t of timers) clearInterval(t);
    });
    const s = await serve(
      rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
        timers.push(
          setInterval(() => {
            if (!socket.destroyed) socket.write('1\r\nx\r\n');
          }, 50),
        );
      }),
    );
    const rt = runtime({ bodyTimeoutMs: 5000, requestDeadlineMs: 600 });
    const start = Date.now();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    const elapsed = Date.now() - start;
    expect(r.args[0]).toBe('508');
    expect(r.args[1]).toMatch(/^TIMEOUT: no complete reply from 127\.0\.0\.1:\d+ within 0\.6 s/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(1600);
  });

  it('a server closing in the middle of the body: RESET, never a success', async () => {
    const s = await serve(
      rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', () => socket.destroy());
      }),
    );
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.proc).toBe('OnError');
    expect(r.args).toEqual([
      '508',
      `RESET: 127.0.0.1:${s.port} closed the connection in the middle of the reply (UND_ERR_SOCKET)`,
    ]);
  });

  it('a server closing before replying: RESET (a GET is retried once, a POST never)', async () => {
    const s = await serve(rawServer((socket) => socket.once('data', () => socket.destroy())));
    const rt = runtime();
    const get = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(get.args[1]).toMatch(/^RESET: 127\.0\.0\.1:\d+ closed the connection before replying/);
    expect(s.connections).toBe(2);
    const post = await rt.callService('post', s.origin, 'a=1', 'OnSuccess', 'OnError');
    expect(post.args[1]).toMatch(/^RESET: /);
    expect(s.connections).toBe(3);
  });

  it('keep-alive sockets closed by the server between requests: GETs never fail', async () => {
    const s = await serve(
      rawServer((socket) => {
        socket.once('data', () => {
          // keep-alive reply (no "Connection: close"), then the server drops the socket anyway
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          setTimeout(() => socket.destroy(), 1);
        });
      }),
    );
    const rt = runtime();
    for (let i = 0; i < 200; i++) {
      expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual(['200', 'ok']);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
  });

  it('garbage instead of HTTP: PROTOCOL with the parser code', async () => {
    const s = await serve(rawServer((socket) => socket.end('garbage\r\n\r\n')));
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args[0]).toBe('508');
    expect(r.args[1]).toBe(
      `PROTOCOL: 127.0.0.1:${s.port} sent a reply that is not valid HTTP: Expected HTTP/, RTSP/ or ICE/ (HPE_INVALID_CONSTANT)`,
    );
  });

  it('broken chunked encoding: PROTOCOL', async () => {
    const s = await serve(
      rawServer((socket) =>
        socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'),
      ),
    );
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^PROTOCOL: .*chunk size \(HPE_INVALID_CHUNK_SIZE\)$/);
  });

  it('a body over the cap, with Content-Length: TOO_LARGE without reading it', async () => {
    const s = await serve(httpServer((_req, res) => res.end('x'.repeat(5000))));
    const rt = runtime({ maxResponseBytes: 1000 });
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual([
      '508',
      `TOO_LARGE: the reply from 127.0.0.1:${s.port} is larger than the limit of 1000 bytes`,
    ]);
  });

  it('a body over the cap, chunked (no Content-Length): TOO_LARGE while streaming', async () => {
    const s = await serve(
      httpServer((_req, res) => {
        for (let i = 0; i < 50; i++) res.write('y'.repeat(100));
        res.end();
      }),
    );
    const rt = runtime({ maxResponseBytes: 1000 });
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args[0]).toBe('508');
    expect(r.args[1]).toMatch(/^TOO_LARGE: /);
    // and exactly the cap is fine
    const s2 = await serve(httpServer((_req, res) => res.end('z'.repeat(1000))));
    expect((await rt.callService('get', s2.origin, '', 'OnSuccess', 'OnError')).proc).toBe('OnSuccess');
  });

  it('70 KB of response headers: TOO_LARGE', async () => {
    const s = await serve(
      rawServer((socket) =>
        socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`),
      ),
    );
    const rt = runtime();
    const r = await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^TOO_LARGE: .*\(UND_ERR_HEADERS_OVERFLOW\)$/);
  });

  it('4xx/5xx reuse the connection for the next calls', async () => {
    const s = await serve(httpServer((_req, res) => res.writeHead(500).end('oops')));
    const rt = runtime();
    for (let i = 0; i < 20; i++) {
      expect((await rt.callService('get', s.origin, '', 'OnSuccess', 'OnError')).args).toEqual([
        '500',
        'oops',
      ]);
    }
    // undici may open a second connection when a request is sent while the first one is
    // finishing its previous exchange; what matters is that they are reused.
    expect(s.connections).toBeLessThanOrEqual(2);
  });
});

describe('Call Service: checks before any I/O', () => {
  it('an unknown procedure name is procedure_not_found before any connection', async () => {
    const s = await serve(echo());
    const rt = runtime();
    expect(catchError(() => rt.run(callServiceEntry, 'get', s.origin, '', 'Nope', 'OnError')).id).toBe(
      'procedure_not_found',
    );
    expect(catchError(() => rt.run(callServiceEntry, 'get', s.origin, '', 'OnSuccess', 'pErr')).args).toEqual(
      ['pErr'],
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(s.connections).toBe(0);
  });

  it('wrong method, missing URL', () => {
    const rt = runtime();
    expect(catchError(() => rt.run(callServiceEntry, 'fetch', 'http://127.0.0.1/')).id).toBe('wrong_method');
    expect(catchError(() => rt.run(callServiceEntry, 'get', '')).id).toBe('url_missing');
    expect(catchError(() => rt.run(callServiceEntry, 'get')).id).toBe('url_missing');
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/plain,hello'],
    ['ftp:', 'ftp://127.0.0.1/x'],
    ['javascript:', 'javascript:alert(1)'],
    ['no scheme', 'no-scheme.example/path'],
    ['1 MB', `http://127.0.0.1/${'a'.repeat(1024 * 1024)}`],
    ['CR/LF', 'http://127.0.0.1/a\r\nX-Injected: 1'],
    ['NUL', 'http://127.0.0.1/a\0b'],
  ])('%s URL is illegal_function_call with no I/O', async (_label, url) => {
    const s = await serve(echo());
    const rt = runtime();
    const e = catchError(() =>
      rt.run(callServiceEntry, 'get', url.replace('127.0.0.1', `127.0.0.1:${s.port}`)),
    );
    expect(e.id).toBe('illegal_function_call');
    await new Promise((r) => setTimeout(r, 50));
    expect(s.connections).toBe(0);
  });

  it('a content type with a line break is illegal_function_call', () => {
    const rt = runtime();
    expect(
      catchError(() =>
        rt.run(callServiceEntry, 'post', 'http://127.0.0.1/', 'a', '', '', 'text/plain\r\nX: 1'),
      ).id,
    ).toBe('illegal_function_call');
  });

  it('--map rewrites the URL; spaces inside the URL are removed with a warning', async () => {
    const s = await serve(echo());
    const rt = runtime({ maps: [['http://aoz-studio.online/', `${s.origin}/`]] });
    const r = await rt.callService(
      'get',
      'HTTP://aoz-studio.online/tutos/get_post/ get.php',
      'request=x',
      'OnSuccess',
    );
    expect(r.args).toEqual(['200', 'GET /tutos/get_post/get.php?request=x ']);
    expect(rt.warnings.some((w) => /spaces removed from URL/.test(w))).toBe(true);
  });

  it('under --strict the transcription artefacts are errors', () => {
    const rt = new FakeRuntime({}, ['OnSuccess'], true);
    defer(() => rt.net.close());
    expect(catchError(() => rt.run(callServiceEntry, 'get', 'http: //127.0.0.1/')).id).toBe(
      'strict_violation',
    );
    expect(catchError(() => rt.run(callServiceEntry, 'get', 'http://127.0.0.1/', 'a = 1')).id).toBe(
      'strict_violation',
    );
  });
});

describe('Call Service: synchronous and asynchronous delivery', () => {
  it('synchronous without an error procedure: request_failed from then(), catchable', async () => {
    const s = await serve(httpServer((_req, res) => res.writeHead(403).end('forbidden\nsecond line')));
    const rt = runtime();
    const wait = rt.run(callServiceEntry, 'get', s.origin, '', 'OnSuccess');
    await expect(rt.drive(wait)).rejects.toMatchObject({ id: 'request_failed', args: ['403 forbidden'] });
    const port = await closedPort();
    const wait2 = rt.run(callServiceEntry, 'get', `http://127.0.0.1:${port}`);
    await expect(rt.drive(wait2)).rejects.toMatchObject({
      id: 'request_failed',
      message: expect.stringMatching(/status: 508 REFUSED: /),
    });
  });

  it('the Wait says what it waits for and the arrival wakes the machine', async () => {
    const s = await serve(echo());
    const rt = runtime();
    const wait = rt.run(callServiceEntry, 'get', s.origin, '', 'OnSuccess');
    expect(wait?.what).toBe('Call Service');
    expect(wait?.ready()).toBe(false);
    await rt.nextWake();
    expect(wait?.ready()).toBe(true);
  });

  it('cancel() aborts the request: nothing is delivered', async () => {
    const s = await serve(rawServer(() => undefined));
    const rt = runtime();
    const wait = rt.run(callServiceEntry, 'get', s.origin, '', 'OnSuccess', 'OnError');
    await new Promise((r) => setTimeout(r, 100));
    expect(s.connections).toBe(1);
    wait?.cancel?.();
    for (let i = 0; i < 20 && s.open.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.open.size).toBe(0);
    expect(wait?.ready()).toBe(false);
    expect(rt.wakes).toBe(0);
  });

  it('asynchronous: returns at once, posts exactly one event and releases its hold', async () => {
    const s = await serve(echo());
    const rt = runtime();
    rt.pos = { line: 7, column: 3 };
    expect(rt.run(callServiceEntry, 'get', s.origin, 'a=1', 'OnSuccess', 'OnError', '', 1)).toBeUndefined();
    expect(rt.holds).toBe(1);
    expect(rt.released).toBe(0);
    await rt.until(() => rt.released === 1);
    expect(rt.events).toEqual([
      { kind: 'call', proc: { name: 'OnSuccess', paramCount: 2 }, args: ['200', 'GET /?a=1 '] },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(rt.events).toHaveLength(1);
    expect(rt.calls).toEqual([]);
  });

  it('asynchronous failure without an error procedure posts request_failed at the Call Service line', async () => {
    const port = await closedPort();
    const rt = runtime();
    rt.pos = { line: 12, column: 1 };
    rt.run(callServiceEntry, 'get', `http://127.0.0.1:${port}`, '', 'OnSuccess', '', '', 1);
    rt.pos = { line: 20, column: 1 };
    await rt.until(() => rt.released === 1);
    expect(rt.events).toHaveLength(1);
    const ev = rt.events[0];
    expect(ev?.kind).toBe('error');
    if (ev?.kind === 'error') {
      expect(ev.error.id).toBe('request_failed');
      expect(ev.error.pos).toEqual({ line: 12, column: 1 });
    }
  });

  it('asynchronous success without a success procedure posts nothing but releases', async () => {
    const s = await serve(echo());
    const rt = runtime();
    rt.run(callServiceEntry, 'get', s.origin, '', '', '', '', 1);
    await rt.until(() => rt.released === 1);
    expect(rt.events).toEqual([]);
  });

  it('many asynchronous calls: each completes exactly once, connections capped per origin', async () => {
    let maxOpen = 0;
    const s = await serve(
      httpServer((req, res) => {
        setTimeout(() => res.end(req.url), 20);
      }),
    );
    const rt = runtime({ maxConnectionsPerOrigin: 4 });
    for (let i = 0; i < 100; i++) {
      rt.run(callServiceEntry, 'get', `${s.origin}/${i}`, '', 'OnSuccess', 'OnError', '', 1);
      maxOpen = Math.max(maxOpen, s.open.size);
    }
    const poll = setInterval(() => {
      maxOpen = Math.max(maxOpen, s.open.size);
    }, 5);
    await rt.until(() => rt.released === 100);
    clearInterval(poll);
    expect(rt.events).toHaveLength(100);
    expect(new Set(rt.events.map((e) => (e.kind === 'call' ? e.args[1] : ''))).size).toBe(100);
    expect(maxOpen).toBeLessThanOrEqual(4);
  });
});
