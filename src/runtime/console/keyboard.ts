/**
 * Keyboard input for the console, in its two shapes (DESIGN §6):
 * - pipes: stdin is a stream of characters; Inkey$/Wait Key/Input$ take one character ("\n" is
 *   the Return key), Input takes one line and echoes it once consumed;
 * - terminals: raw mode, each key press decoded and kept in AOZ's single pending-key slot
 *   (aoz-facts §4.3, §4.5); Input edits a line with echo. Raw mode starts with the first input
 *   call, or when the window starts being drawn at the top of the terminal (listen()), and ends
 *   with the run.
 * Both wake the scheduler when input arrives or ends, and never wait on a closed stdin.
 *
 * ScanCode, ScanShift, Key State and Key Shift (aoz-facts §4.4). A terminal sends no key-up
 * events and a pipe no timing at all, so "held" has to be defined:
 * - terminals: a key counts as held from its press until 0.6 s later (a typical auto-repeat
 *   delay), or 0.15 s after each auto-repeat of it, and is released at once when another key is
 *   pressed; Key Shift is the modifier mask of the held key (modifiers are inferred, keys.ts);
 * - pipes: Key State is true only for the key read last (by Inkey$, Wait Key or Input$), until
 *   the next read (an Inkey$ that returns "" releases it); there are no modifiers, so Key Shift
 *   and ScanShift are always 0.
 *
 * Put Key (aoz-facts §4.8) types its text ahead of what comes from stdin, in both modes and for
 * every reader: Inkey$, Wait Key, Input$ and also Input/Line Input (AMOS's use: a default answer
 * the user can edit; Chr$(13) in it validates). Clear Key forgets what Put Key typed and not yet
 * read, and in a terminal the pending key; in a pipe it never discards stdin (every character of
 * a transcript is meant for the program).
 */
import { EndOfInput, type Wait } from '../../interpreter/runtime-api.js';
import { inkeyValue, type Key, KeyDecoder, keyCode, keyForChar, keyModifiers } from './keys.js';
import { LineEditor } from './line-editor.js';
import { type EofGrace, type InputStream, StdinReader } from './stdin.js';
import { printable } from './window.js';

export type LineWait = Wait & { result(): string };
export type TextWait = Wait & { result(): string };

/** The input half of the console device. */
export interface Keyboard {
  inkey(): string;
  waitKey(): Wait;
  readLine(what: string): LineWait;
  /** Input$(n): n single-character keys, no echo (Return, arrows, ... do not count, §4.7). */
  inputChars(n: number): TextWait;
  /** ScanCode: the key code of the last key Inkey$ returned, then 0. */
  scancode(): number;
  /** ScanShift: the modifier mask of that key, then 0. */
  scanShift(): number;
  /** Key State(code). */
  keyState(code: number): boolean;
  /** Key Shift: the modifiers held now. */
  keyShift(): number;
  clearKey(): void;
  putKey(text: string): void;
  close(): void;
}

interface KeyboardDeps {
  /** Called whenever input arrives or stdin ends, so the scheduler re-polls. */
  wake(): void;
  grace: EofGrace;
}

/** Input$'s wait: `take()` gives the next character typed, or undefined. */
function charsWait(
  n: number,
  reader: StdinReader,
  take: () => string | undefined,
  cancel?: () => void,
): TextWait {
  const got: string[] = [];
  return {
    what: 'Input$',
    input: true,
    ready: () => {
      while (got.length < n) {
        const ch = take();
        if (ch === undefined) break;
        if (printable(ch.codePointAt(0)!)) got.push(ch); // one printable character (§4.7)
      }
      if (got.length >= n) {
        cancel?.();
        return true;
      }
      if (reader.ended) throw new EndOfInput('Input$');
      return false;
    },
    result: () => got.join(''),
    cancel,
  };
}

