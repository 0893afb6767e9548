/**
 * --allow-net / --deny-net end to end (net-fault-matrix rows 15, 16): Call Service and WebSocket
 * Open, every literal spelling, resolved names, redirect hops, --map targets. Each denial is a
 * 508 DENIED (or a DENIED channel error) and the server counts zero connections.
 */
import { describe, expect, it } from 'vitest';
import { callServiceEntry } from '../../src/runtime/net/call-service.js';
import {
  webSocketError,
  webSocketIsConnected,
  webSocketIsError,
  webSocketOpen,
} from '../../src/runtime/net/websocket.js';
import { type FakeRuntime, testScope } from './fake-runtime.js';
import { type CountingServer, countingServer, mapLookup } from './net-helpers.js';
import { sleep, type WsTestServer, wsServer } from './servers.js';

const { runtime, defer } = testScope();

async function counting(handler?: Parameters<typeof countingServer>[0]): Promise<CountingServer> {
  const s = await countingServer(handler);
  defer(() => s.close());
  return s;
}

async function ws(): Promise<WsTestServer> {
  const s = await wsServer();
  defer(() => s.close());
  return s;
}

const SPELLINGS = [
  '127.0.0.1',
  '127.1',
  '2130706433',
  '0x7f000001',
  '[::1]',
  '[::ffff:127.0.0.1]',
  '0.0.0.0',
] as const;

