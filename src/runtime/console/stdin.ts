/**
 * Reading stdin for the keyboard: started lazily by the first input call (a program that never
 * reads the keyboard never touches stdin), UTF-8 decoded, stopped by close() so the process can
 * exit. The end of stdin (or a read error) is reported once.
 */
import { StringDecoder } from 'node:string_decoder';
import { EndOfInput } from '../../interpreter/runtime-api.js';

export type InputStream = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  readableEnded?: boolean;
  unref?(): unknown;
};

export interface StdinHandlers {
  /** Decoded text as it arrives. */
  data(text: string): void;
  /** The stream ended (or failed, or was closed): no more data will come. */
  end(): void;
}

export class StdinReader {
  private started = false;
  private closed = false;
  private endedFlag = false;
  private readonly decoder = new StringDecoder('utf8');

  private readonly onData = (chunk: Buffer | string): void => {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text !== '') this.handlers.data(text);
  };

  private readonly onEnd = (): void => {
    if (this.endedFlag) return;
    this.endedFlag = true;
    const rest = this.decoder.end();
    if (rest !== '') this.handlers.data(rest);
    this.handlers.end();
  };

  constructor(
    private readonly stream: InputStream,
    private readonly handlers: StdinHandlers,
  ) {}

  /** No more data will come: the stream ended, failed, or this reader was closed. */
  get ended(): boolean {
    return this.endedFlag || this.closed;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Starts reading (idempotent; does nothing once closed). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.stream.on('data', this.onData);
    this.stream.on('end', this.onEnd);
    this.stream.on('close', this.onEnd);
    // A read error (EIO on a vanished terminal, ...) is the end of input, not a crash.
    this.stream.on('error', this.onEnd);
    if (this.stream.readableEnded) {
      this.onEnd();
      return;
    }
    this.stream.resume();
  }

  /**
   * Stops listening for now, leaving stdin to another reader (the REPL's prompt); start() listens
   * again. Unlike close(), the end of stdin is not reported meanwhile.
   */
  suspend(): void {
    if (!this.started || this.closed) return;
    this.started = false;
    this.detach();
  }

  /** Stops reading and lets the process exit; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) return;
    this.detach();
    this.stream.unref?.();
  }

  private detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.pause();
  }
}

/**
 * Inkey$ after stdin ended with nothing left: "" for `graceMs` from the first such poll (a
 * program polling Inkey$ while it waits for a network reply still gets the reply), then
 * EndOfInput, so a loop on a closed stdin cannot spin forever (DESIGN §6).
 */
export class EofGrace {
  private since: number | undefined;

  constructor(
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  poll(): void {
    const t = this.now();
    this.since ??= t;
    if (t - this.since >= this.graceMs) throw new EndOfInput('Inkey$');
  }
}
