/**
 * Fault matrix, HTTP rows (net-fault-matrix.md rows 1–14, 17, 18, 21): Call Service against
 * misbehaving servers on 127.0.0.1, as a BASIC program sees it.
 */
import type http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type Playground, startPlayground } from '../../../src/playground/server.js';
import { closedPort, failingLookup, httpServer, rawServer } from '../servers.js';
import {
  expectNoJsLeak,
  expectOk,
  expectRequestFailure,
  FAST,
  MiB,
  mapLookup,
  outcomes,
  PROCS,
  probeMemory,
  program,
  q,
  row,
  run,
  textLines,
} from './support.js';

let pg: Playground;
beforeAll(async () => {
  pg = await startPlayground();
});
afterAll(async () => {
  await pg.close();
});

describe('fault matrix: HTTP', () => {
  row(1, 'connection refused (closed port)', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/`;
    await expectRequestFailure(
      'get',
      url,
      {
        cls: 'REFUSED',
        text: new RegExp(`^REFUSED: 127\\.0\\.0\\.1:${port} refused the connection \\(ECONNREFUSED\\)$`),
        maxMs: 1000,
      },
      { net: FAST },
    );
    // without an error procedure and without a trap: a runtime error at the Call Service line
    const r = await run(program('Print "BEFORE"', `Call Service "get", ${q(url)}`, 'Print "AFTER"'), {
      net: FAST,
    });
    expectNoJsLeak(r);
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe('BEFORE\n');
    expect(r.stderr).toMatch(
      /^Error: The request has failed, status: 508 REFUSED: .* at line 2, column 1 in test\.aoz\n/,
    );
  });

  row(2, 'DNS failure (ENOTFOUND, EAI_AGAIN)', async () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const text = await expectRequestFailure(
        'get',
        'http://no-such-host.test/',
        {
          cls: 'DNS',
          text: new RegExp(`no-such-host\\.test could not be resolved.*\\(${code}\\)$`),
          maxMs: 1000,
        },
        { net: { ...FAST, lookup: failingLookup(code) } },
      );
      expect(text).toMatch(/^DNS: /);
    }
  });

  row(3, 'server accepts, never answers', async (g) => {
    const s = await g.serve(rawServer(() => undefined));
    await expectRequestFailure(
      'get',
      `${s.origin}/`,
      // (undici checks its parser timeouts on a coarse clock: up to ~0.5 s late)
      { cls: 'TIMEOUT', text: /no response headers .* after 0\.5 s/, minMs: 450, maxMs: 1500 },
      { net: { ...FAST, headersTimeoutMs: 500 } },
      ['sync', 'async'],
    );
  });

  row(4, 'headers sent, body stalls', async (g) => {
    const s = await g.serve(
      rawServer((socket) => {
        socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes'));
      }),
    );
    await expectRequestFailure(
      'get',
      `${s.origin}/`,
      { cls: 'TIMEOUT', text: /stalled for 0\.5 s/, minMs: 450, maxMs: 1500 },
      { net: { ...FAST, bodyTimeoutMs: 500, headersTimeoutMs: 5000 } },
      ['sync', 'async'],
    );
  });

  row(5, 'trickle: 1 byte every 300 ms forever', async () => {
    await expectRequestFailure(
      'get',
      `${pg.httpUrl}/trickle/300`,
      { cls: 'TIMEOUT', text: /deadline/, minMs: 950, maxMs: 2000 },
      { net: { ...FAST, bodyTimeoutMs: 1000, requestDeadlineMs: 1000 } },
      ['sync', 'async'],
    );
  });

  row(6, 'server closes mid-body', async (g) => {
    // the playground's /cut: Content-Length 100, 10 bytes, then the end of the connection
    await expectRequestFailure(
      'get',
      `${pg.httpUrl}/cut`,
      { cls: 'RESET', text: /in the middle of the reply/ },
      { net: FAST },
    );
    // chunked, then an abrupt close
    const s = await g.serve(
      rawServer((socket) => {
        socket.once('data', () =>
          socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', () =>
            socket.destroy(),
          ),
        );
      }),
    );
    await expectRequestFailure('get', `${s.origin}/`, { cls: 'RESET' }, { net: FAST }, ['sync', 'async']);
  });

  row(
    7,
    'keep-alive socket closed by the server between requests (1000 GETs)',
    async (g) => {
      // a keep-alive reply (no "Connection: close"), then the server drops the socket anyway
      const s = await g.serve(
        rawServer((socket) => {
          socket.on('data', () => {
            socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
            setTimeout(() => socket.destroy(), 1);
          });
        }),
      );
      const r = await run(
        program(
          `For I = 1 To 1000 : Call Service "get", ${q(`${s.origin}/`)}, "", "GOOD", "KO" : Next`,
          'Print "GOOD "; N',
          PROCS,
          'Procedure GOOD[S$, R$] : Shared N : If S$ = "200" And R$ = "ok" Then N = N + 1',
          'End Proc',
        ),
        { net: FAST, timeoutMs: 20_000 },
      );
      expectOk(r);
      expect(outcomes(r)).toEqual([]);
      expect(textLines(r)).toEqual(['GOOD  1000']);
      // at most one silent retry per GET
      expect(s.connections).toBeLessThanOrEqual(2000);

      // a server that drops the connection when the request arrives: a GET is retried once, a
      // POST never
      const drop = await g.serve(rawServer((socket) => socket.once('data', () => socket.destroy())));
      const post = await run(
        program(`Call Service "post", ${q(`${drop.origin}/`)}, "a=1", "OK", "KO"`, 'Print "END"', PROCS),
        { net: FAST },
      );
      expectOk(post);
      expect(outcomes(post)).toHaveLength(1);
      expect(outcomes(post)[0]).toMatch(/^KO 508 RESET: /);
      expect(drop.connections).toBe(1);
      const get = await run(
        program(`Call Service "get", ${q(`${drop.origin}/`)}, "", "OK", "KO"`, 'Print "END"', PROCS),
        { net: FAST },
      );
      expectOk(get);
      expect(outcomes(get)).toHaveLength(1);
      expect(outcomes(get)[0]).toMatch(/^KO 508 RESET: /);
      expect(drop.connections).toBe(3);
    },
    30_000,
  );

  row(8, 'garbage instead of HTTP; broken chunked encoding', async (g) => {
    const garbage = await g.serve(
      rawServer((socket) => socket.once('data', () => socket.end('garbage\r\n\r\n'))),
    );
    await expectRequestFailure(
      'get',
      `${garbage.origin}/`,
      { cls: 'PROTOCOL', text: /not valid HTTP.*\(HPE_/ },
      { net: FAST },
    );
    const chunked = await g.serve(
      rawServer((socket) =>
        socket.once('data', () =>
          socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'),
        ),
      ),
    );
    await expectRequestFailure(
      'get',
      `${chunked.origin}/`,
      { cls: 'PROTOCOL', text: /\(HPE_/ },
      { net: FAST },
    );
  });

  row(9, 'body larger than the maximum response size (with and without Content-Length)', async () => {
    for (const path of ['/large/200000000', '/large/200000000?chunked']) {
      const probe = probeMemory();
      await expectRequestFailure(
        'get',
        `${pg.httpUrl}${path}`,
        { cls: 'TOO_LARGE', text: /larger than the limit of 1048576 bytes/ },
        { net: { ...FAST, maxResponseBytes: MiB } },
        ['sync'],
      );
      // the cap (1 MiB) plus slack for the interpreter; a buffered body would be 200 MB
      expect(probe.stop(), `${path}: memory growth`).toBeLessThan(48 * MiB);
    }
  });

  row(10, 'gzip bomb (if decompression is enabled)', async (g) => {
    // a small gzip body first: does aozrun decompress at all?
    const small = await g.serve(
      httpServer((_req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
          .end(gzipSync('hello, inflated'));
      }),
    );
    const probe = probeMemory();
    const r = await run(
      program(
        `Call Service "get", ${q(small.origin)}, "", "OK", "KO"`,
        `Call Service "get", ${q(`${pg.httpUrl}/gzip-bomb`)}, "", "LENGTH", "KO"`,
        'Print "END"',
        PROCS,
        'Procedure LENGTH[S$, R$] : Print "LENGTH "; S$; " "; Len(R$) : End Proc',
      ),
      { net: { ...FAST, maxResponseBytes: MiB } },
    );
    const growth = probe.stop();
    expectOk(r);
    const lines = textLines(r);
    expect(lines).toHaveLength(3);
    const decompresses = lines[0] === 'OK 200 hello, inflated';
    if (decompresses) {
      // counted after decompression: 100 MiB is over the cap
      expect(lines[1]).toMatch(/^KO 508 TOO_LARGE: /);
    } else {
      // no decompression at all: the program gets the small compressed body, never 100 MiB
      expect(lines[0]).toMatch(/^OK 200 /);
      const m = /^LENGTH 200 +(\d+)$/.exec(lines[1]!);
      expect(m, lines[1]).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(MiB);
    }
    expect(growth).toBeLessThan(48 * MiB);
  });

  row(11, '70 KB of response headers', async (g) => {
    const s = await g.serve(
      rawServer((socket) =>
        socket.once('data', () =>
          socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`),
        ),
      ),
    );
    await expectRequestFailure('get', `${s.origin}/`, { cls: 'TOO_LARGE', text: /headers/ }, { net: FAST });
  });

  row(12, '4xx/5xx with a body; the next 1000 calls reuse connections without stalls', async (g) => {
    const s = await g.serve(
      httpServer((req, res) => {
        if (req.url === '/500') res.writeHead(500, { 'content-type': 'text/plain' }).end('oops');
        else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
      }),
    );
    const first = await run(
      program(
        `Call Service "get", ${q(`${s.origin}/x`)}, "", "OK", "KO"`,
        `Call Service "get", ${q(`${s.origin}/500`)}, "", "OK", "KO"`,
        PROCS,
      ),
      { net: FAST },
    );
    expectOk(first);
    expect(textLines(first)).toEqual(['KO 404 no such page', 'KO 500 oops']);

    const before = s.connections;
    const r = await run(
      program(`For I = 1 To 1000 : Call Service "get", ${q(`${s.origin}/x`)}, "", "OK", "KO" : Next`, PROCS),
      { net: FAST, timeoutMs: 20_000 },
    );
    expectOk(r);
    const lines = r.lines;
    expect(lines).toHaveLength(1000);
    expect(lines.every((l) => l.text === 'KO 404 no such page')).toBe(true);
    let maxGap = lines[0]!.ms;
    for (let i = 1; i < lines.length; i++) maxGap = Math.max(maxGap, lines[i]!.ms - lines[i - 1]!.ms);
    expect(maxGap, 'longest wait between two replies (ms)').toBeLessThan(500);
    expect(s.connections - before, 'connections for 1000 sequential calls').toBeLessThanOrEqual(2);
  });

  row(13, 'redirect loop; chain longer than the limit', async (g) => {
    const s = await g.serve(
      httpServer((req, res) => {
        res
          .writeHead(req.url === '/loop' ? 301 : 302, {
            location: req.url === '/loop' ? '/loop' : `${req.url}x`,
          })
          .end();
      }),
    );
    await expectRequestFailure(
      'get',
      `${s.origin}/loop`,
      { cls: 'REDIRECT' },
      { net: { ...FAST, maxRedirects: 3 } },
    );
    await expectRequestFailure(
      'get',
      `${s.origin}/a`,
      { cls: 'REDIRECT', text: /more than 3 redirects/ },
      { net: { ...FAST, maxRedirects: 3 } },
      ['sync'],
    );
    await expectRequestFailure(
      'get',
      `${pg.httpUrl}/redirect/4`,
      { cls: 'REDIRECT' },
      { net: { ...FAST, maxRedirects: 3 } },
      ['sync'],
    );
    // exactly the limit is a success, the final reply and never a 3xx
    const ok = await run(
      program(`Call Service "get", ${q(`${pg.httpUrl}/redirect/3`)}, "", "OK", "KO"`, PROCS),
      {
        net: { ...FAST, maxRedirects: 3 },
      },
    );
    expectOk(ok);
    expect(outcomes(ok)).toHaveLength(1);
    expect(outcomes(ok)[0]).toMatch(/^OK 200 \{"method":"GET","path":"\/echo"/);
  });

  row(14, 'cross-host redirect; 303 after POST', async (g) => {
    const other = await g.serve(
      httpServer((req, res) => {
        res.end(`${req.method} ${req.url}`);
      }),
    );
    const s = await g.serve(
      httpServer((req, res) => {
        if (req.url === '/away') {
          res
            .writeHead(302, {
              location: `http://other.test:${other.port}/there`,
              'set-cookie': 'session=abc; Path=/',
            })
            .end();
        } else if (req.url === '/form') {
          res.writeHead(303, { location: '/done' }).end();
        } else {
          res.end(`${req.method} ${req.url}`);
        }
      }),
    );
    const lookup = mapLookup({ 'other.test': '127.0.0.1', 'first.test': '127.0.0.1' });
    const withAuth = `http://user:secret@first.test:${s.port}`;
    const r = await run(
      program(
        `Call Service "get", ${q(`${withAuth}/away`)}, "", "OK", "KO"`,
        `Call Service "post", ${q(`${s.origin}/form`)}, "a=1&b=2", "OK", "KO"`,
        PROCS,
      ),
      { net: { ...FAST, lookup } },
    );
    expectOk(r);
    expect(textLines(r)).toEqual(['OK 200 GET /there', 'OK 200 GET /done']);
    // the first host got the credentials, the second neither them nor the cookie
    const away = s.requests.find((x) => x.url === '/away')!;
    expect(away.headers.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    expect(other.requests).toHaveLength(1);
    const there: http.IncomingHttpHeaders = other.requests[0]!.headers;
    expect(there.authorization).toBeUndefined();
    expect(there.cookie).toBeUndefined();
    // 303 turned the POST into a GET without a body
    const done = s.requests.find((x) => x.url === '/done')!;
    expect(done.method).toBe('GET');
    expect(done.body).toBe('');
    expect(done.headers['content-length'] ?? '0').toBe('0');
    expect(done.headers['content-type']).toBeUndefined();
  });

  row(17, 'bad scheme or URL (file:, data:, ftp:, javascript:, empty, 1 MB)', async (g) => {
    const s = await g.serve(httpServer((_req, res) => res.end('should never be asked')));
    const cases: [string, string, RegExp][] = [
      ['file:', '"file:///etc/passwd"', /Illegal function call: /],
      ['data:', '"data:text/plain,hello"', /Illegal function call: /],
      ['ftp:', q(`ftp://127.0.0.1:${s.port}/x`), /Illegal function call: /],
      ['javascript:', '"javascript:alert(1)"', /Illegal function call: /],
      // AOZ's own message for a missing URL is "URL argument not defined"; either is a clear error
      ['empty', '""', /Illegal function call: |URL argument not defined/],
      ['1 MB', `${q(`${s.origin}/`)} + String$("a", 1048576)`, /Illegal function call: .*longer than/],
    ];
    for (const [label, expr, message] of cases) {
      const r = await run(
        program(
          'Print "BEFORE"',
          `U$ = ${expr} : Call Service "get", U$, "", "OK", "KO"`,
          'Print "AFTER"',
          PROCS,
        ),
        {
          net: FAST,
        },
      );
      expectNoJsLeak(r);
      expect(r.exit, label).toBe(1);
      expect(r.stdout, label).toBe('BEFORE\n');
      expect(r.stderr, label).toMatch(
        new RegExp(`^Error: (${message.source}).* at line 2, column \\d+ in test\\.aoz\\n`),
      );
      // catchable
      const trapped = await run(
        program(
          'On Error Goto H',
          `U$ = ${expr} : Call Service "get", U$, "", "OK", "KO"`,
          'Print "AFTER"',
          'End',
          'H: Print "TRAP "; Errn : Resume Next',
          PROCS,
        ),
        { net: FAST },
      );
      expectOk(trapped);
      expect(textLines(trapped), label).toEqual([expect.stringMatching(/^TRAP {2}\d+$/), 'AFTER']);
    }
    for (const url of [
      '"http://127.0.0.1/"',
      '"file:///etc/passwd"',
      '""',
      `${q(`ws://127.0.0.1:${s.port}/`)} + String$("a", 1048576)`,
    ]) {
      const r = await run(program('Print "BEFORE"', `U$ = ${url} : WebSocket Open 1, U$`, 'Print "AFTER"'), {
        net: FAST,
      });
      expectNoJsLeak(r);
      expect(r.exit, url).toBe(1);
      expect(r.stderr, url).toMatch(
        /^Error: (WebSocket URLs must begin with ws:\/\/|Illegal function call).* at line 2, /,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(s.connections, 'no I/O').toBe(0);
  });

  row(18, 'CR/LF or NUL in method, header or URL', async (g) => {
    const s = await g.serve(httpServer((_req, res) => res.end('should never be asked')));
    const url = q(`${s.origin}/a`);
    const CRLF = 'Chr$(13) + Chr$(10)';
    const cases: [string, string, RegExp][] = [
      [
        'method',
        `Call Service "get" + ${CRLF} + "X: 1", ${url}, "", "OK", "KO"`,
        /Wrong method|Illegal function call/,
      ],
      [
        'method NUL',
        `Call Service "get" + Chr$(0), ${url}, "", "OK", "KO"`,
        /Wrong method|Illegal function call/,
      ],
      [
        'header',
        `Call Service "post", ${url}, "a=1", "OK", "KO", "text/plain" + ${CRLF} + "X-Injected: 1"`,
        /Illegal function call/,
      ],
      [
        'header NUL',
        `Call Service "post", ${url}, "a=1", "OK", "KO", "text/plain" + Chr$(0)`,
        /Illegal function call/,
      ],
      [
        'URL',
        `Call Service "get", ${url} + ${CRLF} + "X-Injected: 1", "", "OK", "KO"`,
        /Illegal function call/,
      ],
      ['URL NUL', `Call Service "get", ${url} + Chr$(0) + "b", "", "OK", "KO"`, /Illegal function call/],
      ['URL LF', `Call Service "get", ${url} + Chr$(10) + "b", "", "OK", "KO"`, /Illegal function call/],
      [
        'WebSocket URL',
        `WebSocket Open 1, ${q(`ws://127.0.0.1:${s.port}/a`)} + ${CRLF} + "X: 1"`,
        /Illegal function call/,
      ],
      [
        'WebSocket protocol',
        `WebSocket Open 1, ${q(`ws://127.0.0.1:${s.port}/a`)}, "chat" + ${CRLF} + "X: 1"`,
        /Illegal function call/,
      ],
    ];
    for (const [label, statement, message] of cases) {
      const r = await run(program('Print "BEFORE"', statement, 'Print "AFTER"', PROCS), { net: FAST });
      expectNoJsLeak(r);
      expect(r.exit, label).toBe(1);
      expect(r.stdout, label).toBe('BEFORE\n');
      // one line: the control characters are not echoed raw into the message
      expect(r.stderr, label).toMatch(
        new RegExp(`^Error: (${message.source})[^\\r\\n]* at line 2, column 1 in test\\.aoz\\n`),
      );
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(s.connections, 'no byte sent').toBe(0);
  });

  row(
    21,
    '1000 asynchronous Call Service at once to one slow origin',
    async (g) => {
      const finished = new Map<string, number>();
      let open = 0;
      let maxOpen = 0;
      const s = await g.serve(
        httpServer((req, res) => {
          const id = new URL(req.url ?? '/', 'http://x').searchParams.get('i') ?? '?';
          // slow, and in an order unrelated to the order of the calls
          const delay = (Number(id) * 7919) % 40;
          setTimeout(() => {
            res.end(id, () => finished.set(id, performance.now()));
          }, delay);
        }),
      );
      const poll = setInterval(() => {
        open = s.open.size;
        maxOpen = Math.max(maxOpen, open);
      }, 2);
      g.defer(() => clearInterval(poll));
      const r = await run(
        program(
          `For I = 1 To 1000 : Call Service "get", ${q(`${s.origin}/`)}, "i=" + Mid$(Str$(I), 2), "OK", "KO", "", 1 : Next`,
          'Print "ISSUED"',
          PROCS,
        ),
        {
          net: { ...FAST, maxConnectionsPerOrigin: 8, headersTimeoutMs: 20_000, requestDeadlineMs: 30_000 },
          timeoutMs: 30_000,
        },
      );
      clearInterval(poll);
      expectOk(r);
      // replies arrive between the statements of the loop as well as after it
      expect(textLines(r).filter((l) => l === 'ISSUED')).toHaveLength(1);
      const outs = outcomes(r);
      // every call completes or gets an error, exactly once
      expect(outs).toHaveLength(1000);
      const ok = outs.filter((l) => l.startsWith('OK 200 ')).map((l) => l.slice('OK 200 '.length));
      const failed = outs.filter((l) => l.startsWith('KO '));
      expect(new Set(ok).size).toBe(ok.length);
      for (const f of failed) {
        expect(f).toMatch(/^KO 508 [A-Z_]+: /);
        expect(f).not.toMatch(/EMFILE/);
      }
      expect(r.stdout).not.toMatch(/EMFILE/);
      // at most the per-origin connection cap open
      expect(s.connections).toBeLessThanOrEqual(8);
      expect(maxOpen).toBeLessThanOrEqual(8);
      // callbacks in completion order: a reply the server finished clearly (20 ms) earlier than
      // another never reaches the program after it
      let latest = 0;
      let latestId = '';
      for (const id of ok) {
        const t = finished.get(id);
        expect(t, `server finished ${id}`).toBeDefined();
        expect(t!, `reply ${id} delivered after ${latestId}, which finished later`).toBeGreaterThan(
          latest - 20,
        );
        if (t! > latest) {
          latest = t!;
          latestId = id;
        }
      }
    },
    40_000,
  );
});
