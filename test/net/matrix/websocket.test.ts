/**
 * Fault matrix, WebSocket rows (net-fault-matrix.md rows 24–31): channels against the playground's
 * misbehaving endpoints and raw servers that break the protocol, as a BASIC program sees them —
 * with the polling functions (Is Error, Error$, Is Connected) and with the event procedures
 * (WebSocket On Message / On Close / On Error).
 */
import { createHash } from 'node:crypto';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type Playground, startPlayground } from '../../../src/playground/server.js';
import { closedPort, failingLookup, rawServer, sleep, type TestServer, wsServer } from '../servers.js';
import {
  expectOk,
  FAST,
  type MatrixNet,
  MiB,
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
});

/** Event procedures that print what they receive and count errors in E and closes in C. */
const EVENT_PROCS = program(
  'Procedure WMSG[M$] : Print "WMSG "; M$ : End Proc',
  'Procedure WERR[E$] : Shared E : E = E + 1 : Print "WERR "; E$ : End Proc',
  'Procedure WCLOSE[CODE, R$] : Shared C : C = C + 1 : Print "WCLOSE "; CODE; " "; R$ : End Proc',
);

/** Sets the three event procedures of a channel. */
function onAll(ch: number): string {
  return `WebSocket On Message ${ch}, "WMSG" : WebSocket On Error ${ch}, "WERR" : WebSocket On Close ${ch}, "WCLOSE"`;
}

/**
 * A connection that fails: polling sees one error and never a connection; with On Error the
 * procedure runs exactly once (and no On Close for a channel that never connected).
 */
