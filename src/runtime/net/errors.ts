/**
 * Transport failures as BASIC-level text (DESIGN §9, net-fault-matrix.md): whatever undici, Node or
 * ws throws — and the limits aozrun enforces itself — becomes one line that starts with a class word
 * and a colon, then says what happened and names the underlying code:
 * `REFUSED: 127.0.0.1:1 refused the connection (ECONNREFUSED)`.
 * Programs may test the class word (`Left$(response$, 8) = "TIMEOUT:"`); the prose may change.
 */

export type NetErrorClass =
  | 'DNS'
  | 'REFUSED'
  | 'RESET'
  | 'TIMEOUT'
  | 'TLS'
  | 'PROTOCOL'
  | 'TOO_LARGE'
  | 'REDIRECT'
  | 'DENIED'
  | 'BAD_URL';

export const NET_ERROR_CLASSES: readonly NetErrorClass[] = [
  'DNS',
  'REFUSED',
  'RESET',
  'TIMEOUT',
  'TLS',
  'PROTOCOL',
  'TOO_LARGE',
  'REDIRECT',
  'DENIED',
  'BAD_URL',
];

/** A failure that aozrun decided itself (a limit, the deadline), already classified and worded. */
export class NetFailure extends Error {
  constructor(
    readonly cls: NetErrorClass,
    readonly explanation: string,
    readonly code?: string,
  ) {
    super(formatFailure(cls, explanation, code));
    this.name = 'NetFailure';
  }

  get text(): string {
    return this.message;
  }
}

export interface DescribedFailure {
  readonly cls: NetErrorClass;
  /** `CLASS: explanation (CODE)`. */
  readonly text: string;
}

/** What the explanation may mention about the exchange that failed. */
export interface FailureContext {
  /** The host name as written in the URL (for DNS failures). */
  readonly host: string;
  /** `host:port` of the peer (`[::1]:80` for IPv6). */
  readonly target: string;
  /** True once response headers (or the WebSocket upgrade) arrived: a reset is then mid-reply. */
  readonly gotHeaders?: boolean;
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  readonly wsHandshakeTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  /**
   * `host:port` of the HTTP proxy the exchange goes through: connection failures are then the
   * proxy's (the proxy resolves and reaches the target itself).
   */
  readonly proxy?: string;
}

export function formatFailure(cls: NetErrorClass, explanation: string, code?: string): string {
  return `${cls}: ${explanation}${code ? ` (${code})` : ''}`;
}

/** `30 s`, `0.2 s`. */
export function seconds(ms: number | undefined): string {
  if (ms === undefined) return 'the configured time';
  return `${Number((ms / 1000).toFixed(3))} s`;
}

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly hostname?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

type Explain = (ctx: FailureContext, err: ErrorLike) => string;

function theProxy(c: FailureContext): string {
  return c.proxy === undefined ? 'the proxy' : `the proxy ${c.proxy}`;
}

function peerOf(ctx: FailureContext, err: ErrorLike): string {
  if (typeof err.address === 'string' && typeof err.port === 'number') {
    return err.address.includes(':') ? `[${err.address}]:${err.port}` : `${err.address}:${err.port}`;
  }
  return ctx.target;
}

function messageOf(err: ErrorLike): string {
  return typeof err.message === 'string' && err.message !== '' ? err.message : 'unknown error';
}

const dns: Explain = (c, e) =>
  c.proxy !== undefined
    ? `the proxy ${typeof e.hostname === 'string' ? e.hostname : c.proxy} could not be resolved`
    : `${typeof e.hostname === 'string' ? e.hostname : c.host} could not be resolved`;
const unreachable: Explain = (c, e) =>
  c.proxy !== undefined
    ? `the proxy ${c.proxy} could not be reached`
    : `${peerOf(c, e)} could not be reached`;
const reset: Explain = (c) =>
  c.gotHeaders
    ? `${c.target} closed the connection in the middle of the reply`
    : `${c.target} closed the connection before replying`;
const certificate =
  (what: string): Explain =>
  (c) =>
    `the certificate of ${c.target} ${what}`;

