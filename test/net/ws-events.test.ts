/**
 * WebSocket event procedures (On Message / On Close / On Error, an aozrun extension), heartbeat
 * pings (net-fault-matrix row 27) and send back-pressure (row 30).
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import type { RuntimeEvent, Wait } from '../../src/interpreter/runtime-api.js';
import type { Value } from '../../src/interpreter/values.js';
import type { NetOptions } from '../../src/runtime/net/net.js';
import {
  Channel,
  webSocketClose,
  webSocketError,
  webSocketIsConnected,
  webSocketIsError,
  webSocketIsMessage,
  webSocketMessage,
  webSocketOnClose,
  webSocketOnError,
  webSocketOnMessage,
  webSocketOpen,
  webSocketSendMessage,
} from '../../src/runtime/net/websocket.js';
import { catchError, type FakeRuntime, testScope } from './fake-runtime.js';
import { closedPort, sleep, wsServer } from './servers.js';

const scope = testScope();
const { serve, defer } = scope;

const PROCS = ['OnMsg', 'OnClose', 'OnErr', 'Other'];

function runtime(options: Partial<NetOptions> = {}): FakeRuntime {
  return scope.runtime(options, PROCS);
}

function ws(rt: FakeRuntime) {
  return {
    open: (i: Value, url: string) => rt.run(webSocketOpen, i, url),
    close: (i: Value) => rt.run(webSocketClose, i),
    send: (i: Value, m: string) => rt.run(webSocketSendMessage, i, m),
    onMessage: (i: Value, p: string) => rt.run(webSocketOnMessage, i, p),
    onClose: (i: Value, p: string) => rt.run(webSocketOnClose, i, p),
    onError: (i: Value, p: string) => rt.run(webSocketOnError, i, p),
    connected: (i: Value) => webSocketIsConnected.run(rt, [i]),
    isMessage: (i: Value) => webSocketIsMessage.run(rt, [i]),
    message: (i: Value) => webSocketMessage.run(rt, [i]),
    isError: (i: Value) => webSocketIsError.run(rt, [i]),
    error: (i: Value) => webSocketError.run(rt, [i]),
  };
}

/** Events as `proc(args)` strings (reading args counts as the machine dispatching them). */
function shown(events: readonly RuntimeEvent[]): string[] {
  return events.map((e) =>
    e.kind === 'call'
      ? `${e.proc.name}(${e.args.map((a) => JSON.stringify(a)).join(', ')})`
      : `error ${e.error.id}`,
  );
}

function channelOf(rt: FakeRuntime, i: number): Channel {
  const c = rt.net.channels.get(i);
  if (!(c instanceof Channel)) throw new Error(`no channel ${i}`);
  return c;
}

