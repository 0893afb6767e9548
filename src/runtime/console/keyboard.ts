/**
 * Keyboard input for the console, in its two shapes (DESIGN §6):
 * - pipes: stdin is a stream of characters; Inkey$/Wait Key take one character ("\n" is the
 *   Return key), Input takes one line and echoes it once consumed;
 * - terminals: raw mode, each key press decoded and kept in AOZ's single pending-key slot
 *   (aoz-facts §4.3, §4.5); Input edits a line with echo.
 * Both wake the scheduler when input arrives or ends, and never wait on a closed stdin.
 */
import { EndOfInput, type Wait } from '../../interpreter/runtime-api.js';
import { inkeyValue, type Key, KeyDecoder } from './keys.js';
import { LineEditor } from './line-editor.js';
import { type EofGrace, type InputStream, StdinReader } from './stdin.js';

export type LineWait = Wait & { result(): string };

/** The input half of the console device. */
export interface Keyboard {
  inkey(): string;
  waitKey(): Wait;
  readLine(what: string): LineWait;
  close(): void;
}

interface KeyboardDeps {
  /** Called whenever input arrives or stdin ends, so the scheduler re-polls. */
  wake(): void;
  grace: EofGrace;
}

/** A consumed line as echoed: without control characters (an ESC would start a command), tabs kept. */
function shown(line: string): string {
  let out = '';
  for (const ch of line) {
    const c = ch.codePointAt(0)!;
    if (c === 0x09 || (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0))) out += ch;
  }
  return out;
}

/** Wait Key: ready once `take()` consumed a key; a stdin that ended can never give one. */
function keyWait(reader: StdinReader, take: () => boolean): Wait {
  let done = false;
  return {
    what: 'Wait Key',
    input: true,
    ready: () => {
      if (done || take()) {
        done = true;
        return true;
      }
      if (reader.ended) throw new EndOfInput('Wait Key');
      return false;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pipes

export class PipeKeyboard implements Keyboard {
  /** Characters received and not consumed yet: buf from pos; "\r\n" and "\r" already made "\n". */
  private buf = '';
  private pos = 0;
  /** The last character received was "\r": a "\n" right after it (maybe in the next chunk) is dropped. */
  private afterCR = false;
  private readonly reader: StdinReader;

  constructor(
    stdin: InputStream,
    private readonly deps: KeyboardDeps & {
      /** Shows a consumed line (text only) on the screen, as if typed. */
      echo(text: string): void;
    },
  ) {
    this.reader = new StdinReader(stdin, {
      data: (text) => {
        this.arrive(text);
        deps.wake();
      },
      end: () => deps.wake(),
    });
  }

  inkey(): string {
    this.reader.start();
    const ch = this.takeChar();
    if (ch !== undefined) return ch === '\n' ? '\r' : ch;
    if (this.reader.ended) this.deps.grace.poll();
    return '';
  }

  waitKey(): Wait {
    this.reader.start();
    return keyWait(this.reader, () => this.takeChar() !== undefined);
  }

  readLine(what: string): LineWait {
    this.reader.start();
    let line: string | undefined;
    return {
      what,
      input: true,
      ready: () => {
        if (line !== undefined) return true;
        line = this.takeLine();
        if (line === undefined) {
          if (this.reader.ended) throw new EndOfInput(what);
          return false;
        }
        this.deps.echo(shown(line));
        return true;
      },
      result: () => line ?? '',
    };
  }

  close(): void {
    this.reader.close();
  }

  private arrive(text: string): void {
    let normalized = '';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\r') {
        normalized += '\n';
        this.afterCR = true;
        continue;
      }
      if (!(ch === '\n' && this.afterCR)) normalized += ch;
      this.afterCR = false;
    }
    if (this.pos > 0 && this.pos >= this.buf.length / 2) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += normalized;
  }

  /** The next character (a whole code point), consumed. */
  private takeChar(): string | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const cp = this.buf.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  /** The next line without its newline, consumed; after the end, an unterminated last line counts. */
  private takeLine(): string | undefined {
    const nl = this.buf.indexOf('\n', this.pos);
    if (nl >= 0) {
      const line = this.buf.slice(this.pos, nl);
      this.pos = nl + 1;
      return line;
    }
    if (this.reader.ended && this.pos < this.buf.length) {
      const line = this.buf.slice(this.pos);
      this.pos = this.buf.length;
      return line;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Terminals

/** How a terminal line editor shows what is typed. */
export interface TerminalEcho {
  /** Writes the editor's output (characters and cursor moves) to the terminal now. */
  write(raw: string): void;
  /** The validated line: put it in the text-window model without writing it again. */
  commit(text: string): void;
}

export class TerminalKeyboard implements Keyboard {
  /** AOZ's single pending-key slot: each key press overwrites it, Inkey$/Wait Key empty it. */
  private slot: string | undefined;
  private editor: LineEditor | undefined;
  private raw = false;
  private closed = false;
  private readonly decoder = new KeyDecoder();
  private readonly reader: StdinReader;

  constructor(
    private readonly stdin: InputStream,
    private readonly deps: KeyboardDeps & {
      /** Ctrl-C typed in raw mode. */
      onInterrupt(): void;
      echo: TerminalEcho;
    },
  ) {
    this.reader = new StdinReader(stdin, {
      data: (text) => this.keys(this.decoder.feed(text)),
      end: () => {
        this.keys(this.decoder.flush());
        deps.wake();
      },
    });
  }

  /** True while the terminal is in raw mode because of this keyboard. */
  get rawMode(): boolean {
    return this.raw;
  }

  inkey(): string {
    this.start();
    const key = this.slot;
    if (key !== undefined) {
      this.slot = undefined;
      return key;
    }
    if (this.reader.ended) this.deps.grace.poll();
    return '';
  }

  waitKey(): Wait {
    this.start();
    return keyWait(this.reader, () => {
      if (this.slot === undefined) return false;
      this.slot = undefined;
      return true;
    });
  }

  readLine(what: string): LineWait {
    this.start();
    const editor = new LineEditor((raw) => this.deps.echo.write(raw));
    this.editor = editor;
    return {
      what,
      input: true,
      ready: () => {
        if (editor.done) return true;
        if (!this.reader.ended) return false;
        // Input ended in the middle of a line: what was typed counts, like a pipe's last line.
        if (editor.text === '') throw new EndOfInput(what);
        this.validate(editor);
        return true;
      },
      result: () => editor.text,
      cancel: () => {
        if (this.editor === editor) this.editor = undefined;
      },
    };
  }

  /** Leaves raw mode (also used by the process exit hook); idempotent. */
  restoreRawMode(): void {
    if (!this.raw) return;
    this.raw = false;
    this.stdin.setRawMode?.(false);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.editor = undefined;
    this.reader.close();
    this.restoreRawMode();
  }

  private start(): void {
    if (this.closed) return;
    if (!this.raw && typeof this.stdin.setRawMode === 'function') {
      this.stdin.setRawMode(true);
      this.raw = true;
    }
    this.reader.start();
  }

  private keys(keys: readonly Key[]): void {
    for (const key of keys) {
      if (key.type === 'interrupt') {
        this.deps.onInterrupt();
        continue;
      }
      const editor = this.editor;
      if (editor) {
        if (editor.key(key)) this.validate(editor);
      } else {
        this.slot = inkeyValue(key);
      }
      this.deps.wake();
    }
  }

  private validate(editor: LineEditor): void {
    editor.finish();
    if (this.editor === editor) this.editor = undefined;
    this.deps.echo.commit(editor.text);
  }
}
