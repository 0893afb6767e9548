import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/interpreter/values.js';
import {
  Channel,
  webSocketClose,
  webSocketError,
  webSocketIsConnected,
  webSocketIsError,
  webSocketIsMessage,
  webSocketMessage,
  webSocketOpen,
  webSocketSendMessage,
} from '../../src/runtime/net/websocket.js';
import { catchError, type FakeRuntime, testScope } from './fake-runtime.js';
import { closedPort, failingLookup, rawServer, sleep, wsServer } from './servers.js';

const { runtime, serve } = testScope();

/** The functions, as a program would call them. */
function ws(rt: FakeRuntime) {
  return {
    open: (i: Value, url: string, protocol?: string) => rt.run(webSocketOpen, i, url, protocol),
    close: (i: Value) => rt.run(webSocketClose, i),
    send: (i: Value, m: string) => rt.run(webSocketSendMessage, i, m),
    connected: (i: Value) => webSocketIsConnected.run(rt, [i]),
    isMessage: (i: Value) => webSocketIsMessage.run(rt, [i]),
    message: (i: Value) => webSocketMessage.run(rt, [i]),
    isError: (i: Value) => webSocketIsError.run(rt, [i]),
    error: (i: Value) => webSocketError.run(rt, [i]),
  };
}

describe('WebSocket channels', () => {
  it('opens in the background, connects, sends and receives in arrival order (FIFO)', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    const client = s.nextClient();
    expect(w.open(1, `${s.url}/v3/channel_1?api_key=x`)).toBeUndefined();
    expect(w.connected(1)).toBe(0);
    await rt.until(() => w.connected(1) === 1);
    const server = await client;
    w.send(1, 'HELLO');
    for (let i = 0; i < 100 && s.received.length === 0; i++) await sleep(10);
    expect(s.received).toEqual(['HELLO']);
    server.send('first');
    server.send('second');
    server.send('third');
    await rt.until(() => channelOf(rt, 1).queuedMessages === 3);
    expect(w.message(1)).toBe('first');
    expect(w.message(1)).toBe('second');
    expect(w.message(1)).toBe('third');
    expect(w.isMessage(1)).toBe(0);
    expect(w.message(1)).toBe('');
    expect(w.isError(1)).toBe(0);
    expect(w.error(1)).toBe('');
    expect(rt.notices).toEqual([]);
  });

  it('removes the spaces of the printed documentation from the URL, with a warning', async () => {
    const s = await serve(wsServer());
    const rt = runtime({ maps: [['wss://demo.websocket.me/', `${s.url}/`]] });
    const w = ws(rt);
    w.open(1, 'wss: //demo.websocket.me/v3/channel_1? Api_key = abc&notify_self');
    expect(rt.warnings).toHaveLength(1);
    await rt.until(() => w.connected(1) === 1);
  });

  it('a binary frame is delivered as UTF-8 text', async () => {
    const s = await serve(wsServer((c) => c.send(Buffer.from('héllo ✓', 'utf8'), { binary: true })));
    const rt = runtime();
    const w = ws(rt);
    w.open(2, s.url);
    await rt.until(() => w.isMessage(2) === 1);
    expect(w.message(2)).toBe('héllo ✓');
  });

  it('protocol$ is sent as the subprotocol', async () => {
    const s = await serve(wsServer((c) => c.send(c.protocol)));
    const rt = runtime();
    const w = ws(rt);
    w.open(0, s.url, 'chat');
    await rt.until(() => w.isMessage(0) === 1);
    expect(w.message(0)).toBe('chat');
    expect(catchError(() => w.open(0, s.url, 'bad protocol')).id).toBe('illegal_function_call');
  });

  it('a refused connection: Error$ says REFUSED, Is Connected stays false, one notice on stderr', async () => {
    const port = await closedPort();
    const rt = runtime();
    const w = ws(rt);
    w.open(1, `ws://127.0.0.1:${port}/`);
    await rt.until(() => w.isError(1) === 1);
    await sleep(50);
    expect(w.connected(1)).toBe(0);
    expect(w.error(1)).toBe(`REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`);
    expect(w.isError(1)).toBe(0);
    expect(w.error(1)).toBe('');
    expect(rt.notices).toEqual([
      `WebSocket 1: REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
    ]);
    expect(catchError(() => w.send(1, 'x')).id).toBe('websocket_not_connected');
  });

  it('a DNS failure: DNS', async () => {
    const rt = runtime({ lookup: failingLookup() });
    const w = ws(rt);
    w.open(3, 'wss://no.such.host/socket');
    await rt.until(() => w.isError(3) === 1);
    expect(w.error(3)).toBe('DNS: no.such.host could not be resolved (ENOTFOUND)');
  });

  it('HTTP 404 on the upgrade: PROTOCOL', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    w.open(1, `${s.url}/404`);
    await rt.until(() => w.isError(1) === 1);
    expect(w.error(1)).toBe('PROTOCOL: the server answered the WebSocket upgrade with HTTP 404');
    expect(w.connected(1)).toBe(0);
  });

  it('no answer to the upgrade: TIMEOUT at the handshake timeout', async () => {
    const s = await serve(rawServer(() => undefined));
    const rt = runtime({ wsHandshakeTimeoutMs: 300 });
    const w = ws(rt);
    const start = Date.now();
    w.open(1, `ws://127.0.0.1:${s.port}/`);
    await rt.until(() => w.isError(1) === 1);
    expect(Date.now() - start).toBeLessThan(1300);
    expect(w.error(1)).toBe(
      `TIMEOUT: no answer to the WebSocket upgrade from 127.0.0.1:${s.port} after 0.3 s`,
    );
    await sleep(50);
    expect(w.isError(1)).toBe(0); // one error, not one per event
  });

  it('a clean close by the server: not connected, no error', async () => {
    const s = await serve(wsServer((c) => setTimeout(() => c.close(1000, 'bye'), 20)));
    const rt = runtime();
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    await rt.until(() => w.connected(1) === 0);
    await sleep(20);
    expect(w.isError(1)).toBe(0);
  });

  it('an abrupt close: RESET, connection died (code 1006)', async () => {
    const s = await serve(wsServer((c) => setTimeout(() => c.terminate(), 20)));
    const rt = runtime();
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    await rt.until(() => w.isError(1) === 1);
    expect(w.connected(1)).toBe(0);
    expect(w.error(1)).toBe(`RESET: the connection to 127.0.0.1:${s.port} died (code 1006)`);
    expect(rt.notices).toEqual([]); // it had connected: the program can see it itself
  });

  it('a protocol violation from the server: PROTOCOL naming it', async () => {
    const s = await serve(
      wsServer((c) => {
        // a frame with a reserved opcode (0x3)
        const socket = (c as unknown as { _socket: import('node:net').Socket })._socket;
        setTimeout(() => socket.write(Buffer.from([0x83, 0x00])), 20);
      }),
    );
    const rt = runtime();
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.isError(1) === 1);
    expect(w.error(1)).toMatch(
      /^PROTOCOL: 127\.0\.0\.1:\d+ broke the WebSocket protocol: .*\(WS_ERR_INVALID_OPCODE\)$/,
    );
    expect(w.connected(1)).toBe(0);
    await sleep(50);
    expect(w.isError(1)).toBe(0);
  });

  it('a message over the maximum size: TOO_LARGE', async () => {
    const s = await serve(wsServer((c) => c.send('x'.repeat(200))));
    const rt = runtime({ wsMaxMessageBytes: 100 });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => w.isError(1) === 1);
    expect(w.error(1)).toMatch(/^TOO_LARGE: a message from 127\.0\.0\.1:\d+ is larger than 100 bytes/);
    expect(w.isMessage(1)).toBe(0);
  });

  it('the queue is bounded: the oldest messages are dropped and one error counts them', async () => {
    const s = await serve(
      wsServer((c) => {
        for (let i = 1; i <= 8; i++) c.send(`m${i}`);
        c.send('last');
      }),
    );
    const rt = runtime({ wsMaxQueuedMessages: 3 });
    const w = ws(rt);
    w.open(1, s.url);
    await rt.until(() => channelOf(rt, 1).received === 9);
    expect(channelOf(rt, 1).queuedMessages).toBe(3);
    expect(w.error(1)).toBe(
      'TOO_LARGE: channel 1 keeps at most 3 unread messages: 6 oldest messages dropped',
    );
    expect(w.isError(1)).toBe(0);
    expect([w.message(1), w.message(1), w.message(1), w.message(1)]).toEqual(['m7', 'm8', 'last', '']);
  });

  it('reopening an index closes the old connection first', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    const first = s.nextClient();
    w.open(1, s.url);
    await rt.until(() => w.connected(1) === 1);
    const old = await first;
    const closed = new Promise<number>((resolve) => old.once('close', (code) => resolve(code)));
    w.open(1, s.url);
    expect(await closed).toBe(1000);
    await rt.until(() => w.connected(1) === 1);
    expect(s.clients).toHaveLength(2);
    expect(w.isError(1)).toBe(0);
  });

  it('misuse: undefined channels, bad indexes, sending when not connected, closing twice', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    for (const f of [
      () => w.send(5, 'x'),
      () => w.close(5),
      () => w.connected(5),
      () => w.isMessage(5),
      () => w.message(5),
      () => w.isError(5),
      () => w.error(5),
    ]) {
      const e = catchError(f);
      expect(e.id).toBe('websocket_channel_not_defined');
      expect(e.message).toBe('WebSocket channel not defined (5)');
    }
    expect(catchError(() => w.open(-1, s.url)).id).toBe('illegal_function_call');
    expect(catchError(() => w.connected(1.5)).id).toBe('illegal_function_call');
    expect(catchError(() => w.open(1, 'http://127.0.0.1/')).id).toBe('websocket_incorrect_url');
    expect(catchError(() => w.open(1, '')).id).toBe('websocket_incorrect_url');
    expect(catchError(() => w.open(1, 'ws://127.0.0.1/\r\n')).id).toBe('illegal_function_call');

    w.open(1, s.url);
    // connecting: not connected yet
    expect(catchError(() => w.send(1, 'too early')).id).toBe('websocket_not_connected');
    await rt.until(() => w.connected(1) === 1);
    w.close(1);
    expect(catchError(() => w.send(1, 'after close')).id).toBe('websocket_channel_not_defined');
    expect(catchError(() => w.close(1)).id).toBe('websocket_channel_not_defined');
  });

  it('open/close cycles leave nothing behind', async () => {
    const s = await serve(wsServer());
    const rt = runtime();
    const w = ws(rt);
    for (let i = 0; i < 30; i++) {
      w.open(1, s.url);
      if (i % 3 === 0) await rt.until(() => w.connected(1) === 1);
      w.close(1);
    }
    for (let i = 0; i < 100 && s.open.size > 0; i++) await sleep(20);
    expect(s.open.size).toBe(0);
    expect(rt.net.channels.size).toBe(0);
  });
});

function channelOf(rt: FakeRuntime, i: number): Channel {
  const c = rt.net.channels.get(i);
  if (!(c instanceof Channel)) throw new Error(`no channel ${i}`);
  return c;
}