describe('WebSocket On Message / On Close / On Error', () => {
  it('messages call the procedure in arrival order instead of the queue; then On Close', async () => {
    const s = await serve(
      wsServer((c) => {
        c.send('first');
        c.send('second');
        setTimeout(() => c.close(1000, 'bye'), 30);
      }),
    );
    const rt = runtime();
    const w = ws(rt);
    w.onMessage(1, 'onmsg'); // case-insensitive, before Open: handlers belong to the index
    w.onClose(1, 'OnClose');
    w.open(1, s.url);
    await rt.until(() => rt.events.length === 3);
    expect(shown(rt.events)).toEqual(['OnMsg("first")', 'OnMsg("second")', 'OnClose(1000, "bye")']);
    const polls = rt.polls;
    expect(w.isMessage(1)).toBe(0);
    // Nothing came: a polling loop lets Node run (Runtime.polled).
    expect(rt.polls).toBe(polls + 1);
    expect(w.isError(1)).toBe(0);
    expect(rt.notices).toEqual([]);
  });

  it('an abrupt end: the messages, then On Error (RESET), then On Close (1006); Error$ has it too', async () => {
    const s = await serve(
      wsServer((c) => {
        c.send('last words');
        setTimeout(() => c.terminate(), 30);
      }),
    );
    const rt = runtime();
    const w = ws(rt);
    w.open(1, s.url);
    w.onMessage(1, 'OnMsg');
    w.onError(1, 'OnErr');
    w.onClose(1, 'OnClose');
    await rt.until(() => rt.events.length === 3);
    expect(shown(rt.events)).toEqual([
      'OnMsg("last words")',
      `OnErr("RESET: the connection to 127.0.0.1:${s.port} died (code 1006)")`,
      'OnClose(1006, "")',
    ]);
    expect(w.error(1)).toBe(`RESET: the connection to 127.0.0.1:${s.port} died (code 1006)`);
    await sleep(30);
    expect(rt.events).toHaveLength(3);
  });

  it('a failed connection with On Error: the procedure runs, no notice on stderr, no On Close', async () => {
    const port = await closedPort();
    const rt = runtime();
    const w = ws(rt);
    w.onError(2, 'OnErr');
    w.onClose(2, 'OnClose');
    w.open(2, `ws://127.0.0.1:${port}/`);
    await rt.until(() => rt.events.length === 1);
    await sleep(30);
    expect(shown(rt.events)).toEqual([
      `OnErr("REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)")`,
    ]);
    expect(rt.notices).toEqual([]);
    expect(w.isError(2)).toBe(1);
    // without On Error the notice is printed as before
    const rt2 = runtime();
    ws(rt2).open(2, `ws://127.0.0.1:${port}/`);
    await rt2.until(() => ws(rt2).isError(2) === 1);
    expect(rt2.notices).toHaveLength(1);
  });

  it('"" removes a handler; messages go back to the queue', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    const client = s.nextClient();
    w.onMessage(1, 'OnMsg');
    w.open(1, s.url);
    const server = await client;
    server.send('to the procedure');
    await rt.until(() => rt.events.length === 1);
    w.onMessage(1, '');
    expect(rt.net.wsHandlers.has(1)).toBe(false);
    server.send('to the queue');
    await rt.until(() => w.isMessage(1) === 1);
    expect(w.message(1)).toBe('to the queue');
    expect(shown(rt.events)).toEqual(['OnMsg("to the procedure")']);
  });

  it('handlers survive WebSocket Close and a new Open of the index; another index is not affected', async () => {
    const s = await serve(wsServer((c) => c.send('hello')));
    const rt = runtime();
    const w = ws(rt);
    w.onMessage(1, 'OnMsg');
    w.open(1, s.url);
    w.open(2, s.url);
    await rt.until(() => rt.events.length === 1 && w.isMessage(2) === 1);
    w.close(1);
    w.open(1, s.url);
    await rt.until(() => rt.events.length === 2);
    expect(shown(rt.events)).toEqual(['OnMsg("hello")', 'OnMsg("hello")']);
    expect(w.message(2)).toBe('hello');
  });

  it('an unknown procedure is procedure_not_found at the statement; a bad index is illegal', () => {
    const rt = runtime();
    const w = ws(rt);
    const e = catchError(() => w.onMessage(1, 'NoSuchProc'));
    expect(e.id).toBe('procedure_not_found');
    expect(e.args).toEqual(['NoSuchProc']);
    expect(catchError(() => w.onClose(-1, 'OnClose')).id).toBe('illegal_function_call');
    expect(catchError(() => w.onError(1, 'Missing')).id).toBe('procedure_not_found');
    expect(rt.net.wsHandlers.size).toBe(0);
  });

  it('nothing runs after the channel is closed by the program or the session', async () => {
    const s = await serve(wsServer((c) => setTimeout(() => c.send('late'), 50)));
    const rt = runtime();
    const w = ws(rt);
    w.onMessage(1, 'OnMsg');
    w.onClose(1, 'OnClose');
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    w.close(1);
    await sleep(120);
    expect(rt.events).toEqual([]);
  });

  it('a flood with On Message: reading pauses while too many events wait, nothing is lost', async () => {
    const total = 60;
    const s = await serve(
      wsServer(async (c) => {
        for (let i = 1; i <= total; i++) {
          c.send(`m${i}`);
          await sleep(2);
        }
      }),
    );
    const rt = runtime({ wsMaxQueuedMessages: 10 });
    const w = ws(rt);
    w.onMessage(1, 'OnMsg');
    w.open(1, s.url);
    for (let i = 0; i < 200 && channelOf(rt, 1).pendingMessageEvents < 10; i++) await sleep(5);
    await sleep(200); // the server sent everything meanwhile
    const c = channelOf(rt, 1);
    expect(c.received).toBeLessThan(20);
    // the machine dispatches: reading resumes at half the limit
    let dispatched = 0;
    const end = Date.now() + 5000;
    while (dispatched < total && Date.now() < end) {
      const ev = rt.events[dispatched];
      if (ev) {
        expect(ev.kind === 'call' && ev.args[0]).toBe(`m${dispatched + 1}`);
        dispatched++;
      } else {
        await sleep(5); // (FakeRuntime.post does not wake; the machine's does)
      }
    }
    expect(dispatched).toBe(total);
    expect(c.received).toBe(total);
    expect(c.pendingMessageEvents).toBe(0);
    expect(w.isError(1)).toBe(0);
  });
});

