/**
 * WebSocket channels (aoz-facts §12.2) with aozrun's fixes (DESIGN §9): Message$ returns messages
 * in arrival order and "" when there is none, Error$ works, sending on a channel that is not
 * connected is an error, reopening a channel closes the old connection. Connections run in the
 * background; their events change the channel's state, wake the machine and, when the program set
 * event procedures (WebSocket On Message/On Close/On Error, an aozrun extension), post them as
 * events (DESIGN §5). Heartbeat pings detect a peer that stopped answering; Send Message waits while
 * too much is buffered for a peer that does not read.
 */
import type WebSocket from 'ws';
import { AozError } from '../../interpreter/errors.js';
import { Fifo } from '../../interpreter/fifo.js';
import type {
  Arg,
  BuiltinEntry,
  FunctionEntry,
  InstructionEntry,
  ProcedureRef,
  Runtime,
  RuntimeEvent,
  Wait,
} from '../../interpreter/runtime-api.js';
import { FALSE, TRUE, type Value } from '../../interpreter/values.js';
import { describeNetError, type FailureContext, formatFailure, seconds } from './errors.js';
import { NET, type Net, type NetChannel, type WsHandlers } from './net.js';
import { traceQuote } from './trace.js';
import { hostOf, portOf, prepareUrl, targetOf } from './url.js';

