/**
 * The --allow-net/--deny-net policy as a unit: host normalisation, entries, the two checks (before
 * connecting, on resolved addresses) and the resolver wrapper.
 */
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  canonicalHost,
  NetPolicy,
  parseNetList,
  parseNetRule,
  specialAddress,
} from '../../src/runtime/net/policy.js';
import { mapLookup } from './net-helpers.js';

describe('canonicalHost', () => {
  it.each([
    ['127.0.0.1', 'ipv4', '127.0.0.1'],
    ['127.1', 'ipv4', '127.0.0.1'],
    ['2130706433', 'ipv4', '127.0.0.1'],
    ['0x7f000001', 'ipv4', '127.0.0.1'],
    ['0177.0.0.1', 'ipv4', '127.0.0.1'],
    ['127.0.0.1.', 'ipv4', '127.0.0.1'],
    ['[::1]', 'ipv6', '::1'],
    ['::1', 'ipv6', '::1'],
    ['[0:0:0:0:0:0:0:1]', 'ipv6', '::1'],
    ['[::ffff:127.0.0.1]', 'ipv4', '127.0.0.1'],
    ['[::ffff:7f00:1]', 'ipv4', '127.0.0.1'],
    ['[64:ff9b::a9fe:a9fe]', 'ipv4', '169.254.169.254'],
    ['[fe80::1%eth0]', 'ipv6', 'fe80::1'],
    ['0.0.0.0', 'ipv4', '0.0.0.0'],
    ['169.254.169.254', 'ipv4', '169.254.169.254'],
    ['Example.COM', 'name', 'example.com'],
    ['example.com.', 'name', 'example.com'],
    ['café.test', 'name', 'xn--caf-dma.test'],
  ])('%s is %s %s', (raw, kind, host) => {
    expect(canonicalHost(raw)).toEqual({ kind, host });
  });

  it.each(['', 'a/b', 'user@host', 'exa mple.com', '[::1', '*.example.com', '1.2.3.4.5.6'])(
    '%j is not a host',
    (raw) => {
      expect(canonicalHost(raw)).toBeUndefined();
    },
  );

  it('classifies non-public addresses', () => {
    const label = (a: string) => specialAddress(canonicalHost(a) ?? { kind: 'name', host: a });
    expect(label('127.0.0.5')).toBe('a loopback address');
    expect(label('::1')).toBe('a loopback address');
    expect(label('0.0.0.0')).toBe('the unspecified address');
    expect(label('10.1.2.3')).toBe('a private address');
    expect(label('192.168.1.1')).toBe('a private address');
    expect(label('fd00::1')).toBe('a private address');
    expect(label('169.254.169.254')).toBe('a link-local address');
    expect(label('::ffff:10.0.0.1')).toBe('a private address');
    expect(label('93.184.216.34')).toBeUndefined();
    expect(label('2606:4700::1111')).toBeUndefined();
  });
});

describe('entries', () => {
  it('host, host:port, [v6], [v6]:port, bare v6', () => {
    expect(parseNetRule('Example.com')).toEqual({ kind: 'name', host: 'example.com', text: 'Example.com' });
    expect(parseNetRule('example.com:8080')).toMatchObject({ host: 'example.com', port: 8080 });
    expect(parseNetRule('127.1:80')).toMatchObject({ kind: 'ipv4', host: '127.0.0.1', port: 80 });
    expect(parseNetRule('[::1]')).toEqual({ kind: 'ipv6', host: '::1', text: '[::1]' });
    expect(parseNetRule('[::1]:443')).toMatchObject({ kind: 'ipv6', host: '::1', port: 443 });
    expect(parseNetRule('::1')).toMatchObject({ kind: 'ipv6', host: '::1' });
  });

  it.each([
    ['', /empty/],
    ['host:0', /port/],
    ['host:99999', /port/],
    ['host:http', /port/],
    ['*.example.com', /wildcards/],
    ['http://example.com', /not a valid host/],
    ['[::1', /missing/],
    ['[::1]x', /host\[:port\]/],
  ])('%j is refused', (entry, message) => {
    expect(() => parseNetRule(entry)).toThrow(message);
  });

  it('lists are comma separated; an empty list is an error', () => {
    expect(parseNetList('a.com, b.com:81,,[::1]')).toEqual(['a.com', 'b.com:81', '[::1]']);
    expect(() => parseNetList(' , ')).toThrow(/expected/);
    expect(() => parseNetList('a.com,bad host')).toThrow(/not a valid/);
  });
});