/** A consumed line as echoed: without control characters (an ESC would start a command), tabs kept. */
function shown(line: string): string {
  let out = '';
  for (const ch of line) {
    const c = ch.codePointAt(0)!;
    if (c === 0x09 || printable(c)) out += ch;
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
  /** Put Key's text not read yet is buf[pos, putEnd). */
  private putEnd = 0;
  /** The key read last, for Key State; ScanCode's value. */
  private lastRead: number | undefined;
  private scan = 0;
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
    if (ch !== undefined) {
      this.scan = this.read(ch);
      return ch === '\n' ? '\r' : ch;
    }
    this.lastRead = undefined;
    if (this.reader.ended) this.deps.grace.poll();
    return '';
  }

  waitKey(): Wait {
    this.reader.start();
    return keyWait(this.reader, () => {
      const ch = this.takeChar();
      if (ch === undefined) return false;
      this.read(ch);
      this.scan = 0; // Wait Key forgets the key, as AOZ does
      return true;
    });
  }

  inputChars(n: number): TextWait {
    this.reader.start();
    return charsWait(n, this.reader, () => {
      const ch = this.takeChar();
      if (ch !== undefined) this.read(ch);
      return ch;
    });
  }

  scancode(): number {
    const code = this.scan;
    this.scan = 0;
    return code;
  }

  scanShift(): number {
    return 0;
  }

  keyState(code: number): boolean {
    return this.lastRead !== undefined && this.lastRead === code;
  }

  keyShift(): number {
    return 0;
  }

  /** Forgets what Put Key typed and was not read; stdin is never discarded. */
  clearKey(): void {
    if (this.putEnd > this.pos) {
      this.buf = this.buf.slice(0, this.pos) + this.buf.slice(this.putEnd);
    }
    this.putEnd = this.pos;
  }

  /** Types `text` after what Put Key typed before and before what stdin sent. */
  putKey(text: string): void {
    const typed = text.replace(/\r\n?/g, '\n');
    const at = Math.max(this.pos, this.putEnd);
    this.buf = this.buf.slice(0, at) + typed + this.buf.slice(at);
    this.putEnd = at + typed.length;
  }

  /** Records a key as read; returns its key code. */
  private read(ch: string): number {
    const code = keyCode(keyForChar(ch));
    this.lastRead = code;
    return code;
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
      this.putEnd = Math.max(0, this.putEnd - this.pos);
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
  /** A line starts being edited: the terminal cursor must be where the model's is, and visible. */
  begin(): void;
  /** Writes the editor's output (characters and cursor moves) to the terminal now. */
  write(raw: string): void;
  /** The validated line: put it in the text-window model without writing it again. */
  commit(text: string): void;
}

/** A key press as Inkey$, ScanCode and ScanShift report it. */
interface Pressed {
  readonly value: string;
  readonly code: number;
  readonly shift: number;
}

function pressed(key: Key): Pressed {
  return { value: inkeyValue(key), code: keyCode(key), shift: keyModifiers(key) };
}

/** How long a key counts as held after its press, and after each auto-repeat (see the top). */
export const FIRST_HOLD_MS = 600;
export const REPEAT_HOLD_MS = 150;

export class TerminalKeyboard implements Keyboard {
  /** AOZ's single pending-key slot: each key press overwrites it, Inkey$/Wait Key empty it. */
  private slot: Pressed | undefined;
  /** What Put Key typed and no reader took yet. */
  private readonly putQueue: Key[] = [];
  private editor: LineEditor | undefined;
  /** An Input$ in progress takes every key (a fast typist or a paste must not lose any). */
  private collector: ((key: Key) => void) | undefined;
  /** The key counted as held, for Key State and Key Shift. */
  private held: { code: number; shift: number; until: number } | undefined;
  private scan = 0;
  private scanMods = 0;
  private raw = false;
  private closed = false;
  /** The REPL's prompt has stdin: keys are not read, and listening waits for resume(). */
  private suspended = false;
  /** Listening was asked for (or on) while suspended: resume() listens. */
  private wanted = false;
  private readonly decoder = new KeyDecoder();
  private readonly reader: StdinReader;

  constructor(
    private readonly stdin: InputStream,
    private readonly deps: KeyboardDeps & {
      /** Ctrl-C typed in raw mode. */
      onInterrupt(): void;
      echo: TerminalEcho;
      /** Monotonic milliseconds, for Key State. */
      now(): number;
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
    const key = this.take();
    if (key !== undefined) {
      this.scan = key.code;
      this.scanMods = key.shift;
      return key.value;
    }
    if (this.reader.ended) this.deps.grace.poll();
    return '';
  }

  waitKey(): Wait {
    this.start();
    return keyWait(this.reader, () => {
      if (this.take() === undefined) return false;
      this.scan = 0; // Wait Key forgets the key, as AOZ does
      this.scanMods = 0;
      return true;
    });
  }

  readLine(what: string): LineWait {
    this.start();
    this.deps.echo.begin();
    const editor = new LineEditor((raw) => this.deps.echo.write(raw));
    this.editor = editor;
    // Keys typed by Put Key come first: a default answer to edit, or a whole line.
    while (this.putQueue.length > 0 && this.editor === editor) {
      if (editor.key(this.putQueue.shift()!)) this.validate(editor);
    }
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

  inputChars(n: number): TextWait {
    this.start();
    this.slot = undefined; // AOZ clears the pending key first (§4.7)
    const typed: string[] = [];
    const collect = (key: Key): void => {
      if (key.type === 'char') typed.push(key.char);
    };
    // Keys typed by Put Key come before anything typed from now on.
    for (const key of this.putQueue.splice(0)) collect(key);
    this.collector = collect;
    const release = (): void => {
      if (this.collector === collect) this.collector = undefined;
    };
    return charsWait(
      n,
      this.reader,
      () => {
        for (const key of this.putQueue.splice(0)) collect(key);
        return typed.shift();
      },
      release,
    );
  }

  scancode(): number {
    const code = this.scan;
    this.scan = 0;
    return code;
  }

  scanShift(): number {
    const mods = this.scanMods;
    this.scanMods = 0;
    return mods;
  }

  keyState(code: number): boolean {
    const held = this.held;
    return held !== undefined && held.code === code && this.deps.now() < held.until;
  }

  keyShift(): number {
    const held = this.held;
    return held !== undefined && this.deps.now() < held.until ? held.shift : 0;
  }

  clearKey(): void {
    this.slot = undefined;
    this.putQueue.length = 0;
  }

  putKey(text: string): void {
    let previous = '';
    for (const ch of text) {
      if (!(ch === '\n' && previous === '\r')) this.putQueue.push(keyForChar(ch));
      previous = ch;
    }
  }

  /**
   * Starts listening to the keyboard without reading anything yet: raw mode (no echo, Ctrl-C
   * as a key), key presses kept in the pending-key slot. The console calls it when the window
   * starts being drawn at the top of the terminal: from then on, what the user types must not
   * be echoed by the terminal over the window (nor "^C" on Ctrl-C), and AOZ keeps the key
   * pressed last for Inkey$ whenever it was pressed.
   */
  listen(): void {
    this.start();
  }

  /**
   * Gives stdin up to another reader (the REPL's readline prompt): stops listening and leaves raw
   * mode. Keys typed meanwhile are not the program's; what reads keys waits for resume().
   */
  suspend(): void {
    if (this.suspended || this.closed) return;
    this.suspended = true;
    this.wanted = this.reader.isStarted;
    this.reader.suspend();
    this.restoreRawMode();
  }

  /** Takes stdin back: listens again if it listened (or was asked to) while suspended. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    if (this.wanted) this.start();
    this.wanted = false;
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
    this.collector = undefined;
    this.reader.close();
    this.restoreRawMode();
  }

  private start(): void {
    if (this.closed) return;
    if (this.suspended) {
      this.wanted = true;
      return;
    }
    if (!this.raw && typeof this.stdin.setRawMode === 'function') {
      this.stdin.setRawMode(true);
      this.raw = true;
    }
    this.reader.start();
  }

  /** The next key for Inkey$/Wait Key: what Put Key typed first, then the pending key. */
  private take(): Pressed | undefined {
    const put = this.putQueue.shift();
    if (put) return pressed(put);
    const key = this.slot;
    this.slot = undefined;
    return key;
  }

  private keys(keys: readonly Key[]): void {
    for (const key of keys) {
      if (key.type === 'interrupt') {
        this.deps.onInterrupt();
        continue;
      }
      this.hold(key);
      const editor = this.editor;
      if (editor) {
        if (editor.key(key)) this.validate(editor);
      } else if (this.collector) {
        this.collector(key);
      } else {
        this.slot = pressed(key);
      }
      this.deps.wake();
    }
  }

  /** Key State: the key is held for a while after each press (see the top of this file). */
  private hold(key: Key): void {
    const now = this.deps.now();
    const code = keyCode(key);
    const prev = this.held;
    const repeat = prev !== undefined && prev.code === code && now < prev.until;
    this.held = { code, shift: keyModifiers(key), until: now + (repeat ? REPEAT_HOLD_MS : FIRST_HOLD_MS) };
  }

  private validate(editor: LineEditor): void {
    editor.finish();
    if (this.editor === editor) this.editor = undefined;
    this.deps.echo.commit(editor.text);
  }
}