/** The one table: underlying code → class word and explanation. */
const CODES: Readonly<Record<string, readonly [NetErrorClass, Explain]>> = {
  // DNS (getaddrinfo and c-ares codes)
  ENOTFOUND: ['DNS', dns],
  EAI_NONAME: ['DNS', dns],
  EAI_NODATA: ['DNS', dns],
  EAI_FAIL: ['DNS', dns],
  EAI_AGAIN: ['DNS', (c, e) => `${dns(c, e)} (the name server did not answer)`],
  ENODATA: ['DNS', dns],
  ESERVFAIL: ['DNS', dns],
  ETIMEOUT: ['DNS', (c, e) => `${dns(c, e)} (the name server did not answer)`],
  ECONNREFUSED: [
    'REFUSED',
    (c, e) =>
      c.proxy !== undefined
        ? `the proxy ${c.proxy} refused the connection`
        : `${peerOf(c, e)} refused the connection`,
  ],
  EHOSTUNREACH: ['REFUSED', unreachable],
  ENETUNREACH: ['REFUSED', unreachable],
  EHOSTDOWN: ['REFUSED', unreachable],
  ENETDOWN: ['REFUSED', unreachable],
  EADDRNOTAVAIL: ['REFUSED', unreachable],
  ECONNRESET: ['RESET', reset],
  EPIPE: ['RESET', reset],
  ECONNABORTED: ['RESET', reset],
  ERR_STREAM_PREMATURE_CLOSE: ['RESET', reset],
  UND_ERR_SOCKET: ['RESET', reset],
  UND_ERR_ABORTED: ['RESET', (c) => `the exchange with ${c.target} was cancelled`],
  UND_ERR_ABORT: ['RESET', (c) => `the exchange with ${c.target} was cancelled`],
  UND_ERR_DESTROYED: ['RESET', (c) => `the exchange with ${c.target} was cancelled`],
  UND_ERR_CLOSED: ['RESET', (c) => `the exchange with ${c.target} was cancelled`],
  ETIMEDOUT: ['TIMEOUT', (c) => `the connection to ${c.target} timed out`],
  UND_ERR_CONNECT_TIMEOUT: [
    'TIMEOUT',
    (c) =>
      `could not connect to ${c.proxy !== undefined ? `the proxy ${c.proxy}` : c.target} within ${seconds(c.connectTimeoutMs)}`,
  ],
  UND_ERR_HEADERS_TIMEOUT: [
    'TIMEOUT',
    (c) => `no response headers from ${c.target} after ${seconds(c.headersTimeoutMs)}`,
  ],
  UND_ERR_BODY_TIMEOUT: [
    'TIMEOUT',
    (c) => `the reply from ${c.target} stalled for ${seconds(c.bodyTimeoutMs)}`,
  ],
  UND_ERR_HEADERS_OVERFLOW: ['TOO_LARGE', (c) => `the response headers from ${c.target} are too large`],
  UND_ERR_RES_EXCEEDED_MAX_SIZE: ['TOO_LARGE', (c) => `the reply from ${c.target} is too large`],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: [
    'PROTOCOL',
    (c) => `${c.target} sent a body whose length does not match its Content-Length`,
  ],
  UND_ERR_INFO: ['PROTOCOL', (c, e) => `${c.target} sent an invalid reply: ${messageOf(e)}`],
  UND_ERR_NOT_SUPPORTED: [
    'PROTOCOL',
    (c, e) => `${c.target} sent a reply aozrun cannot handle: ${messageOf(e)}`,
  ],
  UND_ERR_INVALID_ARG: ['BAD_URL', (_c, e) => messageOf(e)],
  ERR_INVALID_URL: ['BAD_URL', (_c, e) => messageOf(e)],
  ERR_INVALID_CHAR: ['BAD_URL', (_c, e) => messageOf(e)],
  ERR_INVALID_HTTP_TOKEN: ['BAD_URL', (_c, e) => messageOf(e)],
  ERR_UNESCAPED_CHARACTERS: ['BAD_URL', (_c, e) => messageOf(e)],
  // Content decoding (gzip, deflate, br)
  Z_DATA_ERROR: ['PROTOCOL', (c) => `${c.target} sent a compressed body that cannot be decoded`],
  Z_BUF_ERROR: ['PROTOCOL', (c) => `${c.target} sent a compressed body that ends too early`],
  // TLS: certificate problems (OpenSSL verify codes as Node reports them)
  DEPTH_ZERO_SELF_SIGNED_CERT: ['TLS', certificate('is self-signed')],
  SELF_SIGNED_CERT_IN_CHAIN: ['TLS', certificate('chains to a self-signed certificate')],
  CERT_HAS_EXPIRED: ['TLS', certificate('has expired')],
  CERT_NOT_YET_VALID: ['TLS', certificate('is not valid yet')],
  ERR_TLS_CERT_ALTNAME_INVALID: ['TLS', certificate('does not match the host name')],
  HOSTNAME_MISMATCH: ['TLS', certificate('does not match the host name')],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['TLS', certificate('cannot be verified (unknown issuer)')],
  UNABLE_TO_GET_ISSUER_CERT: ['TLS', certificate('cannot be verified (unknown issuer)')],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['TLS', certificate('cannot be verified (unknown issuer)')],
  CERT_REVOKED: ['TLS', certificate('has been revoked')],
  CERT_UNTRUSTED: ['TLS', certificate('is not trusted')],
  CERT_REJECTED: ['TLS', certificate('was rejected')],
  CERT_SIGNATURE_FAILURE: ['TLS', certificate('has an invalid signature')],
  // WebSocket (ws)
  WS_ERR_TOO_MANY_BUFFERED_PARTS: [
    'TOO_LARGE',
    (c) => `a message from ${c.target} is split into too many fragments`,
  ],
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: [
    'TOO_LARGE',
    (c) =>
      c.maxMessageBytes === undefined
        ? `a message from ${c.target} is too large`
        : `a message from ${c.target} is larger than ${c.maxMessageBytes} bytes`,
  ],
};

