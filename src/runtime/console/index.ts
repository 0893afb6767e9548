/**
 * The console device (DESIGN §6): AOZ's 80x25 text window, shown on a terminal (ANSI colours,
 * cursor addressing, raw-mode keys) or on pipes (plain text, characters and lines from stdin).
 *
 *   createConsole({ stdin, stdout, stderr, wake, onInterrupt }) → Console
 *
 * The text-window model (window.ts) is the same in both modes; an output sink (pipe.ts,
 * terminal.ts) shows what it prints, a keyboard (keyboard.ts) reads stdin. Every operation
 * that changes the window flushes the sink once, at its end.
 */

import { type ConsoleDevice, serviceKey, type Wait } from '../../interpreter/runtime-api.js';
import { restoreOnExit } from './exit-hook.js';
import { type Keyboard, type LineWait, PipeKeyboard, TerminalKeyboard, type TextWait } from './keyboard.js';
import { type ColorDepth, type ColorOption, colorDepth, displayIndex } from './palette.js';
import { PipeSink } from './pipe.js';
import { EofGrace, type InputStream } from './stdin.js';
import { TerminalSink, type TerminalStream } from './terminal.js';
import { TextWindow } from './window.js';

export type { LineWait, TextWait } from './keyboard.js';
export type { ColorDepth, ColorOption } from './palette.js';
export type { ScreenSink } from './window.js';
export { STYLE, TextWindow } from './window.js';

export type ConsoleMode = 'terminal' | 'pipe';

export interface ConsoleOptions {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(b: boolean): unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  /** auto (default): terminal when both stdin and stdout are TTYs. */
  mode?: 'auto' | ConsoleMode;
  /** auto (default) honours NO_COLOR and COLORTERM; colours are only ever used in terminal mode. */
  color?: ColorOption;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called whenever input arrives (or stdin ends) so the scheduler re-polls. */
  wake: () => void;
  /** Ctrl-C typed in raw mode. */
  onInterrupt: () => void;
  /** How long Inkey$ keeps returning "" after stdin ended before it ends the run (default 1000). */
  eofGraceMs?: number;
  /** Monotonic milliseconds, for the Inkey$ grace period and Key State (default performance.now; tests inject one). */
  now?: () => number;
}

/** The session's console as a service: the text and keyboard tables use its full API. */
export const CONSOLE = serviceKey<Console>('console');

export function createConsole(opts: ConsoleOptions): Console {
  return new Console(opts);
}

export class Console implements ConsoleDevice {
  readonly mode: ConsoleMode;
  /** Colours actually used: always 'none' in pipe mode. */
  readonly colorDepth: ColorDepth;
  /** The text-window model: what X Curs/Y Curs read and what a screen dump prints. */
  readonly window = new TextWindow();
  private readonly sink: PipeSink;
  private readonly terminalSink: TerminalSink | undefined;
  private readonly keyboard: Keyboard;
  /** In a terminal: the keyboard, until it listens for keys (see draw()). */
  private quietKeyboard: TerminalKeyboard | undefined;
  private readonly terminalKeyboard: TerminalKeyboard | undefined;
  private readonly stderr: NodeJS.WritableStream;
  private readonly unregisterExit: (() => void) | undefined;
  private closed = false;

  constructor(opts: ConsoleOptions) {
    const mode = opts.mode ?? 'auto';
    this.mode =
      mode === 'auto'
        ? opts.stdin.isTTY === true && opts.stdout.isTTY === true
          ? 'terminal'
          : 'pipe'
        : mode;
    this.stderr = opts.stderr;
    const now = opts.now ?? (() => performance.now());
    const grace = new EofGrace(opts.eofGraceMs ?? 1000, now);
    const stdin = opts.stdin as InputStream;

    if (this.mode === 'terminal') {
      this.colorDepth = colorDepth(opts.color ?? 'auto', opts.env ?? process.env);
      const sink = new TerminalSink(opts.stdout as TerminalStream, this.colorDepth, this.window);
      const keyboard = new TerminalKeyboard(stdin, {
        wake: opts.wake,
        onInterrupt: opts.onInterrupt,
        grace,
        now,
        echo: {
          begin: () => sink.beginEdit(),
          write: (raw) => sink.writeRaw(raw, this.displayPen, this.displayPaper),
          commit: (text) => {
            sink.endEdit();
            this.draw(() => sink.silently(() => this.window.print(text)));
          },
        },
      });
      this.sink = sink;
      this.terminalSink = sink;
      this.keyboard = keyboard;
      this.quietKeyboard = keyboard;
      this.terminalKeyboard = keyboard;
      this.unregisterExit = restoreOnExit(() => {
        try {
          keyboard.restoreRawMode();
        } finally {
          sink.close();
        }
      });
    } else {
      this.colorDepth = 'none';
      this.sink = new PipeSink(opts.stdout);
      this.terminalSink = undefined;
      this.keyboard = new PipeKeyboard(stdin, { wake: opts.wake, grace, echo: (text) => this.print(text) });
      this.terminalKeyboard = undefined;
      this.unregisterExit = undefined;
    }
    this.window.sink = this.sink;
  }

