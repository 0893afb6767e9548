/**
 * One HTTP exchange through the session's undici dispatcher, bounded by the Net limits: the headers
 * and body timeouts (undici), an overall deadline (an AbortSignal, redirects included: a server
 * trickling one byte at a time never trips the body timeout), the maximum response size (checked
 * while the body streams, after decompression, with or without Content-Length) and the redirect
 * limit. Redirects are followed here, hop by hop, so that the --allow-net/--deny-net policy and
 * --trace-net see every hop. Exactly one outcome per exchange.
 */
import { EventEmitter } from 'node:events';
import { pipeline, Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { describeNetError, type FailureContext, type NetErrorClass, NetFailure, seconds } from './errors.js';
import { type Net, NetClosed } from './net.js';
import { applyMaps, hostOf, portOf, showUrl, targetOf } from './url.js';

export type HttpMethod = 'GET' | 'POST' | 'HEAD' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly body?: string;
  readonly contentType?: string;
}

export type HttpOutcome =
  /** The server answered (any status, after redirects); `bytes`: body size after decompression. */
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly bytes?: number }
  /** The exchange failed: `text` is `CLASS: explanation (CODE)`. */
  | { readonly kind: 'failure'; readonly cls: NetErrorClass; readonly text: string }
  /** Cancelled by the program's end (Wait.cancel or Net.close): nothing may reach the program. */
  | { readonly kind: 'cancelled' };

/** Statuses followed when a Location header is present. */
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 307, 308]);

/** Content codings aozrun asks for and decodes. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

type MutableContext = {
  -readonly [K in keyof FailureContext]: FailureContext[K];
} & { gotHeaders: boolean };

/**
 * An exchange's abort signal. undici takes an EventEmitter with `aborted` and `reason` as well as
 * an AbortSignal, and one is made per request: an AbortController costs several times more.
 */
class Abort extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/**
 * Start an exchange; `deliver` is called exactly once, asynchronously, with its outcome.
 * Returns the cancel function (delivers `cancelled` unless the outcome was already delivered).
 */
export function startRequest(
  net: Net,
  req: HttpRequest,
  deliver: (outcome: HttpOutcome) => void,
): () => void {
  const o = net.options;
  const controller = new Abort();
  const ctx: MutableContext = {
    host: hostOf(req.url),
    target: targetOf(req.url),
    gotHeaders: false,
    connectTimeoutMs: o.connectTimeoutMs,
    headersTimeoutMs: o.headersTimeoutMs,
    bodyTimeoutMs: o.bodyTimeoutMs,
  };
  // Only --trace-net shows it (href serialises the URL again: not for every request).
  const what = net.tracing ? `${req.method} ${req.url.href}` : '';
  let settled = false;
  let untrack = (): void => undefined;
  let deadline: NodeJS.Timeout | undefined;

  const finish = (outcome: HttpOutcome): void => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    untrack();
    if (net.tracing) {
      if (outcome.kind === 'response') {
        net.traceLine(
          `http< ${outcome.status} ${what} (${outcome.bytes ?? Buffer.byteLength(outcome.body)} bytes)`,
        );
      } else if (outcome.kind === 'failure') {
        net.traceLine(`http! ${what} ${outcome.text}`);
      }
    }
    try {
      deliver(outcome);
    } catch {
      // The receiver must not throw; if it does there is no BASIC context left to report it in.
    }
  };
  const cancel = (): void => {
    if (settled) return;
    controller.abort(new NetClosed());
    finish({ kind: 'cancelled' });
  };

  if (net.closed) {
    // The session is ending: no I/O, and the (cancelled) outcome still comes asynchronously.
    queueMicrotask(() => finish({ kind: 'cancelled' }));
    return cancel;
  }
  deadline = setTimeout(() => {
    const failure = new NetFailure(
      'TIMEOUT',
      `no complete reply from ${ctx.target} within ${seconds(o.requestDeadlineMs)} (request deadline)`,
    );
    controller.abort(failure);
    // The outcome is delivered now, whether or not the transport honours the signal at once
    // (undici ignores it while a proxy tunnel is being opened).
    finish({ kind: 'failure', cls: failure.cls, text: failure.text });
  }, o.requestDeadlineMs);
  untrack = net.track({ abort: cancel });

  if (net.tracing) {
    const body =
      req.body === undefined
        ? ''
        : ` (${Buffer.byteLength(req.body)} bytes${req.contentType ? ` ${req.contentType}` : ''})`;
    net.traceLine(`http> ${what}${body}`);
  }

  exchange(net, req, controller, ctx).then(
    (outcome) => finish(net.closed ? { kind: 'cancelled' } : outcome),
    (error: unknown) => {
      const reason: unknown = controller.aborted ? controller.reason : error;
      if (reason instanceof NetClosed || net.closed) {
        finish({ kind: 'cancelled' });
      } else {
        const { cls, text } = describeNetError(reason, ctx);
        finish({ kind: 'failure', cls, text });
      }
    },
  );
  return cancel;
}

