/**
 * URL preparation shared by Call Service and WebSocket Open (DESIGN §7, §9): refuse control
 * characters, remove the stray spaces of the printed documentation (with a warning), apply the
 * `--map FROM=TO` rewrites, then check the scheme. Everything here happens before any I/O.
 */
import { AozError } from '../../interpreter/errors.js';
import type { Runtime } from '../../interpreter/runtime-api.js';

/** `--map FROM=TO` pairs, in command-line order. */
export type UrlMaps = readonly (readonly [from: string, to: string])[];

export type UrlKind = 'http' | 'websocket';

export const MAX_URL_LENGTH = 64 * 1024;

/** A URL for an error message: quoted, cut when long. */
export function showUrl(url: string): string {
  return url.length > 100 ? `"${url.slice(0, 100)}..."` : `"${url}"`;
}

/** The first FROM that prefixes the URL (case-insensitively) is replaced by its TO. */
export function applyMaps(url: string, maps: UrlMaps): string {
  const lower = url.toLowerCase();
  for (const [from, to] of maps) {
    if (from !== '' && lower.startsWith(from.toLowerCase())) return to + url.slice(from.length);
  }
  return url;
}

/**
 * Validate and normalise a URL given by the program. Throws AozError:
 * illegal_function_call for control characters, over-long or malformed URLs and (for Call Service)
 * any scheme but http/https; websocket_incorrect_url for a WebSocket URL that is not ws/wss.
 * `rt.warn` runs when spaces were removed (an error under --strict).
 */
export function prepareUrl(rt: Pick<Runtime, 'warn'>, raw: string, kind: UrlKind, maps: UrlMaps): URL {
  // Control characters would be removed with the spaces below: refuse them first, they are never
  // a transcription artefact and could split a request line.
  if (/[\r\n\0]/.test(raw)) illegalUrl('the URL contains a line break or NUL character');
  if (raw.length > MAX_URL_LENGTH) illegalUrl(`the URL is longer than ${MAX_URL_LENGTH / 1024} KiB`);

  const stripped = raw.replace(/\s+/gu, '');
  if (stripped !== raw) rt.warn(`spaces removed from URL (now ${showUrl(stripped)})`);
  const text = applyMaps(stripped, maps);
  if (text === '' && kind === 'http') illegalUrl('the URL is empty');

  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (kind === 'http') {
    if (scheme !== 'http' && scheme !== 'https') {
      illegalUrl(
        scheme === undefined
          ? `${showUrl(text)} has no scheme; Call Service needs an http:// or https:// URL`
          : `the ${scheme}: scheme is not allowed; Call Service needs an http:// or https:// URL`,
      );
    }
  } else if (scheme !== 'ws' && scheme !== 'wss') {
    throw new AozError('websocket_incorrect_url');
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    if (kind === 'websocket') throw new AozError('websocket_incorrect_url');
    return illegalUrl(`${showUrl(text)} is not a valid URL`);
  }
  if (url.hostname === '') {
    if (kind === 'websocket') throw new AozError('websocket_incorrect_url');
    illegalUrl(`${showUrl(text)} has no host name`);
  }
  if (url.hash !== '') url.hash = ''; // never sent; ws refuses URLs that have one
  return url;
}

function illegalUrl(explanation: string): never {
  throw new AozError('illegal_function_call', [explanation]);
}

/** The port a URL connects to (its scheme's default when it names none). */
export function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
}

/** `host:port` as used in failure texts (`[::1]:80` for IPv6). */
export function targetOf(url: URL): string {
  return `${url.hostname}:${portOf(url)}`;
}

/** Host name as written, without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
