/**
 * One HTTP exchange through the session's undici Agent, bounded by the Net limits: the headers and
 * body timeouts (undici), an overall deadline (an AbortSignal: a server trickling one byte at a
 * time never trips the body timeout), the maximum response size (checked while the body streams,
 * with or without Content-Length) and the redirect limit. Exactly one outcome per exchange.
 */
import type { Dispatcher } from 'undici';
import { describeNetError, type FailureContext, type NetErrorClass, NetFailure, seconds } from './errors.js';
import { type Net, NetClosed } from './net.js';
import { hostOf, targetOf } from './url.js';

export type HttpMethod = 'GET' | 'POST' | 'HEAD' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly body?: string;
  readonly contentType?: string;
}

export type HttpOutcome =
  /** The server answered (any status, after redirects). */
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  /** The exchange failed: `text` is `CLASS: explanation (CODE)`. */
  | { readonly kind: 'failure'; readonly cls: NetErrorClass; readonly text: string }
  /** Cancelled by the program's end (Wait.cancel or Net.close): nothing may reach the program. */
  | { readonly kind: 'cancelled' };

/** Statuses undici's redirect handler follows when a Location header is present. */
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 307, 308]);

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
  const controller = new AbortController();
  const ctx = {
    host: hostOf(req.url),
    target: targetOf(req.url),
    gotHeaders: false,
    connectTimeoutMs: o.connectTimeoutMs,
    headersTimeoutMs: o.headersTimeoutMs,
    bodyTimeoutMs: o.bodyTimeoutMs,
  };
  let settled = false;
  let untrack = (): void => undefined;
  let deadline: NodeJS.Timeout | undefined;

  const finish = (outcome: HttpOutcome): void => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    untrack();
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
    controller.abort(
      new NetFailure(
        'TIMEOUT',
        `no complete reply from ${ctx.target} within ${seconds(o.requestDeadlineMs)} (request deadline)`,
      ),
    );
  }, o.requestDeadlineMs);
  untrack = net.track({ abort: cancel });

  runWithRetry(net, req, controller.signal, ctx).then(
    (outcome) => finish(net.closed ? { kind: 'cancelled' } : outcome),
    (error: unknown) => {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
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

/**
 * GET and HEAD are retried once when the connection is reset before any reply: a keep-alive
 * socket closed by the server between two requests (net-fault-matrix row 7). Never the others.
 */
async function runWithRetry(
  net: Net,
  req: HttpRequest,
  signal: AbortSignal,
  ctx: FailureContext & { gotHeaders: boolean },
): Promise<HttpOutcome> {
  try {
    return await exchange(net, req, signal, ctx);
  } catch (error) {
    const retriable =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !ctx.gotHeaders &&
      !signal.aborted &&
      isResetBeforeReply(error);
    if (!retriable) throw error;
    return await exchange(net, req, signal, ctx);
  }
}

function isResetBeforeReply(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

async function exchange(
  net: Net,
  req: HttpRequest,
  signal: AbortSignal,
  ctx: FailureContext & { gotHeaders: boolean },
): Promise<HttpOutcome> {
  const dispatcher = await net.dispatcher();
  const o = net.options;
  const headers: Record<string, string> = { 'user-agent': net.userAgent, accept: '*/*' };
  if (req.contentType !== undefined) headers['content-type'] = req.contentType;
  if (req.url.username !== '' || req.url.password !== '') {
    const credentials = `${decodeURIComponent(req.url.username)}:${decodeURIComponent(req.url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  const res = await dispatcher.request({
    origin: req.url.origin,
    path: `${req.url.pathname}${req.url.search}`,
    method: req.method,
    headers,
    body: req.body ?? null,
    signal,
  });
  ctx.gotHeaders = true;
  const { statusCode, body } = res;

  if (REDIRECT_STATUSES.has(statusCode) && res.headers.location !== undefined) {
    // The redirect handler hands a redirect back only when its limit is reached.
    discard(body);
    throw new NetFailure(
      'REDIRECT',
      o.maxRedirects === 0
        ? `${ctx.target} answered with a redirect (HTTP ${statusCode}) and redirects are disabled`
        : `more than ${o.maxRedirects} redirects starting at ${ctx.target}`,
    );
  }
  if (req.method === 'HEAD') {
    discard(body);
    return { kind: 'response', status: statusCode, body: '' };
  }

  const tooLarge = (): NetFailure =>
    new NetFailure(
      'TOO_LARGE',
      `the reply from ${ctx.target} is larger than the limit of ${o.maxResponseBytes} bytes`,
    );
  const declared = Number(header(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > o.maxResponseBytes) {
    destroy(body);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > o.maxResponseBytes) {
      destroy(body);
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return { kind: 'response', status: statusCode, body: decodeBody(Buffer.concat(chunks, size), res.headers) };
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