function isResetBeforeReply(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** `Basic ...` from the credentials of a URL, or undefined. */
function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** One hop's request. */
interface Hop {
  url: URL;
  method: HttpMethod;
  body: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
}

/**
 * The exchange: hop after hop until a reply that is not a redirect. Each hop is checked against the
 * policy before any connection. GET and HEAD are retried once when the connection is reset before
 * any reply: a keep-alive socket closed by the server between two requests (net-fault-matrix row
 * 7). Never the others.
 */
async function exchange(
  net: Net,
  req: HttpRequest,
  signal: Abort,
  ctx: MutableContext,
): Promise<HttpOutcome> {
  const dispatcher = await net.dispatcher();
  const o = net.options;
  const hop: Hop = {
    url: req.url,
    method: req.method,
    body: req.body,
    contentType: req.contentType,
    authorization: basicAuth(req.url),
  };
  const visited = new Set<string>([`${req.method} ${req.url.href}`]);
  let redirects = 0;
  let retried = false;

  for (;;) {
    ctx.host = hostOf(hop.url);
    ctx.target = targetOf(hop.url);
    const proxy = net.proxyFor(hop.url);
    if (proxy) ctx.proxy = targetOf(proxy);
    else delete ctx.proxy;
    const denial = net.policy.checkTarget(hop.url.hostname, portOf(hop.url));
    if (denial) throw denial;

    const headers: Record<string, string> = {
      'user-agent': net.userAgent,
      accept: '*/*',
      'accept-encoding': ACCEPT_ENCODING,
    };
    if (hop.contentType !== undefined) headers['content-type'] = hop.contentType;
    if (hop.authorization !== undefined) headers.authorization = hop.authorization;

    let res: Dispatcher.ResponseData;
    try {
      ctx.gotHeaders = false;
      res = await dispatcher.request({
        origin: hop.url.origin,
        path: `${hop.url.pathname}${hop.url.search}`,
        method: hop.method,
        headers,
        body: hop.body ?? null,
        signal,
      });
    } catch (error) {
      const retriable =
        (hop.method === 'GET' || hop.method === 'HEAD') &&
        !retried &&
        !signal.aborted &&
        isResetBeforeReply(error);
      if (!retriable) throw error;
      retried = true;
      continue;
    }
    ctx.gotHeaders = true;
    const { statusCode, body } = res;
    const location = header(res.headers, 'location');

    if (REDIRECT_STATUSES.has(statusCode) && location !== undefined) {
      discard(body);
      if (redirects >= o.maxRedirects) {
        throw new NetFailure(
          'REDIRECT',
          o.maxRedirects === 0
            ? `${ctx.target} answered with a redirect (HTTP ${statusCode}) and redirects are disabled`
            : `more than ${o.maxRedirects} redirects starting at ${targetOf(req.url)}`,
        );
      }
      const next = redirectTarget(net, hop.url, location, ctx.target);
      // RFC 9110 §15.4 and the Fetch standard: 301/302 after POST and 303 (but for HEAD) become a
      // GET without body; credentials never follow a redirect to another origin.
      if (
        ((statusCode === 301 || statusCode === 302) && hop.method === 'POST') ||
        (statusCode === 303 && hop.method !== 'HEAD')
      ) {
        hop.method = 'GET';
        hop.body = undefined;
        hop.contentType = undefined;
      }
      // The same request twice is a loop (POST /form answered by 303 to GET /form is not).
      const key = `${hop.method} ${next.href}`;
      if (visited.has(key)) {
        throw new NetFailure('REDIRECT', `${ctx.target} redirects in a loop (back to ${showUrl(next.href)})`);
      }
      visited.add(key);
      redirects++;
      hop.authorization = basicAuth(next) ?? (next.origin === hop.url.origin ? hop.authorization : undefined);
      hop.url = next;
      net.traceLine(`http> ${hop.method} ${next.href} (redirect)`);
      continue;
    }
    if (hop.method === 'HEAD') {
      discard(body);
      return { kind: 'response', status: statusCode, body: '', bytes: 0 };
    }
    const bytes = await readBody(res, o.maxResponseBytes, ctx.target);
    return {
      kind: 'response',
      status: statusCode,
      body: decodeBody(bytes, res.headers),
      bytes: bytes.length,
    };
  }
}

/** The URL a Location header points to (after --map); REDIRECT for anything but http/https. */
function redirectTarget(net: Net, from: URL, location: string, target: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new NetFailure('REDIRECT', `${target} redirects to an invalid URL ${showUrl(location)}`);
  }
  const mapped = applyMaps(next.href, net.options.maps);
  if (mapped !== next.href) {
    try {
      next = new URL(mapped);
    } catch {
      throw new NetFailure('REDIRECT', `${target} redirects to an invalid URL ${showUrl(mapped)}`);
    }
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new NetFailure(
      'REDIRECT',
      `${target} redirects to a ${next.protocol} URL, which aozrun does not follow`,
    );
  }
  next.hash = '';
  return next;
}

