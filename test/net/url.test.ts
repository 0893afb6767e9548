import { describe, expect, it } from 'vitest';
import { applyMaps, prepareUrl } from '../../src/runtime/net/url.js';
import { catchError } from './fake-runtime.js';

function warner() {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => void warnings.push(m) };
}

describe('prepareUrl', () => {
  it('keeps a clean URL as it is, without warning', () => {
    const rt = warner();
    expect(prepareUrl(rt, 'https://example.test:8443/a/b?c=1#frag', 'http', []).href).toBe(
      'https://example.test:8443/a/b?c=1',
    );
    expect(rt.warnings).toEqual([]);
  });

  it('removes every kind of white space, with one warning', () => {
    const rt = warner();
    const url = prepareUrl(
      rt,
      'wss: //demo.websocket.me/v3/channel_1? Api_key = oCd\tx\u00a0y&notify_self',
      'websocket',
      [],
    );
    expect(url.href).toBe('wss://demo.websocket.me/v3/channel_1?Api_key=oCdxy&notify_self');
    expect(rt.warnings).toHaveLength(1);
    expect(rt.warnings[0]).toMatch(/spaces removed from URL/);
  });

  it('applies the first map whose FROM prefixes the URL, case-insensitively', () => {
    const maps = [
      ['http://aoz-studio.online/', 'http://127.0.0.1:8080/'],
      ['http://', 'http://never/'],
    ] as const;
    expect(applyMaps('HTTP://AOZ-studio.online/tutos/get.php', maps)).toBe(
      'http://127.0.0.1:8080/tutos/get.php',
    );
    expect(applyMaps('http://other/x', maps)).toBe('http://never/other/x');
    expect(applyMaps('https://other/x', maps)).toBe('https://other/x');
    expect(
      prepareUrl(warner(), 'wss://demo.websocket.me/x', 'websocket', [
        ['wss://demo.websocket.me', 'ws://127.0.0.1:1'],
      ]).href,
    ).toBe('ws://127.0.0.1:1/x');
  });

  it.each([
    ['file:///etc/passwd', /file: scheme/],
    ['data:text/plain,x', /data: scheme/],
    ['ftp://h/x', /ftp: scheme/],
    ['javascript:alert(1)', /javascript: scheme/],
    ['ws://h/x', /ws: scheme/],
    ['example.com/x', /no scheme/],
    ['   ', /empty/],
    ['http://', /not a valid URL|no host/],
    ['http://h/\r\nHost: evil', /line break/],
    ['http://h/\n', /line break/],
    ['http://h/\0', /NUL/],
    [`http://h/${'x'.repeat(64 * 1024)}`, /longer than 64 KiB/],
  ])('Call Service refuses %j', (raw, why) => {
    const e = catchError(() => prepareUrl(warner(), raw, 'http', []));
    expect(e.id).toBe('illegal_function_call');
    expect(e.message).toMatch(why);
  });

  it('WebSocket needs ws:// or wss://', () => {
    for (const raw of ['http://h/', 'https://h/', '', 'h/x', 'ws://']) {
      expect(catchError(() => prepareUrl(warner(), raw, 'websocket', [])).id).toBe('websocket_incorrect_url');
    }
    expect(catchError(() => prepareUrl(warner(), 'ws://h/\r\n', 'websocket', [])).id).toBe(
      'illegal_function_call',
    );
    expect(prepareUrl(warner(), 'WSS://Host/x', 'websocket', []).href).toBe('wss://host/x');
  });

  it('a map can produce the scheme check failure (checked after mapping)', () => {
    expect(catchError(() => prepareUrl(warner(), 'http://a/', 'http', [['http://a/', 'file:///']])).id).toBe(
      'illegal_function_call',
    );
  });
});
