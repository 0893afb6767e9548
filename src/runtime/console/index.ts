/**
 * The console device (DESIGN §6): AOZ's 80x25 text window, shown on a terminal (ANSI colours,
 * raw-mode keys) or on pipes (plain text, characters and lines from stdin).
 *
 *   createConsole({ stdin, stdout, stderr, wake, onInterrupt }) → Console
 *
 * The text-window model (window.ts) is the same in both modes; an output sink (pipe.ts,
 * terminal.ts) shows what it prints, a keyboard (keyboard.ts) reads stdin.
 */

import { type ConsoleDevice, serviceKey, type Wait } from '../../interpreter/runtime-api.js';
import { restoreOnExit } from './exit-hook.js';
import { type Keyboard, type LineWait, PipeKeyboard, TerminalKeyboard } from './keyboard.js';
import { type ColorDepth, type ColorOption, colorDepth, displayIndex } from './palette.js';
import { PipeSink } from './pipe.js';
import { EofGrace, type InputStream } from './stdin.js';
import { TerminalSink } from './terminal.js';
import { TextWindow } from './window.js';

export type { LineWait } from './keyboard.js';
export type { ColorDepth, ColorOption } from './palette.js';
export type { ScreenSink } from './window.js';
export { TextWindow } from './window.js';

export type ConsoleMode = 'terminal' | 'pipe';

export interface ConsoleOptions {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(b: boolean): unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
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
  /** Monotonic milliseconds, for the Inkey$ grace period (default performance.now; tests inject one). */
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
    const grace = new EofGrace(opts.eofGraceMs ?? 1000, opts.now ?? (() => performance.now()));
    const stdin = opts.stdin as InputStream;

    if (this.mode === 'terminal') {
      this.colorDepth = colorDepth(opts.color ?? 'auto', opts.env ?? process.env);
      const sink = new TerminalSink(opts.stdout, this.colorDepth);
      const keyboard = new TerminalKeyboard(stdin, {
        wake: opts.wake,
        onInterrupt: opts.onInterrupt,
        grace,
        echo: {
          write: (raw) => sink.writeRaw(raw, this.displayPen, this.displayPaper),
          commit: (text) => sink.silently(() => this.window.print(text, sink)),
        },
      });
      this.sink = sink;
      this.terminalSink = sink;
      this.keyboard = keyboard;
      this.unregisterExit = restoreOnExit(() => {
        keyboard.restoreRawMode();
        sink.resetAttributes();
      });
    } else {
      this.colorDepth = 'none';
      this.sink = new PipeSink(opts.stdout);
      this.terminalSink = undefined;
      this.keyboard = new PipeKeyboard(stdin, { wake: opts.wake, grace, echo: (text) => this.print(text) });
      this.unregisterExit = undefined;
    }
  }

  print(text: string): void {
    try {
      this.window.print(text, this.sink);
    } finally {
      this.sink.flush();
    }
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
    this.window.cls(color, this.sink);
    this.sink.flush();
  }

  inkey(): string {
    return this.keyboard.inkey();
  }

  waitKey(): Wait {
    return this.keyboard.waitKey();
  }

  readLine(what: string): LineWait {
    return this.keyboard.readLine(what);
  }

  notice(text: string): void {
    if (this.terminalSink) {
      // Colours set for the program's text must not tint a notice shown on the same terminal,
      // and a notice starts its own line (stdout and stderr share the screen there).
      this.terminalSink.resetAttributes();
      if (this.window.cursorX > 0) this.print('\n');
    }
    this.stderr.write(`${text.replace(/\n$/, '')}\n`);
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
