/**
 * Fault matrix, permission, TLS and proxy rows (net-fault-matrix.md rows 15, 16, 19, 20).
 * Permissions use NetOptions.allowNet / denyNet (--allow-net / --deny-net), proxies
 * NetOptions.env (HTTP_PROXY, HTTPS_PROXY, NO_PROXY); no request leaves 127.0.0.1 and every
 * host name goes through an injected resolver.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { closedPort, httpServer, type TestServer } from '../servers.js';
import { removeChildRunner, runInChild } from './child.js';
import {
  expectOk,
  FAST,
  type MatrixNet,
  mapLookup,
  outcomes,
  PROCS,
  program,
  q,
  row,
  run,
  skippedRow,
  textLines,
} from './support.js';
import { type Certificates, hasOpenssl, makeCertificates } from './tls.js';

function okServer(): Promise<ReturnType<typeof httpServer> extends Promise<infer T> ? T : never> {
  return httpServer((req, res) => res.end(`${req.method} ${req.url}`));
}

/** A server on ::1 (undefined when this machine has no IPv6 loopback). */
async function ipv6Server(): Promise<(TestServer & { close(): Promise<void> }) | undefined> {
  const state = { connections: 0, open: new Set<net.Socket>() };
  const server = net.createServer((socket) => {
    state.connections++;
    state.open.add(socket);
    socket.on('close', () => state.open.delete(socket));
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nv6ok');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
  } catch {
    return undefined;
  }
  const port = (server.address() as net.AddressInfo).port;
  return Object.assign(state, {
    port,
    origin: `http://[::1]:${port}`,
    close: async () => {
      for (const s of state.open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Calls every URL in turn; one outcome line each, in order. */
async function callAll(urls: readonly string[], netOptions: MatrixNet): Promise<string[]> {
  const r = await run(
    program(...urls.map((u) => `Call Service "get", ${q(u)}, "", "OK", "KO"`), 'Print "END"', PROCS),
    { net: netOptions },
  );
  expectOk(r);
  expect(textLines(r).at(-1)).toBe('END');
  return outcomes(r);
}

describe('fault matrix: permissions', () => {
  row(
    15,
    '--allow-net given and the URL is a literal loopback/metadata address in any spelling',
    async (g) => {
      const s = await g.serve(okServer());
      const v6 = await ipv6Server();
      if (v6) g.defer(() => v6.close());
      const p = s.port;
      const p6 = v6?.port ?? p;
      const spellings = [
        `http://127.1:${p}/`,
        `http://2130706433:${p}/`,
        `http://0x7f000001:${p}/`,
        `http://0177.0.0.1:${p}/`,
        `http://127.000.000.001:${p}/`,
        `http://[::1]:${p6}/`,
        `http://[0:0:0:0:0:0:0:1]:${p6}/`,
        `http://[::ffff:127.0.0.1]:${p}/`,
        `http://[::ffff:7f00:1]:${p}/`,
        `http://0.0.0.0:${p}/`,
        `http://0:${p}/`,
        `http://169.254.169.254:${p}/`,
        `http://[::ffff:169.254.169.254]:${p}/`,
        `http://127.0.0.1:${p}/`,
      ];
      const t0 = performance.now();
      const outs = await callAll(spellings, { ...FAST, allowNet: ['allowed.test'] });
      // refused before any connection: no connect timeout on the unreachable addresses
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(outs).toHaveLength(spellings.length);
      outs.forEach((line, i) => {
        expect(line, spellings[i]).toMatch(/^KO 508 DENIED: /);
      });
      // a WebSocket to a loopback spelling is denied too
      const ws = await run(
        program(
          `WebSocket Open 1, ${q(`ws://127.1:${p}/`)}`,
          'Repeat : Wait 0.01 : Until WebSocket Is Error(1)',
          'Print WebSocket Error$(1)',
        ),
        { net: { ...FAST, allowNet: ['allowed.test'] }, timeoutMs: 3000 },
      );
      expectOk(ws);
      expect(textLines(ws)).toEqual([expect.stringMatching(/^DENIED: /)]);
      // --deny-net: everything, or the spellings of one address
      expect(await callAll([`http://127.0.0.1:${p}/`], { ...FAST, denyNet: 'all' })).toEqual([
        expect.stringMatching(/^KO 508 DENIED: /),
      ]);
      const denied127 = await callAll(
        [
          `http://127.1:${p}/`,
          `http://2130706433:${p}/`,
          `http://[::ffff:127.0.0.1]:${p}/`,
          `http://127.0.0.1:${p}/`,
        ],
        { ...FAST, denyNet: ['127.0.0.1'] },
      );
      for (const line of denied127) expect(line).toMatch(/^KO 508 DENIED: /);
      // the server saw nothing at all
      expect(s.connections).toBe(0);
      if (v6) expect(v6.connections).toBe(0);
      // allowed when listed
      expect(await callAll([`http://127.0.0.1:${p}/ok`], { ...FAST, allowNet: [`127.0.0.1:${p}`] })).toEqual([
        'OK 200 GET /ok',
      ]);
    },
  );

  row(
    16,
    '--allow-net given; a hostname resolving to a denied address; an allowed host redirecting to a denied one',
    async (g) => {
      const target = await g.serve(okServer());
      const lookup = mapLookup({ 'app.test': '127.0.0.1', 'other.test': '127.0.0.1' });
      // a host name that resolves to a denied address: checked at connect time
      expect(
        await callAll([`http://app.test:${target.port}/`], {
          ...FAST,
          lookup,
          allowNet: ['app.test'],
          denyNet: ['127.0.0.1'],
        }),
      ).toEqual([expect.stringMatching(/^KO 508 DENIED: /)]);
      // --allow-net alone: a listed name that resolves to a loopback address not listed itself
      // (DNS rebinding)
      expect(
        await callAll([`http://app.test:${target.port}/`], { ...FAST, lookup, allowNet: ['app.test'] }),
      ).toEqual([expect.stringMatching(/^KO 508 DENIED: /)]);
      expect(target.connections).toBe(0);

      // an allowed host redirecting to a host (or port) that is not allowed
      const start = await g.serve(
        httpServer((req, res) => {
          const to =
            req.url === '/to-name'
              ? `http://other.test:${target.port}/there`
              : `http://127.0.0.1:${target.port}/there`;
          res.writeHead(302, { location: to }).end();
        }),
      );
      const allowStart: MatrixNet = { ...FAST, lookup, allowNet: [`127.0.0.1:${start.port}`] };
      expect(
        await callAll(
          [`http://127.0.0.1:${start.port}/to-ip`, `http://127.0.0.1:${start.port}/to-name`],
          allowStart,
        ),
      ).toEqual([expect.stringMatching(/^KO 508 DENIED: /), expect.stringMatching(/^KO 508 DENIED: /)]);
      expect(start.connections).toBeGreaterThan(0);
      expect(target.connections).toBe(0);

      // allowed when listed
      expect(
        await callAll([`http://app.test:${target.port}/listed`], {
          ...FAST,
          lookup,
          allowNet: ['app.test', '127.0.0.1'],
        }),
      ).toEqual(['OK 200 GET /listed']);
      expect(
        await callAll([`http://127.0.0.1:${start.port}/to-ip`], {
          ...FAST,
          lookup,
          allowNet: [`127.0.0.1:${start.port}`, `127.0.0.1:${target.port}`],
        }),
      ).toEqual(['OK 200 GET /there']);
    },
  );
});

let certs: Certificates | undefined;
const openssl = hasOpenssl();

describe('fault matrix: TLS and proxies', () => {
  beforeAll(() => {
    if (openssl) certs = makeCertificates();
  }, 30_000);
  afterAll(async () => {
    certs?.remove();
    await removeChildRunner();
  });

  /** An https server with that certificate, counting the HTTP requests that got through. */
  async function tlsServer(pair: { key: string; cert: string }) {
    let requests = 0;
    const open = new Set<net.Socket>();
    const server = https.createServer(
      { key: readFileSync(pair.key), cert: readFileSync(pair.cert) },
      (_req, res) => {
        requests++;
        res.end('secret');
      },
    );
    server.on('connection', (s: net.Socket) => {
      open.add(s);
      s.on('close', () => open.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    return {
      port,
      get requests() {
        return requests;
      },
      close: async () => {
        for (const s of open) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  if (!openssl) {
    skippedRow(19, 'TLS: self-signed, expired, wrong host name', 'the openssl command is not installed');
  } else {
    row(
      19,
      'TLS: self-signed, expired, wrong host name',
      async (g) => {
        const c = certs!;
        const self = await g.serve(tlsServer(c.selfSigned));
        const expired = await g.serve(tlsServer(c.expired));
        const outs = await callAll(
          [`https://127.0.0.1:${self.port}/`, `https://127.0.0.1:${expired.port}/`],
          FAST,
        );
        expect(outs).toEqual([
          expect.stringMatching(/^KO 508 TLS: .*self-signed.*\(DEPTH_ZERO_SELF_SIGNED_CERT\)$/),
          expect.stringMatching(/^KO 508 TLS: .*expired.*\(CERT_HAS_EXPIRED\)$/),
        ]);
        // wss:// as well
        const ws = await run(
          program(
            `WebSocket Open 1, ${q(`wss://127.0.0.1:${self.port}/`)}`,
            'Repeat : Wait 0.01 : Until WebSocket Is Error(1)',
            'Print WebSocket Error$(1) : Print WebSocket Is Connected(1)',
          ),
          { net: FAST, timeoutMs: 3000 },
        );
        expectOk(ws);
        expect(textLines(ws)).toEqual([expect.stringMatching(/^TLS: .*self-signed/), ' 0']);

        // a wrong host name is only checked on a trusted chain: a child process that trusts the CA
        const wrong = await g.serve(tlsServer(c.wrongHost));
        const good = await g.serve(tlsServer(c.good));
        const child = await runInChild(
          program(
            `Call Service "get", ${q(`https://127.0.0.1:${wrong.port}/`)}, "", "OK", "KO"`,
            `Call Service "get", ${q(`https://127.0.0.1:${good.port}/`)}, "", "OK", "KO"`,
            PROCS,
          ),
          { net: FAST },
          { NODE_EXTRA_CA_CERTS: c.caCert },
        );
        expect(child.stderr).toBe('');
        expect(child.exit).toBe(0);
        expect(child.stdout.trimEnd().split('\n')).toEqual([
          expect.stringMatching(/^KO 508 TLS: .*host name.*\(ERR_TLS_CERT_ALTNAME_INVALID\)$/),
          'OK 200 secret',
        ]);
        // never an insecure fallback: no HTTP request reached a server whose certificate failed
        expect(self.requests).toBe(0);
        expect(expired.requests).toBe(0);
        expect(wrong.requests).toBe(0);
        expect(good.requests).toBe(1);
      },
      30_000,
    );
  }

  row(20, 'HTTP_PROXY / HTTPS_PROXY / NO_PROXY set; proxy down', async (g) => {
    // a forward proxy that answers absolute-form requests itself and refuses CONNECT tunnels
    const seen: string[] = [];
    const proxySockets = new Set<net.Socket>();
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end(`proxied ${req.method} ${req.url}`);
    });
    proxy.on('connection', (s: net.Socket) => {
      proxySockets.add(s);
      s.on('close', () => proxySockets.delete(s));
    });
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
      seen.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    g.defer(
      () =>
        new Promise<void>((resolve) => {
          for (const s of proxySockets) s.destroy();
          proxy.close(() => resolve());
        }),
    );
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const direct = await g.serve(okServer());
    const lookup = mapLookup({ 'direct.test': '127.0.0.1' });
    const env = { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: 'direct.test' };

    const outs = await callAll(
      ['http://far.test/path?x=1', `http://direct.test:${direct.port}/nearby`, 'https://secure.test/'],
      { ...FAST, lookup, env },
    );
    expect(outs[0]).toBe('OK 200 proxied GET http://far.test/path?x=1');
    expect(outs[1]).toBe('OK 200 GET /nearby');
    // HTTPS goes through a CONNECT tunnel, which this proxy refuses: a failure, one outcome
    expect(outs[2]).toMatch(/^KO 508 [A-Z_]+: /);
    expect(seen).toEqual(['GET http://far.test/path?x=1', 'CONNECT secure.test:443']);
    expect(direct.requests.map((r) => r.url)).toEqual(['/nearby']);

    // a dead proxy: REFUSED within the connect timeout
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const t0 = performance.now();
    const deadOuts = await callAll(['http://far.test/'], { ...FAST, lookup, env: { HTTP_PROXY: dead } });
    expect(performance.now() - t0).toBeLessThan((FAST.connectTimeoutMs ?? 0) + 1000);
    expect(deadOuts).toEqual([expect.stringMatching(/^KO 508 REFUSED: /)]);
  });
});
