import { describe, expect, it } from 'vitest';
import { callServiceEntry } from '../../src/runtime/net/call-service.js';
import { webSocketIsConnected, webSocketOpen } from '../../src/runtime/net/websocket.js';
import { FakeRuntime, testScope } from './fake-runtime.js';
import { httpServer, rawServer, sleep, type TestServer, wsServer } from './servers.js';

const { serve } = testScope();

async function untilClosed(...servers: TestServer[]): Promise<void> {
  for (let i = 0; i < 100 && servers.some((s) => s.open.size > 0); i++) await sleep(10);
}

describe('Net.close()', () => {
  it('aborts requests, closes channels, destroys the agent: every socket closes, nothing calls back', async () => {
    const silent = await serve(rawServer(() => undefined));
    const keepAlive = await serve(httpServer((_req, res) => res.end('ok')));
    const sockets = await serve(wsServer());
    const rt = new FakeRuntime();

    // a finished request leaves a keep-alive connection in the agent
    await rt.callService('get', keepAlive.origin, '', 'OnSuccess');
    // in flight: 5 asynchronous and 1 synchronous request to a server that never answers
    for (let i = 0; i < 5; i++)
      rt.run(callServiceEntry, 'get', silent.origin, '', 'OnSuccess', 'OnError', '', 1);
    const wait = rt.run(callServiceEntry, 'get', silent.origin, '', 'OnSuccess', 'OnError');
    // channels: connected ones, and one still connecting (to the silent server)
    for (let i = 1; i <= 3; i++) rt.run(webSocketOpen, i, sockets.url);
    rt.run(webSocketOpen, 4, `ws://127.0.0.1:${silent.port}/`);
    await rt.until(() => [1, 2, 3].every((i) => webSocketIsConnected.run(rt, [i]) === 1));
    for (let i = 0; i < 100 && silent.connections < 7; i++) await sleep(10);
    expect(silent.connections).toBe(7);
    expect(keepAlive.open.size).toBe(1);

    const counts = {
      wakes: rt.wakes,
      events: rt.events.length,
      calls: rt.calls.length,
      notices: rt.notices.length,
    };
    const start = Date.now();
    await rt.net.close();
    expect(Date.now() - start).toBeLessThan(1000);
    await untilClosed(silent, keepAlive, sockets);
    expect(silent.open.size).toBe(0);
    expect(keepAlive.open.size).toBe(0);
    expect(sockets.open.size).toBe(0);
    expect(rt.net.channels.size).toBe(0);

    await sleep(100);
    expect(wait?.ready()).toBe(false);
    expect({
      wakes: rt.wakes,
      events: rt.events.length,
      calls: rt.calls.length,
      notices: rt.notices.length,
    }).toEqual(counts);
    // the asynchronous requests' holds are released so the session can end
    expect(rt.released).toBe(rt.holds);
    // and the service refuses new work quietly
    rt.run(callServiceEntry, 'get', keepAlive.origin, '', 'OnSuccess', 'OnError', '', 1);
    await sleep(50);
    expect(keepAlive.connections).toBe(1);
    expect(rt.events).toHaveLength(counts.events);
    expect(rt.released).toBe(rt.holds);
  });

  it('closing twice is harmless; closing an unused Net loads nothing', async () => {
    const rt = new FakeRuntime();
    await rt.net.close();
    await rt.net.close();
  });

  it('a peer that ignores the close frame is cut after a short grace period', async () => {
    const sockets = await serve(wsServer());
    const rt = new FakeRuntime();
    const client = sockets.nextClient();
    rt.run(webSocketOpen, 1, sockets.url);
    await rt.until(() => webSocketIsConnected.run(rt, [1]) === 1);
    const server = await client;
    // stop the server side from answering: pause its socket so the close frame is never read
    (server as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const start = Date.now();
    await rt.net.close();
    expect(Date.now() - start).toBeLessThan(1600);
  });
});