describe('NetPolicy.checkTarget', () => {
  it('allows everything without flags', () => {
    const p = new NetPolicy();
    expect(p.restricted).toBe(false);
    expect(p.checkTarget('169.254.169.254', 80)).toBeUndefined();
  });

  it('--allow-net: listed names and addresses, with or without a port', () => {
    const p = new NetPolicy({ allowNet: ['good.test', 'api.test:8080', '10.0.0.1'] });
    expect(p.checkTarget('good.test', 1234)).toBeUndefined();
    expect(p.checkTarget('GOOD.test', 80)).toBeUndefined();
    expect(p.checkTarget('api.test', 8080)).toBeUndefined();
    expect(p.checkTarget('10.0.0.1', 443)).toBeUndefined();
    expect(p.checkTarget('api.test', 8081)?.text).toBe(
      'DENIED: api.test:8081 is not allowed by --allow-net (allowed: good.test, api.test:8080, 10.0.0.1)',
    );
    expect(p.checkTarget('other.test', 80)?.cls).toBe('DENIED');
    expect(p.checkTarget('sub.good.test', 80)?.cls).toBe('DENIED');
  });

  it.each([
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f000001',
    '[::1]',
    '[::ffff:127.0.0.1]',
    '0.0.0.0',
    '169.254.169.254',
  ])('--allow-net refuses the literal %s when it is not listed', (host) => {
    const p = new NetPolicy({ allowNet: ['localhost', 'example.com'] });
    const d = p.checkTarget(host, 80);
    expect(d?.text).toMatch(
      /^DENIED: \S+:80 is not allowed by --allow-net \(allowed: localhost, example\.com\)$/,
    );
  });

  it('literal spellings match the entry they normalise to', () => {
    const p = new NetPolicy({ allowNet: ['127.0.0.1:8080', '[::1]'] });
    for (const h of ['127.1', '2130706433', '0x7f000001', '[::ffff:127.0.0.1]', '127.0.0.1']) {
      expect(p.checkTarget(h, 8080), h).toBeUndefined();
      expect(p.checkTarget(h, 8081)?.text, h).toMatch(
        /^DENIED: 127\.0\.0\.1:8081 is not allowed by --allow-net/,
      );
    }
    expect(p.checkTarget('[0::1]', 9)).toBeUndefined();
  });

  it('--deny-net: listed hosts; a loopback entry or localhost blocks every local address', () => {
    const p = new NetPolicy({ denyNet: ['evil.test', '127.0.0.1', '10.0.0.1:22'] });
    expect(p.checkTarget('evil.test', 80)?.text).toBe(
      'DENIED: evil.test:80 is blocked by --deny-net (listed as evil.test)',
    );
    for (const h of ['127.1', '127.0.0.2', '[::1]', '0.0.0.0', '[::]', '[::ffff:127.0.0.1]', '2130706433']) {
      expect(p.checkTarget(h, 80)?.cls, h).toBe('DENIED');
    }
    expect(p.checkTarget('10.0.0.1', 22)?.cls).toBe('DENIED');
    expect(p.checkTarget('10.0.0.1', 80)).toBeUndefined();
    expect(p.checkTarget('good.test', 80)).toBeUndefined();
    const local = new NetPolicy({ denyNet: ['localhost'] });
    expect(local.checkTarget('127.0.0.1', 80)?.cls).toBe('DENIED');
    expect(local.checkTarget('localhost', 80)?.cls).toBe('DENIED');
  });

  it('--deny-net alone blocks everything; deny wins over allow; --map targets always pass', () => {
    const all = new NetPolicy({
      denyNet: 'all',
      exempt: NetPolicy.mapTargets([['http://x/', 'http://127.0.0.1:8765/']]),
    });
    expect(all.checkTarget('example.com', 443)?.text).toBe(
      'DENIED: example.com:443 is blocked by --deny-net (all network access is denied)',
    );
    expect(all.checkTarget('127.0.0.1', 8765)).toBeUndefined();
    expect(all.checkTarget('127.1', 8765)).toBeUndefined();
    expect(all.checkTarget('127.0.0.1', 8766)?.cls).toBe('DENIED');
    const both = new NetPolicy({ allowNet: ['a.test'], denyNet: ['a.test:81'] });
    expect(both.checkTarget('a.test', 80)).toBeUndefined();
    expect(both.checkTarget('a.test', 81)?.text).toMatch(/--deny-net/);
  });

  it('map targets: default ports by scheme, ws and wss too, junk ignored', () => {
    expect(
      NetPolicy.mapTargets([
        ['a', 'http://h1/'],
        ['b', 'https://h2'],
        ['c', 'wss://h3/x'],
        ['d', 'ws://[::1]:9/'],
        ['e', 'not a url'],
      ]),
    ).toEqual([
      { host: 'h1', port: 80 },
      { host: 'h2', port: 443 },
      { host: 'h3', port: 443 },
      { host: '[::1]', port: 9 },
    ]);
  });

  it('refuses invalid entries', () => {
    expect(() => new NetPolicy({ allowNet: ['bad host'] })).toThrow(/not a valid/);
  });
});

