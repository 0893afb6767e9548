/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (net-fault-matrix row 20), read from the environment given
 * to Net (never the test process's own).
 */
import { describe, expect, it } from 'vitest';
import { proxyFor, proxySettings } from '../../src/runtime/net/proxy.js';
import { testScope } from './fake-runtime.js';
import { httpProxy, type ProxyServer } from './net-helpers.js';
import { closedPort, type HttpTestServer, httpServer, rawServer } from './servers.js';

const { runtime, defer } = testScope();

async function target(): Promise<HttpTestServer> {
  const s = await httpServer((req, res) =>
    res.end(`${req.method} ${req.url} via=${req.headers['x-via-test-proxy'] ?? 'none'}`),
  );
  defer(() => s.close());
  return s;
}

async function proxy(): Promise<ProxyServer> {
  const p = await httpProxy();
  defer(() => p.close());
  return p;
}

describe('proxy settings', () => {
  it('lower case wins, HTTPS falls back to HTTP, scheme-less values are http://', () => {
    expect(proxySettings({ HTTP_PROXY: 'http://a:1', http_proxy: 'http://b:2' })).toEqual({
      http: 'http://b:2/',
      https: 'http://b:2/',
      noProxy: '',
    });
    expect(proxySettings({ HTTPS_PROXY: 'proxy.local:3128', NO_PROXY: 'x' })).toEqual({
      http: undefined,
      https: 'http://proxy.local:3128/',
      noProxy: 'x',
    });
    expect(proxySettings({})).toEqual({ http: undefined, https: undefined, noProxy: '' });
    expect(() => proxySettings({ HTTP_PROXY: 'http://' })).toThrow(
      /HTTP_PROXY "http:\/\/" is not a valid proxy URL/,
    );
  });

  it('NO_PROXY: exact host, subdomain, leading dot or *., port, and *', () => {
    const s = (noProxy: string) => proxySettings({ HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy });
    const url = (u: string) => new URL(u);
    expect(proxyFor(s(''), url('http://a.test/'))?.href).toBe('http://p:1/');
    expect(proxyFor(s('a.test'), url('http://a.test/'))).toBeUndefined();
    expect(proxyFor(s('a.test'), url('http://www.a.test/'))).toBeUndefined();
    expect(proxyFor(s('.a.test'), url('http://www.a.test/'))).toBeUndefined();
    expect(proxyFor(s('*.a.test'), url('http://www.a.test/'))).toBeUndefined();
    expect(proxyFor(s('a.test:81'), url('http://a.test/'))?.href).toBe('http://p:1/');
    expect(proxyFor(s('a.test:81'), url('http://a.test:81/'))).toBeUndefined();
    expect(proxyFor(s('*'), url('http://a.test/'))).toBeUndefined();
    expect(proxyFor(s('b.test, 127.0.0.1'), url('http://127.0.0.1:9/'))).toBeUndefined();
  });
});

describe('requests through a proxy', () => {
  it('HTTP_PROXY: http:// requests go through the proxy (absolute-URI form)', async () => {
    const t = await target();
    const p = await proxy();
    const rt = runtime({ env: { HTTP_PROXY: p.url } });
    const r = await rt.callService('get', `${t.origin}/x`, 'a=1', 'OnSuccess', 'OnError');
    expect(r.args).toEqual(['200', 'GET /x?a=1 via=1']);
    expect(p.requests).toEqual([`GET ${t.origin}/x?a=1`]);
    const post = await rt.callService('post', `${t.origin}/form`, 'b=2', 'OnSuccess', 'OnError');
    expect(post.args).toEqual(['200', 'POST /form via=1']);
    expect(t.requests.at(-1)?.body).toBe('b=2');
  });

  it('the lower-case http_proxy works too; NO_PROXY bypasses the proxy', async () => {
    const t = await target();
    const p = await proxy();
    const rt = runtime({ env: { http_proxy: p.url, NO_PROXY: 'example.com,127.0.0.1' } });
    expect((await rt.callService('get', `${t.origin}/direct`, '', 'OnSuccess')).args).toEqual([
      '200',
      'GET /direct via=none',
    ]);
    expect(p.requests).toEqual([]);
    expect(p.connections).toBe(0);
  });

  it('the environment of the test process is not used when env is given', async () => {
    const t = await target();
    const rt = runtime({ env: {} });
    expect((await rt.callService('get', `${t.origin}/`, '', 'OnSuccess')).args[1]).toBe('GET / via=none');
  });

  it('a dead proxy: 508 REFUSED naming the proxy, quickly', async () => {
    const t = await target();
    const port = await closedPort();
    const rt = runtime({ env: { HTTP_PROXY: `http://127.0.0.1:${port}` } });
    const start = Date.now();
    const r = await rt.callService('get', `${t.origin}/`, '', 'OnSuccess', 'OnError');
    expect(Date.now() - start).toBeLessThan(1000);
    expect(r.args).toEqual([
      '508',
      `REFUSED: the proxy 127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
    ]);
    expect(t.connections).toBe(0);
  });

  it('a dead proxy for https:// (tunnel): 508 REFUSED too', async () => {
    const port = await closedPort();
    const rt = runtime({ env: { HTTPS_PROXY: `http://127.0.0.1:${port}` } });
    const r = await rt.callService('get', 'https://secure.test/', '', 'OnSuccess', 'OnError');
    expect(r.args[0]).toBe('508');
    expect(r.args[1]).toMatch(
      /^REFUSED: the proxy 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)$/,
    );
  });

  it('a proxy that never answers the tunnel request: TIMEOUT (headers timeout, or the deadline)', async () => {
    const silent = await rawServer(() => undefined);
    defer(() => silent.close());
    const rt = runtime({ env: { HTTPS_PROXY: silent.origin }, headersTimeoutMs: 300 });
    let start = Date.now();
    const r = await rt.callService('get', 'https://secure.test/', '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^TIMEOUT: no response headers from .* after 0\.3 s/);
    expect(Date.now() - start).toBeLessThan(1300);
    // the overall deadline holds even where undici does not honour the abort signal
    const rt2 = runtime({ env: { HTTPS_PROXY: silent.origin }, requestDeadlineMs: 400 });
    start = Date.now();
    const r2 = await rt2.callService('get', 'https://secure.test/', '', 'OnSuccess', 'OnError');
    expect(r2.args[1]).toMatch(/^TIMEOUT: no complete reply from secure\.test:443 within 0\.4 s/);
    expect(Date.now() - start).toBeLessThan(1400);
  });

  it('an invalid proxy URL: every request is 508 BAD_URL saying so', async () => {
    const rt = runtime({ env: { HTTP_PROXY: 'http://[oops' } });
    const r = await rt.callService('get', 'http://example.test/', '', 'OnSuccess', 'OnError');
    expect(r.args).toEqual(['508', 'BAD_URL: HTTP_PROXY "http://[oops" is not a valid proxy URL']);
  });

  it('the proxy pool is capped like any origin', async () => {
    const t = await httpServer((req, res) => setTimeout(() => res.end(req.url), 20));
    defer(() => t.close());
    const p = await proxy();
    const rt = runtime({ env: { HTTP_PROXY: p.url }, maxConnectionsPerOrigin: 3 });
    const { callServiceEntry } = await import('../../src/runtime/net/call-service.js');
    for (let i = 0; i < 30; i++)
      rt.run(callServiceEntry, 'get', `${t.origin}/${i}`, '', 'OnSuccess', 'OnError', '', 1);
    await rt.until(() => rt.released === 30);
    expect(rt.events.every((e) => e.kind === 'call' && e.proc.name === 'OnSuccess')).toBe(true);
    expect(p.connections).toBeLessThanOrEqual(3);
  });

  it('--allow-net still applies to the target when a proxy is used (the proxy itself is exempt)', async () => {
    const t = await target();
    const p = await proxy();
    const rt = runtime({ env: { HTTP_PROXY: p.url }, allowNet: ['example.com'] });
    const r = await rt.callService('get', `${t.origin}/`, '', 'OnSuccess', 'OnError');
    expect(r.args[1]).toMatch(/^DENIED: 127\.0\.0\.1:\d+ is not allowed by --allow-net/);
    expect(p.connections).toBe(0);
    const rt2 = runtime({ env: { HTTP_PROXY: p.url }, allowNet: [`127.0.0.1:${t.port}`] });
    expect((await rt2.callService('get', `${t.origin}/`, '', 'OnSuccess', 'OnError')).args).toEqual([
      '200',
      'GET / via=1',
    ]);
  });
});