  /**
   * Runs a change of the window, then shows it (even when it failed half-way). Once the window
   * is drawn at the top of the terminal, the keyboard listens (raw mode): the terminal must not
   * echo what is typed, or "^C", over the window.
   */
  private draw(change: () => void): void {
    try {
      change();
    } finally {
      this.sink.flush();
      if (this.quietKeyboard && this.terminalSink?.drawing) {
        this.quietKeyboard.listen();
        this.quietKeyboard = undefined;
      }
    }
  }

  print(text: string): void {
    this.draw(() => this.window.print(text));
  }

  get cursorX(): number {
    return this.window.cursorX;
  }

  get cursorY(): number {
    return this.window.cursorY;
  }

  get pen(): number {
    return this.window.pen;
  }

  set pen(n: number) {
    this.window.pen = n;
  }

  get paper(): number {
    return this.window.paper;
  }

  set paper(n: number) {
    this.window.paper = n;
  }

  /** Set Tab. */
  get tabWidth(): number {
    return this.window.tabWidth;
  }

  set tabWidth(n: number) {
    this.window.tabWidth = n;
  }

  cls(color = 0): void {
    this.draw(() => this.window.cls(color));
  }

  // -- text window (aoz-facts §11.3) -----------------------------------------------------------

  get width(): number {
    return this.window.width;
  }

  get height(): number {
    return this.window.height;
  }

  /** Locate x, y: either may be left out. */
  locate(x?: number, y?: number): void {
    this.draw(() => this.window.locate(x, y));
  }

  home(): void {
    this.draw(() => this.window.home());
  }

  clw(paper?: number): void {
    this.draw(() => this.window.clw(paper));
  }

  /** CMove dx, dy and CUp/CDown/CLeft/CRight. */
  cmove(dx: number, dy: number): void {
    this.draw(() => this.window.cmove(dx, dy));
  }

  centre(text: string): void {
    this.draw(() => this.window.centre(text));
  }

  cline(n?: number): void {
    this.draw(() => this.window.cline(n));
  }

  memorize(axis: 'x' | 'y'): void {
    if (axis === 'x') this.window.memorizeX();
    else this.window.memorizeY();
  }

  remember(axis: 'x' | 'y'): void {
    this.draw(() => (axis === 'x' ? this.window.rememberX() : this.window.rememberY()));
  }

  /** Inverse/Under/Shade On and Off: the style of the characters printed from now on. */
  setStyle(bit: number, on: boolean): void {
    this.window.style = on ? this.window.style | bit : this.window.style & ~bit;
  }

  get scrolling(): boolean {
    return this.window.scrolling;
  }

  /** Scroll On / Scroll Off. */
  set scrolling(on: boolean) {
    this.window.scrolling = on;
  }

  /** Curs On / Curs Off: shows or hides the terminal cursor (nothing to show in pipes). */
  setCursor(visible: boolean): void {
    if (!this.terminalSink) return;
    this.terminalSink.setCursor(visible);
    this.sink.flush();
  }

  // -- keyboard (aoz-facts §4) -----------------------------------------------------------------

  inkey(): string {
    return this.keyboard.inkey();
  }

  waitKey(): Wait {
    return this.keyboard.waitKey();
  }

  readLine(what: string): LineWait {
    return this.keyboard.readLine(what);
  }

  /** Input$(n). */
  inputChars(n: number): TextWait {
    return this.keyboard.inputChars(n);
  }

  scancode(): number {
    return this.keyboard.scancode();
  }

  scanShift(): number {
    return this.keyboard.scanShift();
  }

  keyState(code: number): boolean {
    return this.keyboard.keyState(code);
  }

  keyShift(): number {
    return this.keyboard.keyShift();
  }

  clearKey(): void {
    this.keyboard.clearKey();
  }

  putKey(text: string): void {
    this.keyboard.putKey(text);
  }

  notice(text: string): void {
    this.settle();
    this.stderr.write(`${text.replace(/\n$/, '')}\n`);
  }

  /**
   * Before something else writes to the terminal (a notice, the REPL's prompt or messages):
   * colours set for the program's text must not tint it, and it starts its own line (stdout and
   * stderr share the screen), below the window when that is drawn at the top of the terminal.
   */
  settle(): void {
    if (this.terminalSink && !this.terminalSink.beforeNotice() && this.window.cursorX > 0) this.print('\n');
  }

  /**
   * The REPL's prompt takes stdin (readline) until resumeInput(): the keyboard stops listening
   * and leaves raw mode, even if the window is drawn (see draw()); the cursor shows.
   */
  suspendInput(): void {
    this.terminalKeyboard?.suspend();
    this.terminalSink?.setPrompting(true);
  }

  /** A command runs again: the keyboard listens again if it did before the prompt. */
  resumeInput(): void {
    this.terminalSink?.setPrompting(false);
    this.terminalKeyboard?.resume();
  }

  /** True once a terminal shows the window drawn at its top (terminal.ts); never in pipes. */
  get drawing(): boolean {
    return this.terminalSink?.drawing ?? false;
  }

  /** The 25 rows of the text window, trailing spaces trimmed. */
  screenLines(): string[] {
    return this.window.screenLines();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.keyboard.close();
    this.sink.close();
    this.unregisterExit?.();
  }

  private get displayPen(): number {
    return displayIndex(this.window.pen);
  }

  private get displayPaper(): number {
    return displayIndex(this.window.paper);
  }
}