describe('NetPolicy.checkAddresses (names after resolution)', () => {
  it('--allow-net: public addresses of a listed name pass; non-public ones must be listed', () => {
    const p = new NetPolicy({ allowNet: ['good.test', 'lan.test', '10.0.0.7'] });
    expect(p.checkAddresses('good.test', 80, ['93.184.216.34', '2606:4700::1111'])).toBeUndefined();
    expect(p.checkAddresses('good.test', 80, ['93.184.216.34', '127.0.0.1'])?.text).toBe(
      'DENIED: good.test:80 is not allowed by --allow-net (it resolves to 127.0.0.1, a loopback address that is not in the list)',
    );
    expect(p.checkAddresses('good.test', 80, ['169.254.169.254'])?.text).toMatch(/a link-local address/);
    expect(p.checkAddresses('good.test', 80, ['::ffff:10.0.0.1'])?.text).toMatch(
      /it resolves to 10\.0\.0\.1, a private/,
    );
    expect(p.checkAddresses('lan.test', 80, ['10.0.0.7'])).toBeUndefined();
    // the name itself is checked too
    expect(p.checkAddresses('other.test', 80, ['93.184.216.34'])?.text).toMatch(
      /other\.test:80 is not allowed/,
    );
  });

  it('--allow-net=localhost lets localhost reach the loopback addresses', () => {
    const p = new NetPolicy({ allowNet: ['localhost'] });
    expect(p.checkAddresses('localhost', 80, ['127.0.0.1', '::1'])).toBeUndefined();
    expect(p.checkAddresses('localhost', 80, ['10.0.0.1'])?.cls).toBe('DENIED');
  });

  it('--deny-net blocks a name that resolves to a denied address', () => {
    const p = new NetPolicy({ denyNet: ['127.0.0.1', '10.0.0.9:22'] });
    expect(p.checkAddresses('sneaky.test', 80, ['127.0.0.1'])?.text).toBe(
      'DENIED: sneaky.test:80 is blocked by --deny-net (it resolves to 127.0.0.1, listed as 127.0.0.1)',
    );
    expect(p.checkAddresses('sneaky.test', 80, ['::1'])?.cls).toBe('DENIED');
    expect(p.checkAddresses('ssh.test', 22, ['10.0.0.9'])?.cls).toBe('DENIED');
    expect(p.checkAddresses('web.test', 80, ['10.0.0.9'])).toBeUndefined();
  });
});

describe('NetPolicy.lookup', () => {
  const base = mapLookup({ 'good.test': ['93.184.216.34'], 'rebind.test': ['93.184.216.34', '127.0.0.1'] });

  function resolve(p: NetPolicy, host: string, all: boolean) {
    return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((done) =>
      p.lookup(80, base)(host, { all }, (err, address) => done({ err, address })),
    );
  }

  it('passes allowed names through, in both callback forms', async () => {
    const p = new NetPolicy({ allowNet: ['good.test'] });
    expect(await resolve(p, 'good.test', false)).toEqual({ err: null, address: '93.184.216.34' });
    expect(await resolve(p, 'good.test', true)).toEqual({
      err: null,
      address: [{ address: '93.184.216.34', family: 4 }],
    });
  });

  it('refuses a name when any of its addresses is denied, before any connection', async () => {
    const p = new NetPolicy({ allowNet: ['rebind.test'] });
    const r = await resolve(p, 'rebind.test', true);
    expect(r.err?.message).toMatch(
      /^DENIED: rebind\.test:80 is not allowed by --allow-net \(it resolves to 127\.0\.0\.1/,
    );
    const r2 = await resolve(p, 'good.test', false);
    expect(r2.err?.message).toMatch(/^DENIED: good\.test:80 is not allowed/);
  });

  it('passes resolver errors through', async () => {
    const p = new NetPolicy({ denyNet: ['x.test'] });
    const r = await resolve(p, 'unknown.test', false);
    expect(r.err?.code).toBe('ENOTFOUND');
  });
});