/** Codes recognised by their prefix when the table has no exact entry. */
const PREFIXES: readonly (readonly [string, NetErrorClass, Explain])[] = [
  ['HPE_', 'PROTOCOL', (c, e) => `${c.target} sent a reply that is not valid HTTP: ${parserReason(e)}`],
  ['WS_ERR_', 'PROTOCOL', (c, e) => `${c.target} broke the WebSocket protocol: ${messageOf(e)}`],
  ['ERR_TLS_', 'TLS', (c, e) => `secure connection to ${c.target} failed: ${messageOf(e)}`],
  ['ERR_SSL_', 'TLS', (c, e) => `secure connection to ${c.target} failed: ${messageOf(e)}`],
  ['CERT_', 'TLS', (c, e) => `the certificate of ${c.target} was rejected: ${messageOf(e)}`],
  // Brotli decoding errors (ERR__ERROR_FORMAT_...)
  ['ERR__', 'PROTOCOL', (c) => `${c.target} sent a compressed body that cannot be decoded`],
];

/** Errors that carry no code, recognised by their message (ws handshake, undici redirects). */
const MESSAGES: readonly (readonly [
  RegExp,
  NetErrorClass,
  (c: FailureContext, m: RegExpExecArray) => string,
])[] = [
  [
    /^Unexpected server response: (\d+)/,
    'PROTOCOL',
    (_c, m) => `the server answered the WebSocket upgrade with HTTP ${m[1]}`,
  ],
  [
    /^Opening handshake has timed out/,
    'TIMEOUT',
    (c) => `no answer to the WebSocket upgrade from ${c.target} after ${seconds(c.wsHandshakeTimeoutMs)}`,
  ],
  [
    /^(Invalid Upgrade header|Invalid Sec-WebSocket-Accept header|Server sent.*|Invalid Sec-WebSocket-Extensions.*|.*subprotocol.*)$/i,
    'PROTOCOL',
    (c, m) => `${c.target} answered the WebSocket upgrade incorrectly: ${m[1]}`,
  ],
  [/Redirect loop detected/i, 'REDIRECT', (c) => `${c.target} redirects in a loop`],
  [
    /^Proxy response \((\d+)\) !== 200/,
    'PROTOCOL',
    (c, m) => `${theProxy(c)} refused to open a tunnel to ${c.target} (HTTP ${m[1]})`,
  ],
  [/^Proxy Authentication Required/, 'PROTOCOL', (c) => `${theProxy(c)} requires authentication (HTTP 407)`],
  [/max(imum)? redirects/i, 'REDIRECT', (c) => `${c.target} redirects too many times`],
];

/**
 * undici 7 builds its HTTPParserError code from a reverse lookup that its llhttp constants do not
 * support, so the code is missing; recover it from llhttp's reason text.
 */
