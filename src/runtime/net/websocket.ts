/**
 * WebSocket channels (aoz-facts §12.2) with aozrun's fixes (DESIGN §9): Message$ returns messages
 * in arrival order and "" when there is none, Error$ works, sending on a channel that is not
 * connected is an error, reopening a channel closes the old connection. Connections run in the
 * background; their events only change the channel's state and wake the machine.
 */
import type WebSocket from 'ws';
import { AozError } from '../../interpreter/errors.js';
import type {
  Arg,
  BuiltinEntry,
  FunctionEntry,
  InstructionEntry,
  Runtime,
} from '../../interpreter/runtime-api.js';
import { FALSE, TRUE } from '../../interpreter/values.js';
import { describeNetError, type FailureContext, formatFailure } from './errors.js';
import { NET, type Net, type NetChannel } from './net.js';
import { hostOf, prepareUrl, targetOf } from './url.js';

/** RFC 6455 subprotocol token (the characters ws accepts). */
const SUBPROTOCOL = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;
/** Errors kept per channel; a program that never reads them must not grow memory. */
const MAX_QUEUED_ERRORS = 100;
/** How long a closing peer may take to answer our close frame before the socket is cut. */
const CLOSE_GRACE_MS = 1000;
const OPEN = 1;
const CLOSED = 3;

/** A FIFO with O(1) push and shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peekLast(): T | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A queued channel error: a text, or the running count of messages dropped from a full queue. */
type QueuedError = { readonly text: string } | { dropped: number };

export class Channel implements NetChannel {
  private ws: WebSocket | undefined;
  private connected = false;
  private everConnected = false;
  /** An error was queued for the current connection: its close event adds nothing. */
  private errorReported = false;
  /** Closed by the program or the session: no callback into the program afterwards. */
  private dead = false;
  private readonly messages = new Fifo<string>();
  private readonly errors = new Fifo<QueuedError>();
  private readonly ctx: FailureContext;
  /** Messages received since the channel was opened (read or not). */
  received = 0;
  /** The close code and reason of the last close (clean or not). */
  closeCode: number | undefined;
  closeReason: string | undefined;

  constructor(
    private readonly net: Net,
    private readonly rt: Runtime,
    readonly index: number,
    readonly url: URL,
    private readonly protocol: string,
  ) {
    this.ctx = {
      host: hostOf(url),
      target: targetOf(url),
      connectTimeoutMs: net.options.connectTimeoutMs,
      wsHandshakeTimeoutMs: net.options.wsHandshakeTimeoutMs,
      maxMessageBytes: net.options.wsMaxMessageBytes,
    };
  }

  /** Begin connecting in the background (loading ws on first use). */
  start(): void {
    const cls = this.net.loadedWebSocket;
    if (cls) {
      this.connect(cls);
      return;
    }
    this.net.webSocketClass().then(
      (c) => {
        if (!this.dead) this.connect(c);
      },
      (error: unknown) => {
        if (!this.dead && !this.net.closed) this.fail(describeNetError(error, this.ctx).text);
      },
    );
  }

