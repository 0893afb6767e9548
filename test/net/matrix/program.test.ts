/**
 * Fault matrix, program rows (net-fault-matrix.md rows 22, 23, 32, 33): the end of a program with
 * the network busy, errors inside event procedures, fuzzed programs against a misbehaving server,
 * and resource abuse.
 */
import { createHash } from 'node:crypto';
import type net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type Playground, startPlayground } from '../../../src/playground/server.js';
import { closedPort, rawServer, type TestServer } from '../servers.js';
import { removeChildRunner, runInChild } from './child.js';
import {
  expectNoJsLeak,
  expectOk,
  FAST,
  type MatrixNet,
  MiB,
  PROCS,
  probeMemory,
  program,
  q,
  row,
  run,
  start,
  textLines,
} from './support.js';

let pg: Playground;
beforeAll(async () => {
  pg = await startPlayground();
});
afterAll(async () => {
  await pg.close();
  await removeChildRunner();
});

/** Resource types (from process.getActiveResourcesInfo) with their counts. */
function resources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Waits up to `ms` for the sockets counts to be back to `before`; returns how long it took. */
async function socketsBack(before: Map<string, number>, ms: number): Promise<number> {
  const t0 = performance.now();
  const extra = () =>
    ['TCPSocketWrap', 'TCPConnectWrap', 'TLSWrap'].some(
      (t) => (resources().get(t) ?? 0) > (before.get(t) ?? 0),
    );
  while (extra() && performance.now() - t0 < ms) await new Promise((r) => setTimeout(r, 10));
  expect(extra(), 'sockets still open').toBe(false);
  return performance.now() - t0;
}

/** 5 connected channels, 50 requests in flight; then the line "READY". */
function busyProgram(tail: string[]): string {
  return program(
    'For C = 1 To 5',
    ` WebSocket On Message C, "LATE1" : WebSocket On Close C, "LATE2" : WebSocket On Error C, "LATE1"`,
    ` WebSocket Open C, ${q(`${pg.wsUrl}/ws/echo`)}`,
    'Next C',
    'Repeat',
    ' Wait 0.01 : N = 0',
    ' For C = 1 To 5 : If WebSocket Is Connected(C) Then N = N + 1',
    ' Next C',
    'Until N = 5',
    `For I = 1 To 50 : Call Service "get", ${q(`${pg.httpUrl}/slow-headers/30000`)}, "", "LATE", "LATE", "", 1 : Next I`,
    'Wait 0.2',
    'Print "READY"',
    ...tail,
    'Procedure LATE[S$, R$] : Print "LATE "; S$; " "; R$ : End Proc',
    'Procedure LATE1[M$] : Print "LATE "; M$ : End Proc',
    'Procedure LATE2[C, R$] : Print "LATE "; C : End Proc',
  );
}