const PARSER_REASONS: readonly (readonly [RegExp, string])[] = [
  [/Expected HTTP\/|Invalid word|Invalid method/, 'HPE_INVALID_CONSTANT'],
  [/version|Expected dot|Expected space after version/i, 'HPE_INVALID_VERSION'],
  [/status/i, 'HPE_INVALID_STATUS'],
  [/can't be present with/, 'HPE_UNEXPECTED_CONTENT_LENGTH'],
  [/Content-Length/, 'HPE_INVALID_CONTENT_LENGTH'],
  [/Transfer-Encoding/, 'HPE_INVALID_TRANSFER_ENCODING'],
  [/chunk size|Chunk size/, 'HPE_INVALID_CHUNK_SIZE'],
  [/header (value|field) char|header token/i, 'HPE_INVALID_HEADER_TOKEN'],
  [/Missing expected CR/, 'HPE_CR_EXPECTED'],
  [/Expected LF/, 'HPE_LF_EXPECTED'],
  [/EOF/, 'HPE_INVALID_EOF_STATE'],
];

function isParserError(err: ErrorLike): boolean {
  return (err as { name?: unknown }).name === 'HTTPParserError';
}

/** llhttp's reason without undici's wrapper text. */
function parserReason(err: ErrorLike): string {
  const m = messageOf(err);
  return /HTTP\/1\.1 protocol \((.*)\)$/.exec(m)?.[1] ?? m;
}

/** The code of an error, looking into `cause` chains and AggregateError (happy eyeballs). */
function codeOf(err: ErrorLike, depth = 0): { code: string; err: ErrorLike } | undefined {
  if (typeof err.code === 'string' && err.code !== '') return { code: err.code, err };
  if (isParserError(err)) {
    const reason = parserReason(err);
    const code = PARSER_REASONS.find(([re]) => re.test(reason))?.[1] ?? 'HPE_INVALID';
    return { code, err };
  }
  if (depth > 4) return undefined;
  if (Array.isArray(err.errors) && err.errors.length > 0 && isObject(err.errors[0])) {
    return codeOf(err.errors[0] as ErrorLike, depth + 1);
  }
  if (isObject(err.cause)) return codeOf(err.cause as ErrorLike, depth + 1);
  return undefined;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** Classify and word any transport failure. Never throws. */
export function describeNetError(error: unknown, ctx: FailureContext): DescribedFailure {
  if (error instanceof NetFailure) return { cls: error.cls, text: error.text };
  const err: ErrorLike = isObject(error) ? (error as ErrorLike) : { message: String(error) };
  const message = messageOf(err);

  // Messages first for the undici codes that are too broad on their own (redirect loops are
  // reported as invalid arguments).
  const found = codeOf(err);
  if (!found || found.code === 'UND_ERR_INVALID_ARG' || found.code === 'UND_ERR_ABORTED') {
    for (const [re, cls, explain] of MESSAGES) {
      const m = re.exec(message);
      if (m) return { cls, text: formatFailure(cls, explain(ctx, m), found?.code) };
    }
  }
  if (found) {
    const entry = CODES[found.code];
    if (entry) return { cls: entry[0], text: formatFailure(entry[0], entry[1](ctx, found.err), found.code) };
    for (const [prefix, cls, explain] of PREFIXES) {
      if (found.code.startsWith(prefix)) {
        return { cls, text: formatFailure(cls, explain(ctx, found.err), found.code) };
      }
    }
    if (found.code === 'EPROTO' && /SSL|TLS/i.test(messageOf(found.err))) {
      return {
        cls: 'TLS',
        text: formatFailure(
          'TLS',
          `secure connection to ${ctx.target} failed: ${firstLine(messageOf(found.err))}`,
          'EPROTO',
        ),
      };
    }
    return {
      cls: 'PROTOCOL',
      text: formatFailure(
        'PROTOCOL',
        `exchange with ${ctx.target} failed: ${firstLine(messageOf(found.err))}`,
        found.code,
      ),
    };
  }
  return {
    cls: 'PROTOCOL',
    text: formatFailure('PROTOCOL', `exchange with ${ctx.target} failed: ${firstLine(message)}`),
  };
}

function firstLine(s: string): string {
  const i = s.search(/[\r\n]/);
  return i < 0 ? s : s.slice(0, i);
}