async function expectConnectFailure(
  url: string,
  re: RegExp,
  opts: MatrixNet,
  timing?: [number, number],
): Promise<void> {
  const polled = await run(
    program(
      `WebSocket Open 1, ${q(url)}`,
      'Repeat : Wait 0.01 : Until WebSocket Is Error(1) Or WebSocket Is Connected(1)',
      'Print "ERR "; WebSocket Error$(1)',
      'Wait 0.3',
      'Print "AGAIN "; WebSocket Is Error(1); " CONNECTED "; WebSocket Is Connected(1)',
    ),
    { net: opts, timeoutMs: 5000 },
  );
  expectOk(polled);
  const lines = textLines(polled);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^ERR ${re.source}`));
  expect(lines[1]).toBe('AGAIN  0 CONNECTED  0');
  if (timing) {
    const at = polled.lines[0]!.ms;
    expect(at).toBeGreaterThanOrEqual(timing[0]);
    expect(at).toBeLessThan(timing[1]);
  }
  // without an On Error procedure a channel that never connected explains itself on stderr once
  expect(polled.stderr.split('\n').filter((l) => l.startsWith('WebSocket 1: '))).toHaveLength(1);

  const evented = await run(
    program(
      onAll(1),
      `WebSocket Open 1, ${q(url)}`,
      'Repeat : Wait 0.01 : Until E > 0',
      'Wait 0.3',
      'Print "ERRORS "; E; " CLOSES "; C; " CONNECTED "; WebSocket Is Connected(1)',
      EVENT_PROCS,
    ),
    { net: opts, timeoutMs: 5000 },
  );
  expectOk(evented);
  expect(textLines(evented)).toEqual([
    expect.stringMatching(new RegExp(`^WERR ${re.source}`)),
    'ERRORS  1 CLOSES  0 CONNECTED  0',
  ]);
  // the procedure replaces the notice
  expect(evented.stderr).toBe('');
}

/** A raw WebSocket server: answers the upgrade itself, then lets `onOpen` write any bytes. */
function rawWsServer(onOpen: (socket: net.Socket, path: string) => void): Promise<TestServer> {
  return rawServer((socket) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
      const path = /^GET (\S+)/.exec(head)?.[1] ?? '/';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      onOpen(socket, path);
    };
    socket.on('data', onData);
  });
}

/** Server frames that break RFC 6455, by path. */
const VIOLATIONS: Readonly<Record<string, readonly [Buffer, string]>> = {
  '/utf8': [Buffer.from([0x81, 0x02, 0xff, 0xfe]), 'WS_ERR_INVALID_UTF8'],
  '/opcode': [Buffer.from([0x83, 0x00]), 'WS_ERR_INVALID_OPCODE'],
  '/rsv1': [Buffer.from([0xc1, 0x01, 0x61]), 'WS_ERR_UNEXPECTED_RSV_1'],
  '/mask': [Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x61 ^ 1]), 'WS_ERR_UNEXPECTED_MASK'],
  '/ping': [
    Buffer.concat([Buffer.from([0x89, 0x7e, 0x00, 0x7e]), Buffer.alloc(126, 0x61)]),
    'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
  ],
  '/close': [Buffer.from([0x88, 0x02, 0x03, 0xe7]), 'WS_ERR_INVALID_CLOSE_CODE'],
};

describe('fault matrix: WebSocket', () => {
  row(
    24,
    'WebSocket connect: refused, DNS failure, HTTP 404 on upgrade, no answer to the upgrade',
    async (g) => {
      const port = await closedPort();
      await expectConnectFailure(`ws://127.0.0.1:${port}/`, /REFUSED: .*\(ECONNREFUSED\)$/, FAST, [0, 1000]);
      await expectConnectFailure('ws://no-such-host.test/', /DNS: no-such-host\.test could not be resolved/, {
        ...FAST,
        lookup: failingLookup('ENOTFOUND'),
      });
      await expectConnectFailure(`${pg.wsUrl}/ws/no-such-endpoint`, /PROTOCOL: .*HTTP 404/, FAST);
      const silent = await g.serve(rawServer(() => undefined));
      await expectConnectFailure(
        `ws://127.0.0.1:${silent.port}/`,
        /TIMEOUT: no answer to the WebSocket upgrade .* after 0\.3 s/,
        { ...FAST, wsHandshakeTimeoutMs: 300 },
        [250, 1300],
      );
    },
  );

  row(25, 'WebSocket protocol violations', async (g) => {
    const s = await g.serve(
      rawWsServer((socket, path) => {
        const v = VIOLATIONS[path];
        if (v) setTimeout(() => socket.write(v[0]), 20);
      }),
    );
    const paths = Object.keys(VIOLATIONS);
    const opens = paths.map((p, i) => `WebSocket Open ${i + 1}, ${q(`ws://127.0.0.1:${s.port}${p}`)}`);
    const r = await run(
      program(
        ...opens,
        'Repeat',
        ' Wait 0.01 : N = 0',
        ` For I = 1 To ${paths.length} : If WebSocket Is Error(I) Then N = N + 1`,
        ' Next I',
        `Until N = ${paths.length}`,
        'Wait 0.2',
        `For I = 1 To ${paths.length}`,
        ' Print WebSocket Error$(I)',
        ' Print "MORE "; WebSocket Is Error(I); " CONNECTED "; WebSocket Is Connected(I)',
        'Next I',
      ),
      { net: FAST, timeoutMs: 5000 },
    );
    expectOk(r);
    const lines = textLines(r);
    expect(lines).toHaveLength(paths.length * 2);
    paths.forEach((p, i) => {
      const code = VIOLATIONS[p]![1];
      expect(lines[i * 2], p).toMatch(
        new RegExp(`^PROTOCOL: 127\\.0\\.0\\.1:\\d+ broke the WebSocket protocol: .*\\(${code}\\)$`),
      );
      expect(lines[i * 2 + 1], p).toBe('MORE  0 CONNECTED  0');
    });
    // the connections are closed (by the client, at once, not by the end of the program only)
    for (let i = 0; i < 50 && s.open.size > 0; i++) await sleep(20);
    expect(s.open.size).toBe(0);
  });

  row(26, 'WebSocket message over the maximum size; 100k tiny fragments', async (g) => {
    const big = await g.serve(wsServer((c) => c.send('x'.repeat(200_000))));
    const fragments = await g.serve(
      rawWsServer((socket) => {
        // one text message in 100,000 frames of one byte each (100 KB in all)
        const n = 100_000;
        const frames = Buffer.alloc(n * 3);
        for (let i = 0; i < n; i++) {
          const opcode = i === 0 ? 0x01 : 0x00;
          const fin = i === n - 1 ? 0x80 : 0x00;
          frames[i * 3] = fin | opcode;
          frames[i * 3 + 1] = 0x01;
          frames[i * 3 + 2] = 0x61;
        }
        socket.write(frames);
      }),
    );
    const fewer = await g.serve(
      rawWsServer((socket) => {
        // one text message in 1,000 frames of 100 bytes (100 KB in all)
        const n = 1000;
        const frames: Buffer[] = [];
        for (let i = 0; i < n; i++) {
          const opcode = i === 0 ? 0x01 : 0x00;
          const fin = i === n - 1 ? 0x80 : 0x00;
          frames.push(Buffer.from([fin | opcode, 100]), Buffer.alloc(100, 0x62));
        }
        socket.write(Buffer.concat(frames));
      }),
    );
    const probe = probeMemory();
    for (const url of [big.url, `ws://127.0.0.1:${fewer.port}/`, `ws://127.0.0.1:${fragments.port}/`]) {
      const r = await run(
        program(
          `WebSocket Open 1, ${q(url)}`,
          'Repeat : Wait 0.01 : Until WebSocket Is Error(1)',
          'Print WebSocket Error$(1)',
          'Print "MESSAGE "; WebSocket Is Message(1); " CONNECTED "; WebSocket Is Connected(1)',
        ),
        { net: { ...FAST, wsMaxMessageBytes: 64 * 1024 }, timeoutMs: 5000 },
      );
      expectOk(r);
      expect(textLines(r), url).toEqual([
        // (the 100k fragments may be refused for their number before their size: still too big)
        expect.stringMatching(
          url.endsWith(`:${fragments.port}/`)
            ? /^TOO_LARGE: /
            : /^TOO_LARGE: a message from 127\.0\.0\.1:\d+ is larger than 65536 bytes/,
        ),
        'MESSAGE  0 CONNECTED  0',
      ]);
    }
    expect(probe.stop()).toBeLessThan(48 * MiB);
  });

  row(27, 'peer stops answering but keeps TCP open (heartbeat)', async () => {
    const opts: MatrixNet = { ...FAST, wsHeartbeatMs: 300 };
    const r = await run(
      program(
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/silent`)}`,
        'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
        'Print "CONNECTED"',
        'Repeat : Wait 0.01 : Until WebSocket Is Error(1)',
        'Print "ERR "; WebSocket Error$(1)',
        'Wait 0.7',
        'Print "MORE "; WebSocket Is Error(1); " CONNECTED "; WebSocket Is Connected(1)',
      ),
      { net: opts, timeoutMs: 6000 },
    );
    expectOk(r);
    expect(textLines(r)).toEqual([
      'CONNECTED',
      expect.stringMatching(/^ERR TIMEOUT: /),
      'MORE  0 CONNECTED  0',
    ]);
    // dropped within interval + grace (two intervals: the unanswered ping, then the next one)
    const elapsed = r.lines[1]!.ms - r.lines[0]!.ms;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2 * 300 + 1000);

    // with event procedures: On Error once
    const evented = await run(
      program(
        onAll(1),
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/silent`)}`,
        'Repeat : Wait 0.01 : Until E > 0',
        'Wait 0.7',
        'Print "ERRORS "; E; " CONNECTED "; WebSocket Is Connected(1)',
        EVENT_PROCS,
      ),
      { net: opts, timeoutMs: 6000 },
    );
    expectOk(evented);
    const lines = textLines(evented);
    expect(lines.filter((l) => l.startsWith('WERR '))).toEqual([expect.stringMatching(/^WERR TIMEOUT: /)]);
    expect(lines.at(-1)).toBe('ERRORS  1 CONNECTED  0');

    // a peer that answers pings stays connected
    const alive = await run(
      program(
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/echo`)}`,
        'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
        'Wait 1',
        'Print "ERROR "; WebSocket Is Error(1); " CONNECTED "; WebSocket Is Connected(1)',
      ),
      { net: opts, timeoutMs: 6000 },
    );
    expectOk(alive);
    expect(textLines(alive)).toEqual(['ERROR  0 CONNECTED  1']);
  });

  row(28, 'abrupt TCP close; server closes cleanly with code 1000 and a reason', async () => {
    const abrupt = await run(
      program(
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/drop`)}`,
        'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
        'Print "CONNECTED "; WebSocket Is Connected(1)',
        'Repeat : Wait 0.01 : Until WebSocket Is Error(1)',
        'Print "ERR "; WebSocket Error$(1)',
        'Wait 0.2',
        'Print "MORE "; WebSocket Is Error(1); " CONNECTED "; WebSocket Is Connected(1)',
      ),
      { net: FAST, timeoutMs: 5000 },
    );
    expectOk(abrupt);
    expect(textLines(abrupt)).toEqual([
      'CONNECTED  1',
      expect.stringMatching(/^ERR RESET: .*died/),
      'MORE  0 CONNECTED  0',
    ]);

    const clean = await run(
      program(
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/close/1000`)}`,
        // the server closes at once: the program may never see the channel connected
        'Wait 0.5',
        'Print "ERROR "; WebSocket Is Error(1); " CONNECTED "; WebSocket Is Connected(1)',
      ),
      { net: FAST, timeoutMs: 5000 },
    );
    expectOk(clean);
    expect(textLines(clean)).toEqual(['ERROR  0 CONNECTED  0']);

    // the reason reaches On Close; an abrupt end is an error and a close (1006)
    const evented = await run(
      program(
        onAll(1),
        onAll(2),
        `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/close/1000`)}`,
        `WebSocket Open 2, ${q(`${pg.wsUrl}/ws/drop`)}`,
        'Repeat : Wait 0.01 : Until C = 2',
        'Wait 0.2',
        'Print "ERRORS "; E; " CLOSES "; C',
        EVENT_PROCS,
      ),
      { net: FAST, timeoutMs: 5000 },
    );
    expectOk(evented);
    const lines = textLines(evented);
    expect(lines).toContain('WCLOSE  1000 closing with code 1000');
    expect(lines).toContain('WCLOSE  1006 ');
    expect(lines.filter((l) => l.startsWith('WERR '))).toEqual([
      expect.stringMatching(/^WERR RESET: .*died/),
    ]);
    expect(lines.at(-1)).toBe('ERRORS  1 CLOSES  2');
  });

  row(
    29,
    'server floods 200k messages, program reads slowly',
    async () => {
      const probe = probeMemory();
      const r = await run(
        program(
          `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/flood/200000`)}`,
          'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
          // slowly: one message every 20 ms while the flood arrives
          'For I = 1 To 25',
          ' If WebSocket Is Message(1) Then LAST$ = WebSocket Message$(1) : NREAD = NREAD + 1',
          ' Wait 0.02',
          'Next I',
          // then catch up, counting the main loop's turns
          'Repeat',
          ' If WebSocket Is Message(1) Then LAST$ = WebSocket Message$(1) : NREAD = NREAD + 1',
          ' LOOPS = LOOPS + 1',
          ' If LOOPS Mod 100 = 0 Then Wait 0.001',
          'Until LAST$ = "200000"',
          'Print "READ "; NREAD; " LOOPS "; LOOPS',
          'While WebSocket Is Error(1) : Print "ERR "; WebSocket Error$(1) : Wend',
        ),
        { net: { ...FAST, wsMaxQueuedMessages: 1000 }, timeoutMs: 30_000 },
      );
      const growth = probe.stop();
      expectOk(r);
      const lines = textLines(r);
      const m = /^READ +(\d+) LOOPS +(\d+)$/.exec(lines[0]!);
      expect(m, lines[0]).not.toBeNull();
      const read = Number(m![1]);
      expect(Number(m![2])).toBeGreaterThan(0);
      const errors = lines.slice(1);
      expect(errors.length).toBeGreaterThan(0);
      let dropped = 0;
      for (const e of errors) {
        const d =
          /^ERR TOO_LARGE: channel 1 keeps at most 1000 unread messages: (\d+) oldest messages? dropped$/.exec(
            e,
          );
        expect(d, e).not.toBeNull();
        dropped += Number(d![1]);
      }
      // nothing lost without being counted, nothing counted twice
      expect(read + dropped).toBe(200_000);
      expect(dropped).toBeGreaterThan(0);
      expect(growth).toBeLessThan(48 * MiB);

      // with On Message nothing is dropped: reading pauses (TCP back-pressure) instead
      const probe2 = probeMemory();
      const evented = await run(
        program(
          'WebSocket On Message 1, "COUNT"',
          `WebSocket Open 1, ${q(`${pg.wsUrl}/ws/flood/200000`)}`,
          'Repeat : LOOPS = LOOPS + 1 : Wait 0.001 : Until N = 200000',
          'Print "N "; N; " OK "; OK; " ERROR "; WebSocket Is Error(1); " LOOPS "; LOOPS > 10',
          'Procedure COUNT[M$]',
          ' Shared N, OK',
          ' N = N + 1 : If Val(M$) = N Then OK = OK + 1',
          'End Proc',
        ),
        { net: { ...FAST, wsMaxQueuedMessages: 1000 }, timeoutMs: 30_000 },
      );
      const growth2 = probe2.stop();
      expectOk(evented);
      expect(textLines(evented)).toEqual([
        expect.stringMatching(/^N {2}200000 OK {2}200000 ERROR {2}0 LOOPS +(1|-1)$/),
      ]);
      expect(growth2).toBeLessThan(48 * MiB);
    },
    60_000,
  );

  row(
    30,
    'program sends in a tight loop to a peer that never reads',
    async (g) => {
      let serverSocket: net.Socket | undefined;
      let received = 0;
      const s = await g.serve(
        wsServer((c) => {
          serverSocket = (c as unknown as { _socket: net.Socket })._socket;
          serverSocket.pause();
          c.on('message', () => {
            received++;
          });
        }),
      );
      const total = 50_000;
      const probe = probeMemory();
      const running = start(
        program(
          `WebSocket Open 1, ${q(s.url)}`,
          'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
          'M$ = String$("x", 1024)',
          'On Error Goto H',
          `For I = 1 To ${total}`,
          ' WebSocket Send Message 1, M$',
          ' If I Mod 500 = 0 Then Print "SENT "; I',
          'Next I',
          'Print "DONE"',
          'End',
          'H: Print "ERR "; Err$ : End',
        ),
        { net: { ...FAST, wsSendHighWaterBytes: 256 * 1024 }, timeoutMs: 20_000 },
      );
      // wait until the program stops making progress (or ends)
      const sent = (): number => {
        const last = [...running.lines].reverse().find((l) => l.text.startsWith('SENT '));
        return last ? Number(last.text.slice(5)) : 0;
      };
      let ended = false;
      void running.result.then(() => {
        ended = true;
      });
      let lastCount = -1;
      let stableSince = performance.now();
      while (!ended && performance.now() - stableSince < 500) {
        await sleep(50);
        const n = sent();
        if (n !== lastCount) {
          lastCount = n;
          stableSince = performance.now();
        }
      }
      const growth = probe.stop();
      expect(growth, 'memory while the peer does not read').toBeLessThan(40 * MiB);
      if (ended) {
        // the other acceptable outcome: an error at the high-water mark
        const r = await running.result;
        expectOk(r);
        expect(textLines(r).at(-1)).toMatch(/^ERR /);
        return;
      }
      // blocked, well before the end: let the peer read, the program finishes
      expect(lastCount).toBeLessThan(total);
      serverSocket!.resume();
      const r = await running.result;
      expectOk(r);
      expect(textLines(r)).toContain('DONE');
      for (let i = 0; i < 200 && received < total; i++) await sleep(20);
      expect(received).toBe(total);
    },
    40_000,
  );

  row(31, 'misuse: send before open, send after close, close twice, 1000 open/close cycles', async () => {
    const url = q(`${pg.wsUrl}/ws/echo`);
    const probe = probeMemory();
    const r = await run(
      program(
        'On Error Goto H',
        'WebSocket Send Message 1, "before open"',
        `WebSocket Open 1, ${url}`,
        'WebSocket Send Message 1, "while connecting"',
        'Repeat : Wait 0.01 : Until WebSocket Is Connected(1) Or WebSocket Is Error(1)',
        'WebSocket Send Message 1, "hello"',
        'Repeat : Wait 0.01 : Until WebSocket Is Message(1)',
        'Print "ECHO "; WebSocket Message$(1)',
        'WebSocket Close 1',
        'WebSocket Send Message 1, "after close"',
        'WebSocket Close 1',
        'Print "CONNECTED? "; WebSocket Is Connected(1)',
        'For I = 1 To 1000',
        ` WebSocket Open 2, ${url}`,
        ' If I Mod 50 = 0',
        '  Repeat : Wait 0.001 : Until WebSocket Is Connected(2) Or WebSocket Is Error(2)',
        ' End If',
        ' WebSocket Close 2',
        'Next I',
        'Print "CYCLES"',
        'End',
        'H: Print "ERR "; Err$ : Resume Next',
      ),
      { net: FAST, timeoutMs: 20_000 },
    );
    const growth = probe.stop();
    expectOk(r);
    expect(textLines(r)).toEqual([
      'ERR WebSocket channel not defined (1)',
      'ERR WebSocket not connected (1)',
      'ECHO hello',
      'ERR WebSocket channel not defined (1)',
      'ERR WebSocket channel not defined (1)',
      'ERR WebSocket channel not defined (1)',
      'CYCLES',
    ]);
    expect(growth).toBeLessThan(48 * MiB);
    // the row's handle check (every socket, both ends, released) follows
  });
});
