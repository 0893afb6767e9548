import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeNetError,
  type FailureContext,
  NET_ERROR_CLASSES,
  NetFailure,
} from '../../src/runtime/net/errors.js';
import { FakeRuntime } from './fake-runtime.js';

const ctx: FailureContext = {
  host: 'example.test',
  target: 'example.test:443',
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  wsHandshakeTimeoutMs: 10_000,
};

function err(code: string | undefined, message = 'boom', extra: object = {}): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code }, extra);
}

describe('describeNetError', () => {
  it.each([
    [
      err('ECONNREFUSED', '', { address: '127.0.0.1', port: 1 }),
      'REFUSED: 127.0.0.1:1 refused the connection (ECONNREFUSED)',
    ],
    [
      err('ENOTFOUND', '', { hostname: 'no.such.host' }),
      'DNS: no.such.host could not be resolved (ENOTFOUND)',
    ],
    [
      err('UND_ERR_HEADERS_TIMEOUT'),
      'TIMEOUT: no response headers from example.test:443 after 30 s (UND_ERR_HEADERS_TIMEOUT)',
    ],
    [
      err('UND_ERR_CONNECT_TIMEOUT'),
      'TIMEOUT: could not connect to example.test:443 within 10 s (UND_ERR_CONNECT_TIMEOUT)',
    ],
    [err('ECONNRESET'), 'RESET: example.test:443 closed the connection before replying (ECONNRESET)'],
    [
      err('DEPTH_ZERO_SELF_SIGNED_CERT'),
      'TLS: the certificate of example.test:443 is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ],
    [err('CERT_HAS_EXPIRED'), 'TLS: the certificate of example.test:443 has expired (CERT_HAS_EXPIRED)'],
    [
      err('ERR_TLS_CERT_ALTNAME_INVALID'),
      'TLS: the certificate of example.test:443 does not match the host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    ],
    [
      err('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'),
      'TLS: secure connection to example.test:443 failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)',
    ],
    [
      err('UND_ERR_HEADERS_OVERFLOW'),
      'TOO_LARGE: the response headers from example.test:443 are too large (UND_ERR_HEADERS_OVERFLOW)',
    ],
    [
      err('WS_ERR_INVALID_UTF8', 'Invalid UTF-8 sequence'),
      'PROTOCOL: example.test:443 broke the WebSocket protocol: Invalid UTF-8 sequence (WS_ERR_INVALID_UTF8)',
    ],
    [
      err(undefined, 'Unexpected server response: 502'),
      'PROTOCOL: the server answered the WebSocket upgrade with HTTP 502',
    ],
    [
      err('UND_ERR_INVALID_ARG', 'Redirect loop detected. Cannot redirect'),
      'REDIRECT: example.test:443 redirects in a loop (UND_ERR_INVALID_ARG)',
    ],
    [err('ERR_INVALID_URL', 'Invalid URL'), 'BAD_URL: Invalid URL (ERR_INVALID_URL)'],
    [new NetFailure('DENIED', '10.0.0.1 is not in --allow-net'), 'DENIED: 10.0.0.1 is not in --allow-net'],
  ])('%s', (error, text) => {
    expect(describeNetError(error, ctx).text).toBe(text);
  });

  it('looks into AggregateError and cause chains', () => {
    const agg = new AggregateError([err('ECONNREFUSED', '', { address: '::1', port: 80 })], 'all failed');
    expect(describeNetError(agg, ctx).text).toBe('REFUSED: [::1]:80 refused the connection (ECONNREFUSED)');
    const wrapped = new TypeError('fetch failed', { cause: err('EAI_AGAIN', '', { hostname: 'h' }) });
    expect(describeNetError(wrapped, ctx).cls).toBe('DNS');
  });

  it('never throws and always starts with a class word', () => {
    for (const weird of [
      undefined,
      null,
      42,
      'text',
      {},
      { code: 7 },
      err('SOMETHING_NEW', 'odd\nsecond line'),
    ]) {
      const d = describeNetError(weird, ctx);
      expect(NET_ERROR_CLASSES).toContain(d.cls);
      expect(d.text.startsWith(`${d.cls}: `)).toBe(true);
      expect(d.text).not.toMatch(/\n/);
    }
  });
});

describe('TLS against a self-signed certificate', () => {
  let hasOpenssl = true;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    hasOpenssl = false;
  }

  it.skipIf(!hasOpenssl)(
    'is 508 TLS naming the certificate problem, never an insecure fallback',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aozrun-tls-'));
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
          ],
          { stdio: 'ignore' },
        );
        const server = https.createServer(
          { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
          (_req, res) => res.end('secret'),
        );
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as AddressInfo).port;
        const rt = new FakeRuntime();
        try {
          const r = await rt.callService('get', `https://127.0.0.1:${port}/`, '', 'OnSuccess', 'OnError');
          expect(r.proc).toBe('OnError');
          expect(r.args).toEqual([
            '508',
            `TLS: the certificate of 127.0.0.1:${port} is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`,
          ]);
        } finally {
          await rt.net.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