/** A WebSocket server whose sockets do not answer pings (ws option autoPong: false). */
async function deafServer(): Promise<{
  url: string;
  port: number;
  clients: ServerSocket[];
  close(): Promise<void>;
}> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const clients: ServerSocket[] = [];
  wss.on('connection', (c) => {
    clients.push(c);
    c.on('error', () => undefined);
  });
  const port = (wss.address() as AddressInfo).port;
  const close = async () => {
    for (const c of clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
  defer(close);
  return { url: `ws://127.0.0.1:${port}`, port, clients, close };
}

describe('heartbeat', () => {
  it('a peer that stops answering pings is dropped: one TIMEOUT error, On Error and On Close run once', async () => {
    const s = await deafServer();
    const rt = runtime({ wsHeartbeatMs: 150 });
    const w = ws(rt);
    w.onError(1, 'OnErr');
    w.onClose(1, 'OnClose');
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    const start = Date.now();
    await rt.until(() => w.isError(1) === 1, 3000);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1300);
    expect(w.connected(1)).toBe(0);
    expect(w.error(1)).toBe(
      `TIMEOUT: no answer to heartbeat pings from 127.0.0.1:${s.port} within 0.15 s; connection dropped`,
    );
    await sleep(400);
    expect(w.isError(1)).toBe(0); // exactly once
    expect(shown(rt.events)).toEqual([
      `OnErr("TIMEOUT: no answer to heartbeat pings from 127.0.0.1:${s.port} within 0.15 s; connection dropped")`,
      'OnClose(1006, "")',
    ]);
  });

  it('a peer that answers pings stays connected; 0 turns heartbeats off', async () => {
    const s = await serve(wsServer());
    const rt = runtime({ wsHeartbeatMs: 100 });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    await sleep(550);
    expect(w.connected(1)).toBe(1);
    expect(w.isError(1)).toBe(0);
    const deaf = await deafServer();
    const rt2 = runtime({ wsHeartbeatMs: 0 });
    ws(rt2).open(1, deaf.url);
    await rt2.until(() => ws(rt2).connected(1) === 1);
    await sleep(300);
    expect(ws(rt2).connected(1)).toBe(1);
  });
});

