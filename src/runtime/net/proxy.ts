/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and their lower-case forms, which win, as in undici and
 * curl), read from the environment the session was given. Requests go through undici's
 * EnvHttpProxyAgent with these values passed explicitly, so tests can inject them; `proxyFor`
 * repeats its NO_PROXY rule only to word failures ("the proxy ... refused the connection").
 */
import { NetFailure } from './errors.js';

export interface ProxySettings {
  /** Proxy for http:// URLs (normalised URL text), or undefined. */
  readonly http: string | undefined;
  /** Proxy for https:// URLs; the HTTP proxy when HTTPS_PROXY is not set. */
  readonly https: string | undefined;
  /** NO_PROXY as given ("" when unset). */
  readonly noProxy: string;
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks5:']);

function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** `proxy.local:3128` is read as `http://proxy.local:3128`. Throws NetFailure BAD_URL. */
function normalise(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NetFailure('BAD_URL', `${name} "${value}" is not a valid proxy URL`);
  }
  if (!PROXY_SCHEMES.has(url.protocol) || url.hostname === '') {
    throw new NetFailure(
      'BAD_URL',
      `${name} "${value}" is not a valid proxy URL (http://host:port expected)`,
    );
  }
  return url.href;
}

/** The proxy settings of an environment; throws NetFailure BAD_URL for an invalid proxy URL. */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings {
  const http = normalise('HTTP_PROXY', pick(env, 'http_proxy'));
  const https = normalise('HTTPS_PROXY', pick(env, 'https_proxy')) ?? http;
  return { http, https, noProxy: env['no_proxy'] ?? env['NO_PROXY'] ?? '' };
}

export function hasProxy(s: ProxySettings): boolean {
  return s.http !== undefined || s.https !== undefined;
}

/** The proxy a request to `url` goes through (EnvHttpProxyAgent's rule), or undefined. */
export function proxyFor(s: ProxySettings, url: URL): URL | undefined {
  const proxy = url.protocol === 'https:' ? s.https : s.http;
  if (proxy === undefined) return undefined;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || (url.protocol === 'https:' ? 443 : 80);
  const value = s.noProxy;
  if (value === '*') return undefined;
  for (const entry of value.split(/[,\s]/)) {
    if (!entry) continue;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? (parsed[1] ?? '') : entry).replace(/^\*?\./, '').toLowerCase();
    const entryPort = parsed ? Number.parseInt(parsed[2] ?? '0', 10) : 0;
    if (entryPort && entryPort !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return undefined;
  }
  return new URL(proxy);
}