  private connect(WebSocketClass: typeof WebSocket): void {
    const o = this.net.options;
    let ws: WebSocket;
    try {
      ws = new WebSocketClass(this.url.href, this.protocol === '' ? [] : [this.protocol], {
        handshakeTimeout: o.wsHandshakeTimeoutMs,
        maxPayload: o.wsMaxMessageBytes,
        headers: { 'user-agent': this.net.userAgent },
        ...(o.lookup ? { lookup: o.lookup } : {}),
      });
    } catch (error) {
      this.fail(describeNetError(error, this.ctx).text);
      return;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (this.dead) return;
      this.connected = true;
      this.everConnected = true;
      this.rt.wake();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      if (this.dead) return;
      this.receive(rawText(data));
    });
    ws.on('error', (error: Error) => {
      if (this.dead) return;
      this.fail(describeNetError(error, { ...this.ctx, gotHeaders: this.everConnected }).text);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.dead) return;
      this.connected = false;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      if (code === 1006 && !this.errorReported) {
        // Abrupt end (no close frame): the peer or the network died.
        this.fail(formatFailure('RESET', `the connection to ${this.ctx.target} died (code 1006)`));
      } else {
        this.rt.wake();
      }
    });
  }

  /** Queue an error, mark the channel disconnected, explain on stderr if it never connected. */
  private fail(text: string): void {
    this.connected = false;
    this.errorReported = true;
    this.pushError({ text });
    if (!this.everConnected) this.rt.console.notice(`WebSocket ${this.index}: ${text}`);
    this.rt.wake();
  }

  private pushError(error: QueuedError): void {
    this.errors.push(error);
    while (this.errors.length > MAX_QUEUED_ERRORS) this.errors.shift();
  }

  private receive(message: string): void {
    this.received++;
    this.messages.push(message);
    const max = Math.max(1, this.net.options.wsMaxQueuedMessages);
    let dropped = 0;
    while (this.messages.length > max) {
      this.messages.shift();
      dropped++;
    }
    if (dropped > 0) {
      // One error per run of drops, counting them, however many messages flood in.
      const last = this.errors.peekLast();
      if (last && 'dropped' in last) last.dropped += dropped;
      else this.pushError({ dropped });
    }
    this.rt.wake();
  }

  get isConnected(): boolean {
    return this.connected && this.ws?.readyState === OPEN;
  }

  /** Messages waiting to be read. */
  get queuedMessages(): number {
    return this.messages.length;
  }

  get hasMessage(): boolean {
    return this.messages.length > 0;
  }

  get hasError(): boolean {
    return this.errors.length > 0;
  }

  /** The oldest message, or "". */
  nextMessage(): string {
    return this.messages.shift() ?? '';
  }

  /** The oldest error text, or "". */
  nextError(): string {
    const e = this.errors.shift();
    if (!e) return '';
    if ('text' in e) return e.text;
    const max = this.net.options.wsMaxQueuedMessages;
    return formatFailure(
      'TOO_LARGE',
      `channel ${this.index} keeps at most ${max} unread messages: ${e.dropped} oldest ${e.dropped === 1 ? 'message' : 'messages'} dropped`,
    );
  }

  send(message: string): void {
    const ws = this.ws;
    if (!ws || !this.isConnected) throw new AozError('websocket_not_connected', [this.index]);
    const limit = this.net.options.wsMaxMessageBytes;
    if (ws.bufferedAmount + Buffer.byteLength(message) > limit && ws.bufferedAmount > 0) {
      // The peer does not read: refuse rather than buffer without bound (net-fault-matrix row 30).
      throw new AozError('websocket_error', [
        formatFailure('TOO_LARGE', `more than ${limit} bytes wait to be sent on channel ${this.index}`),
      ]);
    }
    ws.send(message, () => {
      // A failed send ends the connection: the close/error events report it.
    });
  }

  shutdown(): Promise<void> {
    this.dead = true;
    this.connected = false;
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return Promise.resolve();
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    if (ws.readyState === CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === OPEN) {
        ws.close(1000);
        timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      } else {
        ws.terminate();
      }
    });
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Table entries

/** A channel index: an integer >= 0 (aoz-facts §12.2). */
function channelIndex(v: Arg): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new AozError('illegal_function_call', [
      `WebSocket channel index must be an integer >= 0, not ${v}`,
    ]);
  }
  return v;
}

function channel(rt: Runtime, v: Arg): Channel {
  const index = channelIndex(v);
  const c = rt.service(NET).channels.get(index);
  if (!(c instanceof Channel)) throw new AozError('websocket_channel_not_defined', [index]);
  return c;
}

function closeQuietly(c: Channel): void {
  c.shutdown().catch(() => undefined);
}

const index = { name: 'index', type: 'number' } as const;