describe('Call Service under --allow-net', () => {
  it.each(SPELLINGS)('the literal %s, not listed: 508 DENIED, zero connections', async (host) => {
    const s = await counting();
    const rt = runtime({ allowNet: ['localhost', 'example.com'] });
    const r = await rt.callService('get', `http://${host}:${s.port}/x`, '', 'OnSuccess', 'OnError');
    expect(r.proc).toBe('OnError');
    expect(r.args[0]).toBe('508');
    expect(r.args[1]).toMatch(
      new RegExp(
        `^DENIED: \\S+:${s.port} is not allowed by --allow-net \\(allowed: localhost, example\\.com\\)$`,
      ),
    );
    await sleep(30);
    expect(s.connections).toBe(0);
  });

  it.each(SPELLINGS)('control: without the flag, %s does reach the server', async (host) => {
    const s = await counting();
    const rt = runtime();
    const r = await rt.callService('get', `http://${host}:${s.port}/x`, '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual(['200', 'ok /x']);
    expect(s.connections).toBe(1);
  });

  it('169.254.169.254 (cloud metadata) is denied without any I/O', async () => {
    const rt = runtime({ allowNet: ['example.com'], connectTimeoutMs: 200 });
    const r = await rt.callService(
      'get',
      'http://169.254.169.254/latest/meta-data/',
      '',
      'OnSuccess',
      'OnError',
    );
    expect(r.args).toEqual([
      '508',
      'DENIED: 169.254.169.254:80 is not allowed by --allow-net (allowed: example.com)',
    ]);
  });

  it('a listed address in any spelling is allowed, on its port only', async () => {
    const s = await counting();
    const rt = runtime({ allowNet: [`127.0.0.1:${s.port}`] });
    expect(
      (await rt.callService('get', `http://2130706433:${s.port}/a`, '', 'OnSuccess', 'OnError')).args,
    ).toEqual(['200', 'ok /a']);
    const other = await counting();
    const r = await rt.callService('get', `${other.origin}/b`, '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^DENIED: 127\.0\.0\.1:\d+ is not allowed by --allow-net/);
    expect(other.connections).toBe(0);
  });

  it('a name resolving to a non-public address is blocked at connect time; allowed once listed', async () => {
    const s = await counting();
    const lookup = mapLookup({ 'good.test': ['127.0.0.1'] });
    const rt = runtime({ allowNet: ['good.test'], lookup });
    const r = await rt.callService('get', `http://good.test:${s.port}/`, '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual([
      '508',
      `DENIED: good.test:${s.port} is not allowed by --allow-net (it resolves to 127.0.0.1, a loopback address that is not in the list)`,
    ]);
    expect(lookup.calls).toEqual(['good.test']); // it was resolved...
    expect(s.connections).toBe(0); // ...and never connected
    const rt2 = runtime({ allowNet: ['good.test', '127.0.0.1'], lookup });
    expect(
      (await rt2.callService('get', `http://good.test:${s.port}/ok`, '', 'OnSuccess', 'OnError')).args,
    ).toEqual(['200', 'ok /ok']);
    expect(s.connections).toBe(1);
  });

  it('an allowed host redirecting to a denied one: DENIED at the hop, the second server sees nothing', async () => {
    const denied = await counting();
    const s = await counting((req, res) => {
      if (req.url === '/away')
        res.writeHead(302, { location: `http://127.0.0.1:${denied.port}/there` }).end();
      else if (req.url === '/spelled')
        res.writeHead(307, { location: `http://0x7f000001:${denied.port}/` }).end();
      else if (req.url === '/named')
        res.writeHead(301, { location: `http://evil.test:${denied.port}/` }).end();
      else res.end('home');
    });
    const lookup = mapLookup({ 'evil.test': ['127.0.0.1'] });
    const rt = runtime({ allowNet: [`127.0.0.1:${s.port}`, 'evil.test'], lookup });
    for (const path of ['/away', '/spelled', '/named']) {
      const r = await rt.callService('get', `${s.origin}${path}`, '', 'OnSuccess', 'OnError');
      expect(r.proc, path).toBe('OnError');
      expect(r.args[1], path).toMatch(/^DENIED: (127\.0\.0\.1|evil\.test):\d+ is not allowed by --allow-net/);
    }
    expect(s.paths).toEqual(['/away', '/spelled', '/named']);
    expect(denied.connections).toBe(0);
    // listed: the hop goes through
    const rt2 = runtime({ allowNet: [`127.0.0.1`] });
    expect((await rt2.callService('get', `${s.origin}/away`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'ok /there',
    ]);
  });

  it('asynchronous requests are denied the same way (error procedure event)', async () => {
    const s = await counting();
    const rt = runtime({ allowNet: ['example.com'] });
    rt.run(callServiceEntry, 'get', `${s.origin}/`, '', 'OnSuccess', 'OnError', '', 1);
    await rt.until(() => rt.released === 1);
    expect(rt.events).toEqual([
      {
        kind: 'call',
        proc: { name: 'OnError', paramCount: 2 },
        args: ['508', `DENIED: 127.0.0.1:${s.port} is not allowed by --allow-net (allowed: example.com)`],
      },
    ]);
    expect(s.connections).toBe(0);
  });
});

describe('Call Service under --deny-net', () => {
  it('a listed host, and a name that resolves to it, are blocked', async () => {
    const s = await counting();
    const lookup = mapLookup({ 'sneaky.test': ['127.0.0.1'], localhost: ['127.0.0.1', '::1'] });
    const rt = runtime({ denyNet: ['127.0.0.1'], lookup });
    for (const url of [
      `${s.origin}/`,
      `http://127.1:${s.port}/`,
      `http://[::1]:${s.port}/`,
      `http://0.0.0.0:${s.port}/`,
    ]) {
      const r = await rt.callService('get', url, '', 'OnSuccess', 'OnError');
      expect(r.args[1], url).toMatch(/^DENIED: .* is blocked by --deny-net \(listed as 127\.0\.0\.1\)$/);
    }
    const named = await rt.callService('get', `http://sneaky.test:${s.port}/`, '', 'OnSuccess', 'OnError');
    expect(named.args[1]).toBe(
      `DENIED: sneaky.test:${s.port} is blocked by --deny-net (it resolves to 127.0.0.1, listed as 127.0.0.1)`,
    );
    const local = await rt.callService('get', `http://localhost:${s.port}/`, '', 'OnSuccess', 'OnError');
    expect(local.args[1]).toMatch(/^DENIED: localhost:\d+ is blocked by --deny-net \(it resolves to/);
    expect(s.connections).toBe(0);
  });

  it('--deny-net alone blocks everything but the --map targets', async () => {
    const s = await counting();
    const rt = runtime({ denyNet: 'all', maps: [['http://aoz-studio.online/', `${s.origin}/`]] });
    expect(
      (await rt.callService('get', 'http://aoz-studio.online/tutos', '', 'OnSuccess', 'OnError')).args,
    ).toEqual(['200', 'ok /tutos']);
    const r = await rt.callService(
      'get',
      `http://127.0.0.1:${s.port + 0}/direct`,
      '',
      'OnSuccess',
      'OnError',
    );
    // the same host:port as the map target is allowed whichever way it is written
    expect(r.args).toEqual(['200', 'ok /direct']);
    const other = await counting();
    const r2 = await rt.callService('get', `${other.origin}/`, '', 'OnSuccess', 'OnError');
    expect(r2.args).toEqual([
      '508',
      `DENIED: 127.0.0.1:${other.port} is blocked by --deny-net (all network access is denied)`,
    ]);
    expect(other.connections).toBe(0);
  });
});

describe('WebSocket Open obeys the same policy', () => {
  function channel(rt: FakeRuntime, i: number) {
    return {
      isError: () => webSocketIsError.run(rt, [i]),
      error: () => webSocketError.run(rt, [i]),
      connected: () => webSocketIsConnected.run(rt, [i]),
    };
  }

  it.each(['127.0.0.1', '127.1', '2130706433', '[::ffff:127.0.0.1]'])(
    'the literal %s, not listed: channel error DENIED, zero connections',
    async (host) => {
      const s = await ws();
      const rt = runtime({ allowNet: ['localhost'] });
      rt.run(webSocketOpen, 1, `ws://${host}:${s.port}/`);
      const c = channel(rt, 1);
      await rt.until(() => c.isError() === 1);
      expect(c.error()).toBe(
        `DENIED: 127.0.0.1:${s.port} is not allowed by --allow-net (allowed: localhost)`,
      );
      expect(c.connected()).toBe(0);
      await sleep(30);
      expect(s.connections).toBe(0);
    },
  );

  it('a name resolving to a denied address: DENIED; allowed when listed', async () => {
    const s = await ws();
    const lookup = mapLookup({ 'chat.test': ['127.0.0.1'] });
    const rt = runtime({ allowNet: ['chat.test'], lookup });
    rt.run(webSocketOpen, 1, `ws://chat.test:${s.port}/`);
    const c = channel(rt, 1);
    await rt.until(() => c.isError() === 1);
    expect(c.error()).toMatch(
      /^DENIED: chat\.test:\d+ is not allowed by --allow-net \(it resolves to 127\.0\.0\.1/,
    );
    expect(rt.notices).toHaveLength(1);
    expect(s.connections).toBe(0);
    const rt2 = runtime({ allowNet: ['chat.test', `127.0.0.1:${s.port}`], lookup });
    rt2.run(webSocketOpen, 1, `ws://chat.test:${s.port}/`);
    await rt2.until(() => channel(rt2, 1).connected() === 1);
    expect(s.connections).toBe(1);
  });

  it('--deny-net alone: blocked, but a --map target connects', async () => {
    const s = await ws();
    const rt = runtime({ denyNet: 'all', maps: [['wss://demo.websocket.me/', `${s.url}/`]] });
    rt.run(webSocketOpen, 1, 'wss://demo.websocket.me/v3/channel_1');
    await rt.until(() => channel(rt, 1).connected() === 1);
    rt.run(webSocketOpen, 2, 'ws://127.0.0.2:1/');
    await rt.until(() => channel(rt, 2).isError() === 1);
    expect(channel(rt, 2).error()).toBe(
      'DENIED: 127.0.0.2:1 is blocked by --deny-net (all network access is denied)',
    );
    expect(s.connections).toBe(1);
  });
});
