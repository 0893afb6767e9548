/**
 * Terminal output (DESIGN §6): the same stream as a pipe, plus ANSI. Pen and Paper become SGR
 * colours from AOZ's default palette; pen 1 and paper 0 (the defaults) use the terminal's own
 * foreground and background so the user's theme is kept. Cls clears the screen and homes.
 * Full-screen drawing (Locate, cursor controls) is not done yet: `moved()` is where it will go.
 */
import { type ColorDepth, sgrColor } from './palette.js';
import { PipeSink } from './pipe.js';

const CSI = '\x1b[';
/** Stands for the terminal's own colour in the emitted state. */
const THEME = -1;
const DEFAULT_PEN = 1;
const DEFAULT_PAPER = 0;

export class TerminalSink extends PipeSink {
  private fg = THEME;
  private bg = THEME;

  constructor(
    out: NodeJS.WritableStream,
    readonly depth: ColorDepth,
  ) {
    super(out);
  }

  override text(run: string, pen: number, paper: number): void {
    this.colors(pen, paper);
    super.text(run, pen, paper);
  }

  override tab(tabWidth: number, pen: number, paper: number): void {
    this.colors(pen, paper);
    super.tab(tabWidth, pen, paper);
  }

  override newline(): void {
    // Back to the theme background first: a scrolling terminal fills new lines with the current one.
    if (this.bg !== THEME) this.sgr(['49']);
    this.bg = THEME;
    super.newline();
  }

  override cls(color: number): void {
    if (color !== DEFAULT_PAPER && this.depth !== 'none') {
      this.pending += `${CSI}${sgrColor(color, 'bg', this.depth)}m${CSI}2J${CSI}H${CSI}49m`;
    } else {
      if (this.bg !== THEME) this.pending += `${CSI}49m`;
      this.pending += `${CSI}2J${CSI}H`;
    }
    this.bg = THEME;
    this.column = 0;
  }

  /** Writes text that bypasses the model (a line editor's echo) in the current colours, now. */
  writeRaw(text: string, pen: number, paper: number): void {
    this.colors(pen, paper);
    this.pending += text;
    this.flush();
  }

  /** Back to the terminal's own attributes (before a notice on stderr, at close and exit). */
  resetAttributes(): void {
    if (this.fg !== THEME || this.bg !== THEME) {
      this.pending += `${CSI}0m`;
      this.fg = THEME;
      this.bg = THEME;
    }
    this.flush();
  }

  override close(): void {
    this.resetAttributes();
  }

  /** Emits the SGR that brings the terminal to these colours, only what changed. */
  private colors(pen: number, paper: number): void {
    if (this.depth === 'none') return;
    const fg = pen === DEFAULT_PEN ? THEME : pen;
    const bg = paper === DEFAULT_PAPER ? THEME : paper;
    const parts: string[] = [];
    if (fg !== this.fg) parts.push(fg === THEME ? '39' : sgrColor(fg, 'fg', this.depth));
    if (bg !== this.bg) parts.push(bg === THEME ? '49' : sgrColor(bg, 'bg', this.depth));
    this.fg = fg;
    this.bg = bg;
    if (parts.length > 0) this.sgr(parts);
  }

  private sgr(parts: readonly string[]): void {
    this.pending += `${CSI}${parts.join(';')}m`;
  }
}