/** RFC 6455 subprotocol token (the characters ws accepts). */
const SUBPROTOCOL = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;
/** Errors kept per channel; a program that never reads them must not grow memory. */
const MAX_QUEUED_ERRORS = 100;
/** How long a closing peer may take to answer our close frame before the socket is cut. */
const CLOSE_GRACE_MS = 1000;
const OPEN = 1;
const CLOSED = 3;

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
  private heartbeat: NodeJS.Timeout | undefined;
  /** On Message events posted and not yet dispatched by the machine. */
  private pendingEvents = 0;
  /** Reading is paused because too many On Message events wait to be dispatched. */
  private pausedForEvents = false;
  /** Send Message statements waiting for the send buffer to drain. */
  private sendWaiters = 0;
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

  private get handlers(): WsHandlers | undefined {
    return this.net.wsHandlers.get(this.index);
  }

  private trace(what: string): void {
    this.net.traceLine(`ws ${this.index} ${what}`);
  }

  /** Begin connecting in the background (loading ws on first use). */
  start(): void {
    this.trace(`open ${this.url.href}`);
    // --allow-net/--deny-net: literal addresses are only checked here (no resolver is involved).
    const port = portOf(this.url);
    const denial = this.net.policy.checkTarget(this.url.hostname, port);
    if (denial) {
      // Reported in the background like any connection failure, so On Error set by the next
      // statement still sees it.
      setImmediate(() => {
        if (!this.dead && !this.net.closed) this.fail(denial.text);
      });
      return;
    }
    const cls = this.net.loadedWebSocket;
    if (cls) {
      this.connect(cls, port);
      return;
    }
    this.net.webSocketClass().then(
      (c) => {
        if (!this.dead) this.connect(c, port);
      },
      (error: unknown) => {
        if (!this.dead && !this.net.closed) this.fail(describeNetError(error, this.ctx).text);
      },
    );
  }

  private connect(WebSocketClass: typeof WebSocket, port: number): void {
    const o = this.net.options;
    const lookup = this.net.lookupFor(port);
    let ws: WebSocket;
    try {
      ws = new WebSocketClass(this.url.href, this.protocol === '' ? [] : [this.protocol], {
        handshakeTimeout: o.wsHandshakeTimeoutMs,
        maxPayload: o.wsMaxMessageBytes,
        headers: { 'user-agent': this.net.userAgent },
        ...(lookup ? { lookup } : {}),
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
      this.trace('connected');
      this.startHeartbeat(ws);
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
      this.stopHeartbeat();
      if (this.dead) return;
      this.connected = false;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      if (code === 1006 && !this.errorReported) {
        // Abrupt end (no close frame): the peer or the network died.
        this.fail(formatFailure('RESET', `the connection to ${this.ctx.target} died (code 1006)`));
      }
      if (this.everConnected) {
        this.trace(`close ${code} ${traceQuote(this.closeReason)}`);
        const proc = this.handlers?.close;
        if (proc) this.rt.post({ kind: 'call', proc, args: [code, this.closeReason] });
      }
      this.rt.wake();
    });
  }

  /**
   * A ping every wsHeartbeatMs; when the previous one is still unanswered, the peer is considered
   * gone: one TIMEOUT channel error, and the connection is dropped.
   */
  private startHeartbeat(ws: WebSocket): void {
    const every = this.net.options.wsHeartbeatMs;
    if (!(every > 0)) return;
    let awaitingPong = false;
    ws.on('pong', () => {
      awaitingPong = false;
    });
    this.heartbeat = setInterval(() => {
      if (this.dead || ws.readyState !== OPEN) {
        this.stopHeartbeat();
        return;
      }
      if (ws.isPaused) {
        // We are not reading (too many On Message events wait): a missing pong proves nothing.
        awaitingPong = false;
        return;
      }
      if (awaitingPong) {
        this.stopHeartbeat();
        this.fail(
          formatFailure(
            'TIMEOUT',
            `no answer to heartbeat pings from ${this.ctx.target} within ${seconds(every)}; connection dropped`,
          ),
        );
        ws.terminate();
        return;
      }
      awaitingPong = true;
      try {
        ws.ping();
      } catch {
        // the socket is closing: its close event reports it
      }
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * Queue an error, mark the channel disconnected, run the On Error procedure, or else explain on
   * stderr if it never connected.
   */
  private fail(text: string): void {
    this.connected = false;
    this.errorReported = true;
    this.trace(`error ${text}`);
    this.pushError({ text });
    const proc = this.handlers?.error;
    if (proc) this.rt.post({ kind: 'call', proc, args: [text] });
    else if (!this.everConnected) this.rt.console.notice(`WebSocket ${this.index}: ${text}`);
    this.rt.wake();
  }

  private pushError(error: QueuedError): void {
    this.errors.push(error);
    while (this.errors.length > MAX_QUEUED_ERRORS) this.errors.shift();
  }

  private receive(message: string): void {
    this.received++;
    if (this.net.tracing) this.trace(`< ${traceQuote(message)}`);
    const proc = this.handlers?.message;
    if (proc) {
      this.postMessage(proc, message);
      return;
    }
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

  /**
   * An On Message event. Nothing is dropped: when wsMaxQueuedMessages events wait to be dispatched,
   * reading from the socket pauses (TCP back-pressure on the peer) until half of them ran. The
   * machine reads an event's `args` when it dispatches it; that is how the channel counts them.
   */
  private postMessage(proc: ProcedureRef, message: string): void {
    this.pendingEvents++;
    let counted = true;
    const onDispatch = (): void => {
      if (!counted) return;
      counted = false;
      this.dispatched();
    };
    const event: RuntimeEvent = {
      kind: 'call',
      proc,
      get args(): readonly Value[] {
        onDispatch();
        return [message];
      },
    };
    this.rt.post(event);
    const max = Math.max(1, this.net.options.wsMaxQueuedMessages);
    if (this.pendingEvents >= max && !this.pausedForEvents && this.ws) {
      this.pausedForEvents = true;
      this.ws.pause();
    }
  }

  private dispatched(): void {
    this.pendingEvents--;
    const max = Math.max(1, this.net.options.wsMaxQueuedMessages);
    if (this.pausedForEvents && this.pendingEvents <= Math.floor(max / 2)) {
      this.pausedForEvents = false;
      if (!this.dead) this.ws?.resume();
    }
  }

  get isConnected(): boolean {
    return this.connected && this.ws?.readyState === OPEN;
  }

  /** Messages waiting to be read. */
  get queuedMessages(): number {
    return this.messages.length;
  }

  /** On Message events posted but not dispatched yet. */
  get pendingMessageEvents(): number {
    return this.pendingEvents;
  }

  /** Bytes waiting to be sent. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
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

  /**
   * Send a message; when more than wsSendHighWaterBytes already wait to be sent (a peer that does
   * not read), returns a Wait that sends it once the buffer drained below the mark, or fails if the
   * connection closes meanwhile. Memory stays under the mark plus one message.
   */
  send(message: string): Wait | undefined {
    const ws = this.ws;
    if (!ws || !this.isConnected) throw new AozError('websocket_not_connected', [this.index]);
    const o = this.net.options;
    const size = Buffer.byteLength(message);
    if (size > o.wsMaxMessageBytes) {
      throw new AozError('websocket_error', [
        formatFailure(
          'TOO_LARGE',
          `a message of ${size} bytes is larger than the limit of ${o.wsMaxMessageBytes} bytes (channel ${this.index})`,
        ),
      ]);
    }
    if (ws.bufferedAmount <= o.wsSendHighWaterBytes) {
      this.transmit(ws, message);
      return undefined;
    }
    this.sendWaiters++;
    let waiting = true;
    const stopWaiting = (): void => {
      if (!waiting) return;
      waiting = false;
      this.sendWaiters--;
    };
    const usable = (): boolean => !this.dead && this.ws === ws && this.isConnected;
    return {
      what: 'WebSocket Send Message',
      ready: () => !usable() || ws.bufferedAmount <= o.wsSendHighWaterBytes,
      onReady: () => {
        stopWaiting();
        if (!usable()) {
          throw new AozError('websocket_error', [
            formatFailure(
              'RESET',
              `channel ${this.index} was closed while a message waited to be sent (${size} bytes not sent)`,
            ),
          ]);
        }
        this.transmit(ws, message);
      },
      cancel: stopWaiting,
    };
  }

  private transmit(ws: WebSocket, message: string): void {
    if (this.net.tracing) this.trace(`> ${traceQuote(message)}`);
    ws.send(message, () => {
      // Written out (or failed: the close/error events report that). A waiting Send re-checks.
      if (this.sendWaiters > 0) this.rt.wake();
    });
  }

  shutdown(): Promise<void> {
    const wasConnected = this.isConnected;
    this.dead = true;
    this.connected = false;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return Promise.resolve();
    if (wasConnected) this.trace('close 1000 ""');
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
        if (ws.isPaused) ws.resume(); // the close handshake needs to read the peer's close frame
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
      throw new AozError('illegal_function_call', [`invalid WebSocket protocol ${JSON.stringify(protocol)}`]);
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
  doc: 'Send a text message on a connected WebSocket channel; waits while the peer has too much unread (--ws-send-high-water).',
  syntax: 'WebSocket Send Message index, message$ [, tags$]',
  waits: true,
  run(rt, args) {
    return channel(rt, args[0]).send(args[1] === undefined ? '' : String(args[1]));
  },
};

/** WebSocket On Message/On Close/On Error: set (or with "" remove) a channel index's event procedure. */
function handlerEntry(name: string, kind: keyof WsHandlers, doc: string): InstructionEntry {
  return {
    kind: 'instruction',
    name,
    params: [index, { name: 'procedure$', type: 'string' }],
    doc,
    syntax: `${name} index, procedure$`,
    run(rt, args) {
      const i = channelIndex(args[0]);
      const procName = args[1] === undefined ? '' : String(args[1]).trim();
      let proc: ProcedureRef | undefined;
      if (procName !== '') {
        proc = rt.findProcedure(procName);
        if (!proc) throw new AozError('procedure_not_found', [procName]);
      }
      const handlers = rt.service(NET).wsHandlers;
      const h: WsHandlers = { ...handlers.get(i), [kind]: proc };
      if (h.message || h.close || h.error) handlers.set(i, h);
      else handlers.delete(i);
      return undefined;
    },
  };
}

export const webSocketOnMessage = handlerEntry(
  'WebSocket On Message',
  'message',
  'Call a procedure with each message received on the channel (message$, by position) instead of queueing it for WebSocket Message$; "" removes it (aozrun extension).',
);

export const webSocketOnClose = handlerEntry(
  'WebSocket On Close',
  'close',
  'Call a procedure with the close code and reason$ when the connection of the channel closes; "" removes it (aozrun extension).',
);

export const webSocketOnError = handlerEntry(
  'WebSocket On Error',
  'error',
  'Call a procedure with error$ when the channel fails, instead of a notice on stderr; "" removes it (aozrun extension).',
);

function predicate(name: string, doc: string, test: (c: Channel) => boolean): FunctionEntry {
  return {
    kind: 'function',
    name,
    params: [index],
    returns: 'integer',
    doc,
    syntax: `=${name}(index)`,
    run: (rt, args) => {
      if (test(channel(rt, args[0]))) return TRUE;
      // Polled in a loop, typically: what it waits for comes from the network.
      rt.polled();
      return FALSE;
    },
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
  webSocketOnMessage,
  webSocketOnClose,
  webSocketOnError,
];