/**
 * The body, decompressed (gzip, deflate, br), refused with TOO_LARGE as soon as it passes `max`
 * bytes after decompression. zlib streams honour back-pressure and the output is pulled chunk by
 * chunk, so memory stays under the cap plus one chunk, gzip bombs included. An unknown coding is
 * delivered as received.
 */
async function readBody(res: Dispatcher.ResponseData, max: number, target: string): Promise<Buffer> {
  const { body } = res;
  const tooLarge = (): NetFailure =>
    new NetFailure('TOO_LARGE', `the reply from ${target} is larger than the limit of ${max} bytes`);
  const codings = (header(res.headers, 'content-encoding') ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const decodable = codings.length > 0 && codings.every((c) => DECODERS.has(c));
  const declared = Number(header(res.headers, 'content-length'));
  if (!decodable && Number.isFinite(declared) && declared > max) {
    destroy(body);
    throw tooLarge();
  }

  if (!decodable && Number.isFinite(declared)) {
    // A plain body of a declared length within the limit: read at once (HTTP framing stops at
    // that length), without a stream iterator per reply.
    return Buffer.from(await body.arrayBuffer());
  }
  let source: Readable = body;
  const streams: Readable[] = [body];
  if (decodable) {
    // Decoded in the reverse order of their application.
    for (const coding of [...codings].reverse()) {
      const { first, rest } = await peek(source);
      if (first === undefined) {
        source = rest; // an empty body: nothing to decode
        break;
      }
      const decoder = (DECODERS.get(coding) ?? createGunzip)(first);
      source = pipeline(rest, decoder, ignore);
      streams.push(rest, decoder);
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    for (const s of streams) {
      s.on('error', ignore);
      s.destroy();
    }
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/** Decoders by content coding; deflate is zlib-wrapped or raw (as browsers accept), seen on byte 1. */
const DECODERS: ReadonlyMap<string, (first: Buffer) => Transform> = new Map<
  string,
  (first: Buffer) => Transform
>([
  ['gzip', () => createGunzip()],
  ['x-gzip', () => createGunzip()],
  ['br', () => createBrotliDecompress()],
  ['deflate', (first) => (((first[0] ?? 0) & 0x0f) === 0x08 ? createInflate() : createInflateRaw())],
]);

/** The first chunk of a stream, and a stream of the whole (that chunk included). */
async function peek(stream: Readable): Promise<{ first: Buffer | undefined; rest: Readable }> {
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* all(): AsyncGenerator<Buffer> {
    if (first === undefined) return;
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const rest = Readable.from(all(), { objectMode: false });
  rest.on('close', () => {
    iterator.return?.().catch(ignore);
  });
  return { first, rest };
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', ignore);
  body.dump().catch(ignore);
}

/** Stop reading a body; destroying it makes undici emit an abort error nobody needs. */
function destroy(body: Dispatcher.ResponseData['body']): void {
  body.on('error', ignore);
  body.destroy();
}

function ignore(): void {}

/** UTF-8, or the Content-Type charset when TextDecoder knows it. */
export function decodeBody(bytes: Uint8Array, headers: Dispatcher.ResponseData['headers']): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header(headers, 'content-type') ?? '')?.[1];
  if (charset) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // unknown charset: UTF-8 below
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}