describe('send back-pressure', () => {
  /** A server whose socket is paused: it reads nothing, so the client's buffers fill. */
  async function stuck() {
    const s = await serve(wsServer());
    const client = s.nextClient();
    return { s, client };
  }

  function pauseSocket(c: ServerSocket): import('node:net').Socket {
    const socket = (c as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    socket.removeAllListeners('data');
    return socket;
  }

  it('Send Message waits above the high-water mark instead of failing; memory stays bounded; all arrive in order', async () => {
    const { s, client } = await stuck();
    const highWater = 256 * 1024;
    const rt = runtime({ wsSendHighWaterBytes: highWater });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    const server = await client;
    const socket = (server as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    const chunk = 'x'.repeat(64 * 1024);
    let wait: Wait | undefined;
    let sent = 0;
    for (let i = 0; i < 2000 && !wait; i++) {
      wait = w.send(1, `${String(i).padStart(5, '0')}${chunk}`);
      if (!wait) sent++;
      expect(channelOf(rt, 1).bufferedAmount).toBeLessThanOrEqual(highWater + chunk.length + 5 + 1024);
      if (i % 16 === 15) await sleep(1); // let the socket write what the kernel accepts
    }
    expect(wait).toBeDefined();
    expect(wait?.what).toBe('WebSocket Send Message');
    expect(webSocketSendMessage.waits).toBe(true);
    expect(wait?.ready()).toBe(false);
    // the peer reads again: the statement completes and sends its message
    socket.resume();
    await rt.drive(wait);
    const expected = sent + 1;
    for (let i = 0; i < 500 && s.received.length < expected; i++) await sleep(10);
    expect(s.received).toHaveLength(expected);
    expect(s.received.map((m) => Number(m.slice(0, 5)))).toEqual([...Array(expected).keys()]);
  });

  it('a connection that closes while Send Message waits: a clear error at the statement', async () => {
    const { s, client } = await stuck();
    const rt = runtime({ wsSendHighWaterBytes: 64 * 1024 });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    const server = await client;
    pauseSocket(server);
    let wait: Wait | undefined;
    for (let i = 0; i < 4000 && !wait; i++) {
      wait = w.send(1, 'y'.repeat(32 * 1024));
      if (i % 16 === 15) await sleep(1);
    }
    expect(wait).toBeDefined();
    server.terminate();
    await expect(rt.drive(wait, 5000)).rejects.toMatchObject({
      id: 'websocket_error',
      message: expect.stringMatching(
        /^WebSocket error: RESET: channel 1 was closed while a message waited to be sent/,
      ),
    });
  });

  it('a message larger than --ws-max-message is refused with TOO_LARGE', async () => {
    const s = await serve(wsServer());
    const rt = runtime({ wsMaxMessageBytes: 1000 });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    const e = catchError(() => w.send(1, 'z'.repeat(1001)));
    expect(e.id).toBe('websocket_error');
    expect(e.message).toBe(
      'WebSocket error: TOO_LARGE: a message of 1001 bytes is larger than the limit of 1000 bytes (channel 1)',
    );
    expect(w.send(1, 'z'.repeat(1000))).toBeUndefined();
  });
});

describe('through a program (the real machine dispatches the events)', () => {
  it('a flood of 5000 messages with On Message and a small limit: every one handled, in order', async () => {
    const { runProgram } = await import('../helpers/run.js');
    const s = await serve(
      wsServer(async (c) => {
        for (let i = 1; i <= 5000; i++) {
          c.send(String(i));
          if (i % 100 === 0) await sleep(1);
        }
      }),
    );
    const r = await runProgram(
      [
        'WebSocket On Message 1, "GOT"',
        `WebSocket Open 1, "${s.url}"`,
        'Do : Wait 0.01 : If N = 5000 Or Bad Then Exit',
        'Loop',
        'Print N; Bad',
        'Procedure GOT[M$]',
        '  Shared N, Bad',
        '  N = N + 1',
        '  If Val(M$) <> N Then Bad = 1',
        'End Proc',
        '',
      ].join('\n'),
      { net: { wsMaxQueuedMessages: 50 }, timeoutMs: 20_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(' 5000 0\n');
  }, 30_000);

  it('an unknown procedure is an error at the statement', async () => {
    const { failsWith } = await import('../helpers/run.js');
    const stderr = await failsWith('Print "a"\nWebSocket On Close 1, "NOPE"\n', 'procedure_not_found');
    expect(stderr).toMatch(/at line 2, column 1/);
  });
});