describe('fault matrix: the program', () => {
  row(22, 'End or Ctrl-C with 50 requests and 5 channels open', async () => {
    const net: MatrixNet = { ...FAST, headersTimeoutMs: 60_000, requestDeadlineMs: 60_000 };
    // End
    const before = resources();
    const ended = await run(busyProgram(['End']), { net, timeoutMs: 20_000 });
    expectOk(ended);
    expect(textLines(ended)).toEqual(['READY']);
    const ready = ended.lines[0]!.ms;
    expect(ended.ms - ready, 'from End to the end of the run (ms)').toBeLessThan(1000);
    await socketsBack(before, 1000);

    // Ctrl-C
    const running = start(busyProgram(['Do : Wait 0.01 : Loop']), { net, timeoutMs: 20_000 });
    await running.waitForLine(/^READY$/);
    const t0 = performance.now();
    running.session.interrupt();
    const r = await running.result;
    expect(performance.now() - t0, 'from Ctrl-C to the end of the run (ms)').toBeLessThan(1000);
    expectNoJsLeak(r);
    expect(r.exit).toBe(130);
    expect(textLines(r)).toEqual(['READY']);
    expect(r.stderr).toMatch(/^Interrupted \(Ctrl-C\)/);
    await socketsBack(before, 1000);
    // nothing runs afterwards either
    await new Promise((res) => setTimeout(res, 200));
    expect(textLines(r)).toEqual(['READY']);
  });

  row(23, 'runtime error inside a success/error/message procedure', async () => {
    const port = await closedPort();
    const good = q(`${pg.httpUrl}/json`);
    const bad = q(`http://127.0.0.1:${port}/`);
    const cases: [string, string[]][] = [
      // [what, the main program]
      ['success procedure', [`Call Service "get", ${good}, "", "BAD", "KO"`]],
      ['error procedure', [`Call Service "get", ${bad}, "", "OK", "BAD"`]],
      [
        'asynchronous success procedure',
        [`Call Service "get", ${good}, "", "BAD", "KO", "", 1`, 'Repeat : Wait 0.01 : Until DONE'],
      ],
      [
        'asynchronous error procedure',
        [`Call Service "get", ${bad}, "", "OK", "BAD", "", 1`, 'Repeat : Wait 0.01 : Until DONE'],
      ],
      [
        'message procedure',
        [
          'WebSocket On Message 1, "BADMSG"',
          `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/echo`)}`,
          'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
          'WebSocket Send Message 1, "hello"',
          'Repeat : Wait 0.01 : Until DONE',
        ],
      ],
    ];
    /** The procedures, with or without their own On Error (errors are handled per frame). */
    const procedures = (trap: boolean): string[] => {
      const body = (header: string, arg: string) => [
        header,
        ...(trap ? [' On Error Goto PH'] : []),
        ' Shared DONE : DONE = 1',
        ` Print "IN BAD " + ${arg}`,
        ' X = 1 / 0',
        ` Print "${trap ? 'RESUMED' : 'NOT HERE'}"`,
        ...(trap ? [' Goto OUT', ' PH: Print "TRAP "; Errn : Resume Next', ' OUT:'] : []),
        'End Proc',
      ];
      return [...body('Procedure BAD[S$, R$]', 'S$'), ...body('Procedure BADMSG[M$]', 'M$'), PROCS];
    };
    for (const [what, main] of cases) {
      // untrapped: a BASIC error at the procedure's line, the program stops there
      const src = program('Print "BEFORE"', ...main, 'Print "AFTER"', 'End', ...procedures(false));
      const header = what === 'message procedure' ? 'Procedure BADMSG[M$]' : 'Procedure BAD[S$, R$]';
      const badLine = src.split('\n').indexOf(header) + 4;
      const r = await run(src, { net: FAST, timeoutMs: 5000 });
      expectNoJsLeak(r);
      expect(r.exit, what).toBe(1);
      expect(textLines(r), what).toEqual(['BEFORE', expect.stringMatching(/^IN BAD /)]);
      expect(r.stderr, what).toMatch(
        new RegExp(
          `^Error: Illegal function call: division by zero at line ${badLine}, column \\d+ in test\\.aoz\\n`,
        ),
      );
      // trapped by On Error in the procedure: the procedure and then the program go on
      const trapped = await run(
        program('Print "BEFORE"', ...main, 'Print "AFTER"', 'End', ...procedures(true)),
        {
          net: FAST,
          timeoutMs: 5000,
        },
      );
      expectOk(trapped);
      expect(textLines(trapped), what).toEqual([
        'BEFORE',
        expect.stringMatching(/^IN BAD /),
        'TRAP  23',
        'RESUMED',
        'AFTER',
      ]);
    }
  });

  row(
    32,
    'fuzzed programs (random bytes, grammar-generated) including network calls to a fuzz server',
    async (g) => {
      const fuzz = await g.serve(fuzzServer());
      const closed = await closedPort();
      const net: MatrixNet = {
        ...FAST,
        connectTimeoutMs: 300,
        headersTimeoutMs: 300,
        bodyTimeoutMs: 300,
        requestDeadlineMs: 800,
        wsHandshakeTimeoutMs: 300,
        wsHeartbeatMs: 300,
        maxResponseBytes: 256 * 1024,
        wsMaxMessageBytes: 16 * 1024,
        wsMaxQueuedMessages: 50,
        wsSendHighWaterBytes: 64 * 1024,
        maxQueuedRequests: 4,
        maxConnectionsPerOrigin: 2,
      };
      const timeoutMs = 2500;
      let worst = 0;
      await fc.assert(
        fc.asyncProperty(fuzzProgram(fuzz.port, pg, closed), async (src) => {
          const probe = probeMemory();
          const r = await run(src, { net, timeoutMs });
          const growth = probe.stop();
          worst = Math.max(worst, r.ms);
          expectNoJsLeak(r);
          expect([0, 1, 2, 124]).toContain(r.exit);
          if (r.exit === 1 || r.exit === 2) expect(r.stderr).toMatch(/(^|\n)Error: .* (at )?line \d+/);
          expect(r.ms).toBeLessThan(timeoutMs + 1000);
          expect(growth).toBeLessThan(96 * MiB);
        }),
        { seed: 20_251_126 + 32, numRuns: Number(process.env['FUZZ_RUNS']) || 24 },
      );
      expect(worst).toBeLessThan(timeoutMs + 1000);
    },
    120_000,
  );

  row(
    33,
    'resource abuse: infinite recursion, string doubling, Dim of 1e9, error procedure calling Call Service forever',
    async () => {
      const cases: [string, string, RegExp, { maxCallDepth?: number; timeoutMs?: number }][] = [
        [
          'recursion',
          'Procedure R[N] : R[N + 1] : End Proc\nR[1]',
          /^Error: Out of stack space at line 1/,
          {},
        ],
        ['Gosub recursion', 'L: Gosub L', /^Error: Out of stack space at line 1/, {}],
        ['string doubling', 'A$ = "x"\nDo : A$ = A$ + A$ : Loop', /^Error: String too long.* at line 2/, {}],
        ['Dim of 1e9', 'Dim A(1000000000)', /^Error: Out of memory.* at line 1/, {}],
        ['Dim of 1e9 in two dimensions', 'Dim A$(31623, 31623)', /^Error: Out of memory.* at line 1/, {}],
        ['nested parentheses', `Print ${'('.repeat(20_000)}1${')'.repeat(20_000)}`, /^Error: /, {}],
      ];
      for (const [what, src, message, opts] of cases) {
        const probe = probeMemory();
        const r = await run(src, { timeoutMs: 10_000, ...opts });
        const growth = probe.stop();
        expectNoJsLeak(r);
        expect(r.exit, `${what}: ${r.stderr}`).toBeGreaterThanOrEqual(1);
        expect(r.exit, what).toBeLessThanOrEqual(2);
        expect(r.stderr, what).toMatch(message);
        expect(growth, what).toBeLessThan(600 * MiB);
      }

      // the error procedure calls Call Service again, synchronously: bounded by the call depth
      const port = await closedPort();
      const bad = q(`http://127.0.0.1:${port}/`);
      const sync = await run(
        program(
          `Call Service "get", ${bad}, "", "OK", "AGAIN"`,
          'Procedure AGAIN[S$, R$]',
          ` Call Service "get", ${bad}, "", "OK", "AGAIN"`,
          'End Proc',
          PROCS,
        ),
        { net: FAST, maxCallDepth: 200, timeoutMs: 10_000 },
      );
      expectNoJsLeak(sync);
      expect(sync.exit).toBe(1);
      expect(sync.stderr).toMatch(/^Error: Out of stack space at line 3/);

      // ... and asynchronously: a chain of requests bounded by the time limit, memory flat
      const probe2 = probeMemory();
      const chained = await run(
        program(
          `Call Service "get", ${bad}, "", "OK", "AGAIN", "", 1`,
          'Do : Wait 0.01 : Loop',
          'Procedure AGAIN[S$, R$]',
          ' Shared N : N = N + 1',
          ` Call Service "get", ${bad}, "", "OK", "AGAIN", "", 1`,
          'End Proc',
          PROCS,
        ),
        { net: FAST, timeoutMs: 2000 },
      );
      const growth2 = probe2.stop();
      expectNoJsLeak(chained);
      expect(chained.exit).toBe(124);
      expect(chained.ms).toBeLessThan(3000);
      expect(growth2).toBeLessThan(64 * MiB);

      // a program that fills memory (1 MB per statement) stops with Out of memory at the configured
      // limit; in a child process with a 1 GB V8 heap, since a V8 abort would take the test down
      const filled = await runInChild(
        program(
          'Dim A$(100000)',
          'For I = 0 To 100000 : A$(I) = Lower$(String$("x", 1000000) + Str$(I)) : Next I',
        ),
        { maxHeapBytes: 256 * MiB, timeoutMs: 20_000 },
        {},
        ['--max-old-space-size=1024'],
      );
      expect(filled.signal, 'the child was killed').toBeNull();
      expect(filled.stderr).not.toMatch(/FATAL ERROR|heap out of memory/i);
      expect(filled.exit, filled.stderr.slice(0, 500)).toBe(1);
      expect(filled.stderr).toMatch(/^Error: Out of memory.* at line 2/);
    },
    60_000,
  );
});

// ---------------------------------------------------------------------------------------------
// The fuzz server and the program generator of row 32

/** What the fuzz server does for /f/<n>: n modulo the number of behaviours. */
const BEHAVIOURS: readonly ((socket: net.Socket, head: string) => void)[] = [
  (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  (s) => s.end('garbage\r\n\r\n'),
  (s) => s.destroy(),
  () => undefined,
  (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstall'),
  (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', () => s.destroy()),
  (s) => s.end(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`),
  (s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'),
  (s, head) => {
    const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '/';
    s.write(`HTTP/1.1 302 Found\r\nLocation: ${path}\r\nContent-Length: 0\r\n\r\n`);
  },
  (s) => s.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
  (s, head) => {
    upgrade(s, head);
    s.write(Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x83, 0x00]));
  },
  (s) => s.write('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found'),
  (s) => {
    s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    const timer = setInterval(() => {
      if (s.destroyed) clearInterval(timer);
      else s.write('1\r\nx\r\n');
    }, 50);
    s.on('close', () => clearInterval(timer));
  },
  (s, head) => {
    upgrade(s, head);
    const frames: Buffer[] = [];
    for (let i = 0; i < 200; i++) frames.push(Buffer.from([0x81, 0x03, 0x61 + (i % 26), 0x62, 0x63]));
    s.write(Buffer.concat(frames));
  },
  (s, head) => {
    upgrade(s, head);
    s.write(Buffer.from([0x81, 0x7f, 0, 0, 0, 1, 0, 0, 0, 0]));
  },
];

function upgrade(socket: net.Socket, head: string): void {
  const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}

function fuzzServer(): Promise<TestServer> {
  return rawServer((socket) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (head.length > 200_000) {
        socket.destroy();
        return;
      }
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = head.slice(0, end);
      head = head.slice(end + 4);
      const n = Number(/^\S+ \/f\/(\d+)/.exec(request)?.[1] ?? 0);
      try {
        BEHAVIOURS[n % BEHAVIOURS.length]!(socket, request);
      } catch {
        socket.destroy();
      }
    };
    socket.on('data', onData);
  });
}

/** A BASIC string literal of arbitrary printable text (quotes removed). */
const text = fc.string({ maxLength: 12 }).map((s) => `"${s.replace(/["\r\n]/g, '')}"`);

function fuzzProgram(port: number, playground: Playground, closed: number): fc.Arbitrary<string> {
  const httpUrl = fc.oneof(
    fc.nat({ max: 200 }).map((n) => `http://127.0.0.1:${port}/f/${n}`),
    fc.constantFrom(
      `${playground.httpUrl}/cut`,
      `${playground.httpUrl}/trickle/50`,
      `${playground.httpUrl}/large/2000000`,
      `${playground.httpUrl}/gzip-bomb`,
      `${playground.httpUrl}/slow-headers/100`,
      `${playground.httpUrl}/status/500`,
      `${playground.httpUrl}/redirect/9`,
      `http://127.0.0.1:${closed}/`,
      'http://no-such-host.invalid/',
      '',
      'htp:/x',
      'javascript:alert(1)',
    ),
  );
  const wsUrl = fc.oneof(
    fc.nat({ max: 200 }).map((n) => `ws://127.0.0.1:${port}/f/${n}`),
    fc.constantFrom(
      `${playground.wsUrl}/ws/echo`,
      `${playground.wsUrl}/ws/flood/500`,
      `${playground.wsUrl}/ws/silent`,
      `${playground.wsUrl}/ws/drop`,
      `${playground.wsUrl}/ws/close/4000`,
      `${playground.wsUrl}/v3/fuzz?notify_self`,
      `ws://127.0.0.1:${closed}/`,
      'ws:',
      'http://127.0.0.1/',
    ),
  );
  const ch = fc.integer({ min: 0, max: 2 });
  const method = fc.constantFrom('get', 'post', 'put', 'head', 'delete', 'patch', 'GET', 'bogus', '');
  const statement = fc.oneof(
    {
      arbitrary: fc
        .tuple(method, httpUrl, text, fc.constantFrom('', ', "", 1', ', "", 0'))
        .map(([m, u, p, a]) => `Call Service "${m}", "${u}", ${p}, "OK", "KO"${a}`),
      weight: 4,
    },
    { arbitrary: fc.tuple(method, httpUrl).map(([m, u]) => `Call Service "${m}", "${u}"`), weight: 1 },
    { arbitrary: fc.tuple(ch, wsUrl).map(([c, u]) => `WebSocket Open ${c}, "${u}"`), weight: 4 },
    { arbitrary: fc.tuple(ch, text).map(([c, t]) => `WebSocket Send Message ${c}, ${t}`), weight: 2 },
    {
      arbitrary: fc
        .tuple(ch, fc.constantFrom('Message$', 'Error$', 'Is Connected', 'Is Message', 'Is Error'))
        .map(([c, f]) => `Print WebSocket ${f}(${c})`),
      weight: 3,
    },
    { arbitrary: ch.map((c) => `WebSocket Close ${c}`), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('Message', 'Error', 'Close'), ch)
        .map(([e, c]) => `WebSocket On ${e} ${c}, "W${e.toUpperCase()}"`),
      weight: 2,
    },
    {
      arbitrary: ch.map(
        (c) => `Repeat : Wait 0.01 : Until WebSocket Is Connected(${c}) Or WebSocket Is Error(${c})`,
      ),
      weight: 2,
    },
    { arbitrary: fc.integer({ min: 0, max: 30 }).map((n) => `Wait ${n / 100}`), weight: 2 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
    {
      arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')),
      weight: 1,
    },
  );
  return fc
    .tuple(fc.boolean(), fc.boolean(), fc.array(statement, { minLength: 1, maxLength: 6 }))
    .map(([trap, end, statements]) =>
      program(
        ...(trap ? ['On Error Goto H'] : []),
        ...statements,
        // falling off the end waits for the asynchronous replies; End drops them
        ...(trap || end ? ['End'] : []),
        ...(trap ? ['H: Print "E"; Errn : Resume Next'] : []),
        'Procedure WMESSAGE[M$] : Print "M "; Len(M$) : End Proc',
        'Procedure WERROR[E$] : Print "E "; Left$(E$, 20) : End Proc',
        'Procedure WCLOSE[C, R$] : Print "C "; C : End Proc',
        'Procedure OK[S$, R$] : Print "OK "; S$; Len(R$) : End Proc',
        'Procedure KO[S$, R$] : Print "KO "; S$; " "; Left$(R$, 20) : End Proc',
      ),
    );
}