export const webSocketOpen: InstructionEntry = {
  kind: 'instruction',
  name: 'WebSocket Open',
  params: [
    index,
    { name: 'url$', type: 'string', optional: true },
    { name: 'protocol$', type: 'string', optional: true },
    { name: 'tags$', type: 'string', optional: true },
  ],
  doc: 'Open a WebSocket connection (ws:// or wss://) on a channel; it connects in the background.',
  syntax: 'WebSocket Open index, url$ [, protocol$ [, tags$]]',
  run(rt, args) {
    const i = channelIndex(args[0]);
    const net = rt.service(NET);
    const url = prepareUrl(rt, args[1] === undefined ? '' : String(args[1]), 'websocket', net.options.maps);
    const protocol = args[2] === undefined ? '' : String(args[2]).trim();
    if (protocol !== '' && !SUBPROTOCOL.test(protocol)) {
      throw new AozError('illegal_function_call', [`invalid WebSocket protocol "${protocol}"`]);
    }
    const old = net.channels.get(i);
    if (old) {
      net.channels.delete(i);
      old.shutdown().catch(() => undefined);
    }
    const c = new Channel(net, rt, i, url, protocol);
    net.channels.set(i, c);
    c.start();
    return undefined;
  },
};

export const webSocketClose: InstructionEntry = {
  kind: 'instruction',
  name: 'WebSocket Close',
  params: [index],
  doc: 'Close a WebSocket channel; its unread messages are lost.',
  run(rt, args) {
    const c = channel(rt, args[0]);
    rt.service(NET).channels.delete(c.index);
    closeQuietly(c);
    return undefined;
  },
};

export const webSocketSendMessage: InstructionEntry = {
  kind: 'instruction',
  name: 'WebSocket Send Message',
  params: [index, { name: 'message$', type: 'string' }, { name: 'tags$', type: 'string', optional: true }],
  doc: 'Send a text message on a connected WebSocket channel.',
  syntax: 'WebSocket Send Message index, message$ [, tags$]',
  run(rt, args) {
    channel(rt, args[0]).send(args[1] === undefined ? '' : String(args[1]));
    return undefined;
  },
};

function predicate(name: string, doc: string, test: (c: Channel) => boolean): FunctionEntry {
  return {
    kind: 'function',
    name,
    params: [index],
    returns: 'integer',
    doc,
    syntax: `=${name}(index)`,
    run: (rt, args) => (test(channel(rt, args[0])) ? TRUE : FALSE),
  };
}

export const webSocketIsConnected = predicate(
  'WebSocket Is Connected',
  'True when the channel is connected.',
  (c) => c.isConnected,
);

export const webSocketIsMessage = predicate(
  'WebSocket Is Message',
  'True when a received message waits to be read with WebSocket Message$.',
  (c) => c.hasMessage,
);

export const webSocketIsError = predicate(
  'WebSocket Is Error',
  'True when an error waits to be read with WebSocket Error$.',
  (c) => c.hasError,
);

export const webSocketMessage: FunctionEntry = {
  kind: 'function',
  name: 'WebSocket Message$',
  params: [index],
  returns: 'string',
  doc: 'The oldest unread message of the channel (removed from its queue), or "" when there is none.',
  syntax: '=WebSocket Message$(index)',
  run: (rt, args) => channel(rt, args[0]).nextMessage(),
};

export const webSocketError: FunctionEntry = {
  kind: 'function',
  name: 'WebSocket Error$',
  params: [index],
  returns: 'string',
  doc: 'The oldest unread error of the channel ("CLASS: explanation"), or "" when there is none.',
  syntax: '=WebSocket Error$(index)',
  run: (rt, args) => channel(rt, args[0]).nextError(),
};

export const webSocketTable: readonly BuiltinEntry[] = [
  webSocketOpen,
  webSocketClose,
  webSocketSendMessage,
  webSocketIsConnected,
  webSocketIsMessage,
  webSocketMessage,
  webSocketIsError,
  webSocketError,
];
