/**
 * Terminal output (DESIGN §6). The text window is shown in one of two ways:
 *
 * Stream (how every run starts). The terminal shows what a pipe would, in order, plus ANSI
 * attributes: Pen and Paper as SGR colours from AOZ's default palette (pen 1 and paper 0, the
 * defaults, are the terminal's own foreground and background, so the user's theme is kept),
 * Inverse/Under/Shade as SGR 7/4/2. Tabs become spaces, lines are not cut at column 80 and the
 * terminal scrolls as usual: a program that only prints reads like its transcript and stays in
 * the terminal's scrollback.
 *
 * Screen. The first time the program does something a stream cannot show (the window reports
 * `jump` or `cls`: Locate, At, Home, the cursor moves and their control characters, Centre,
 * CLine, Memorize/Remember, Cls, Clw, a Scroll Off wrap...), the sink switches to drawing the
 * 80x25 window at the top of the terminal, for the rest of the run:
 * - the switch clears the terminal (`CSI 2J`) and paints the window from the model (what was
 *   printed so far is still there, in place);
 * - then each flush (one per Print or instruction) redraws only the cells that changed, moving
 *   with absolute cursor addressing (CUP); a scroll of the window becomes a scroll of the
 *   terminal rows 1-25 (a DECSTBM scroll region and IND/RI), so a long listing does not repaint
 *   the whole window for every line;
 * - the terminal cursor is left where the model's cursor is, so Input's line editor echoes at
 *   the right place;
 * - the keyboard listens from the switch on (raw mode, index.ts), so the terminal does not echo
 *   what is typed (or "^C") over the window while the program does not read the keyboard;
 * - a terminal with fewer than 25 rows shows the rows around the cursor (a 24-row terminal is
 *   common); columns beyond the terminal's width are not drawn; a resize repaints everything,
 *   at once (the stream's 'resize' event) unless Input is editing a line (then at its end);
 * - at the end of the run (and before a notice on stderr) the cursor goes to the line below
 *   what the window shows, so the shell prompt or the notice does not overwrite it; the exit
 *   hook (exit-hook.ts) does the same, with raw mode off, the cursor shown and the attributes
 *   reset, when the process ends otherwise (an uncaught exception, SIGTERM, SIGHUP, SIGQUIT).
 * The model is the only truth: whatever the terminal shows can be rebuilt from it (that is how
 * the switch, a resize and a notice are handled).
 *
 * Curs Off hides the terminal cursor and Curs On shows it (restored at the end and by the exit
 * hook); while Input edits a line the cursor is always shown (AOZ forces it on too). Unlike AOZ,
 * whose default is Curs Off, the terminal cursor stays visible until the program says Curs Off.
 */
import { type ColorDepth, sgrColor } from './palette.js';
import { PipeSink } from './pipe.js';
import { STYLE, type TextWindow } from './window.js';

const CSI = '\x1b[';
/** Stands for the terminal's own colour in the emitted state. */
const THEME = -1;
const DEFAULT_PEN = 1;
const DEFAULT_PAPER = 0;
/** An unknown terminal cursor coordinate (after raw echo, a scroll region, a pending wrap). */
const UNKNOWN = -1;

/** SGR parameters turning each style bit on and off. */
const STYLE_SGR: readonly (readonly [number, string, string])[] = [
  [STYLE.inverse, '7', '27'],
  [STYLE.under, '4', '24'],
  [STYLE.shade, '2', '22'],
];

export type TerminalStream = NodeJS.WritableStream & { columns?: number; rows?: number };

export class TerminalSink extends PipeSink {
  // The attributes last emitted.
  private fg = THEME;
  private bg = THEME;
  private attr = 0;

  // Screen mode.
  private screen = false;
  /** Repaint the whole window at the next render; `clearFirst`: clear the terminal first. */
  private full = false;
  private clearFirst = false;
  /** Per model row, the columns [lo, hi) changed since the last render (lo >= hi: none). */
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  /** Rows the content moved since the last render (negative: up). */
  private shift = 0;
  /** The model row shown on the terminal's first row. */
  private viewTop = 0;
  /** Where the terminal cursor is (0-based column, terminal row), or UNKNOWN. */
  private tx = UNKNOWN;
  private ty = UNKNOWN;
  /** The terminal size at the last render. */
  private cols = 0;
  private rows = 0;
  /** The cursor is below the window (before a notice): the next render repaints. */
  private parked = false;

  // The terminal cursor.
  private cursorWanted: boolean | undefined;
  private cursorShown = true;
  private editing = false;
  /** The REPL's prompt is shown (below the window, in screen mode): the cursor shows. */
  private prompting = false;
  private ended = false;

  constructor(
    out: TerminalStream,
    readonly depth: ColorDepth,
    private readonly window: TextWindow,
  ) {
    super(out);
    this.lo = new Int32Array(window.height).fill(window.width);
    this.hi = new Int32Array(window.height);
    out.on('resize', this.onResize);
  }

  /**
   * The terminal was resized: in screen mode, repaint now (the program may be waiting for a key),
   * unless the cursor was parked below the window for something else to write there (a notice;
   * the next render repaints anyway).
   */
  private readonly onResize = (): void => {
    if (this.screen && !this.editing && !this.ended && !this.parked) this.flush();
  };

  /** True once the window is drawn at the top of the terminal (see the top of this file). */
  get drawing(): boolean {
    return this.screen;
  }

  // -- stream events --------------------------------------------------------------------------

  override text(run: string, pen: number, paper: number, style: number): void {
    if (this.screen) return;
    this.attrs(pen, paper, style);
    super.text(run, pen, paper, style);
  }

  override tab(tabWidth: number, pen: number, paper: number, style: number): void {
    if (this.screen) return;
    this.attrs(pen, paper, style);
    super.tab(tabWidth, pen, paper, style);
  }

  override newline(): void {
    if (this.screen) return;
    // Back to the theme background first: a scrolling terminal fills new lines with the current one.
    const parts: string[] = [];
    if (this.bg !== THEME) parts.push('49');
    if (this.attr & STYLE.inverse) parts.push('27');
    this.bg = THEME;
    this.attr &= ~STYLE.inverse;
    if (parts.length > 0) this.sgr(parts);
    super.newline();
  }

  // -- screen events --------------------------------------------------------------------------

  override cells(x: number, y: number, n: number): void {
    if (!this.screen || this.full) return;
    if (x < this.lo[y]!) this.lo[y] = x;
    if (x + n > this.hi[y]!) this.hi[y] = x + n;
  }

  override scrolled(dy: number): void {
    if (!this.screen || this.full) return;
    const h = this.window.height;
    const total = this.shift + dy;
    if ((this.shift !== 0 && Math.sign(this.shift) !== Math.sign(dy)) || Math.abs(total) >= h) {
      this.full = true;
      return;
    }
    this.shift = total;
    // The changes not drawn yet move with the content.
    const w = this.window.width;
    if (dy < 0) {
      this.lo.copyWithin(0, -dy);
      this.hi.copyWithin(0, -dy);
      this.lo.fill(w, h + dy);
      this.hi.fill(0, h + dy);
    } else {
      this.lo.copyWithin(dy, 0, h - dy);
      this.hi.copyWithin(dy, 0, h - dy);
      this.lo.fill(w, 0, dy);
      this.hi.fill(0, 0, dy);
    }
  }

  override jump(): void {
    if (this.screen) return;
    this.screen = true;
    this.full = true;
    this.clearFirst = true;
  }

  override cls(color: number): void {
    this.screen = true;
    this.attrs(this.fgIndex(), color, 0);
    this.pending += `${CSI}2J${CSI}H`;
    if (this.bg !== THEME) this.sgr(['49']);
    this.bg = THEME;
    this.column = 0;
    // The terminal now shows exactly the cleared model.
    this.full = false;
    this.clearFirst = false;
    this.forgetChanges();
    this.viewTop = 0;
    this.tx = 0;
    this.ty = 0;
    this.parked = false;
    this.cols = this.size().cols;
    this.rows = this.size().rows;
  }

  // -- output ---------------------------------------------------------------------------------

  /** Draws what changed (screen mode) and writes what the current Print produced. */
  override flush(): void {
    if (this.screen && !this.editing && !this.ended) this.render();
    this.cursorVisibility();
    super.flush();
  }

  /** Writes text that bypasses the model (a line editor's echo) in the current colours, now. */
  writeRaw(text: string, pen: number, paper: number): void {
    this.attrs(pen, paper, 0);
    this.pending += text;
    this.tx = UNKNOWN;
    this.ty = UNKNOWN;
    super.flush();
  }

  /** Curs On / Curs Off. */
  setCursor(visible: boolean): void {
    this.cursorWanted = visible;
  }

  /** Input starts editing a line: the terminal cursor goes where the model's is, and shows. */
  beginEdit(): void {
    this.flush();
    this.editing = true;
    this.flush();
  }

  /** The line was validated (its text is in the model now). */
  endEdit(): void {
    this.editing = false;
  }

  /**
   * The REPL shows its prompt (true) or runs a command again (false). The prompt's cursor shows
   * even after Curs Off; nothing is drawn here (the cursor is below the window, for the prompt).
   */
  setPrompting(on: boolean): void {
    this.prompting = on;
    this.cursorVisibility();
    super.flush();
  }

  /** Back to the terminal's own attributes (before a notice on stderr, at close and exit). */
  resetAttributes(): void {
    if (this.fg !== THEME || this.bg !== THEME || this.attr !== 0) {
      this.pending += `${CSI}0m`;
      this.fg = THEME;
      this.bg = THEME;
      this.attr = 0;
    }
    super.flush();
  }

  /**
   * Before a notice on stderr. In screen mode the cursor goes below the window (the next render
   * repaints, in case the notice scrolled the terminal) and true is returned; in stream mode
   * only the attributes are reset.
   */
  beforeNotice(): boolean {
    if (!this.screen) {
      this.resetAttributes();
      return false;
    }
    this.park();
    return true;
  }

  /** Restores the terminal: attributes, cursor visibility, cursor below the window; idempotent. */
  override close(): void {
    if (this.ended) return;
    if (this.screen && !this.parked) this.park();
    this.ended = true;
    this.editing = false;
    this.cursorWanted = true;
    this.resetAttributes();
    this.cursorVisibility();
    super.flush();
    this.out.removeListener('resize', this.onResize);
  }

  // -- rendering ------------------------------------------------------------------------------

  private size(): { cols: number; rows: number } {
    const out = this.out as TerminalStream;
    const cols = out.columns !== undefined && out.columns > 0 ? out.columns : this.window.width;
    const rows = out.rows !== undefined && out.rows > 0 ? out.rows : this.window.height;
    return { cols, rows };
  }

  private render(): void {
    const { width: w, height: h } = this.window;
    const { cols, rows } = this.size();
    if (cols !== this.cols || rows !== this.rows) {
      if (this.cols !== 0) this.clearFirst = true;
      this.full = true;
      this.cols = cols;
      this.rows = rows;
    }
    const visW = Math.min(w, cols);
    const visH = Math.min(h, rows);
    // The rows shown follow the cursor on a terminal shorter than the window.
    let top = Math.min(this.viewTop, h - visH);
    const cy = this.window.cursorY;
    if (cy < top) top = cy;
    else if (cy >= top + visH) top = cy - visH + 1;
    if (top !== this.viewTop) {
      this.viewTop = top;
      this.full = true;
    }
    if (this.full || Math.abs(this.shift) >= visH) {
      this.repaint(visW, visH);
    } else {
      if (this.shift !== 0) this.scrollRows(visH);
      this.drawChanges(visW, visH);
    }
    this.forgetChanges();
    this.parked = false;
    this.moveTo(Math.min(this.window.cursorX, visW - 1), cy - this.viewTop);
  }

  private forgetChanges(): void {
    this.lo.fill(this.window.width);
    this.hi.fill(0);
    this.shift = 0;
  }

  /** Paints every row shown; after clearing the terminal, only up to each row's last visible cell. */
  private repaint(visW: number, visH: number): void {
    this.attrs(DEFAULT_PEN, DEFAULT_PAPER, 0);
    const clear = this.clearFirst;
    if (clear) {
      this.pending += `${CSI}H${CSI}2J`;
      this.tx = 0;
      this.ty = 0;
    }
    for (let t = 0; t < visH; t++) {
      const y = this.viewTop + t;
      const end = clear ? this.lastVisible(y, visW) : visW;
      if (end > 0) this.drawRun(y, t, 0, end);
      if (!clear) this.eraseBeyond(end);
    }
    this.full = false;
    this.clearFirst = false;
  }

  /**
   * Scrolls the terminal rows that show the window, then marks the rows that appeared: they are
   * blank on the terminal, so only what shows on them needs drawing.
   */
  private scrollRows(visH: number): void {
    const s = Math.abs(this.shift);
    this.attrs(this.fgIndex(), DEFAULT_PAPER, 0);
    this.pending += `${CSI}1;${visH}r`;
    this.pending +=
      this.shift < 0 ? `${CSI}${visH};1H${'\x1bD'.repeat(s)}` : `${CSI}1;1H${'\x1bM'.repeat(s)}`;
    this.pending += `${CSI}r`;
    this.tx = UNKNOWN;
    this.ty = UNKNOWN;
    const first = this.shift < 0 ? this.viewTop + visH - s : this.viewTop;
    for (let y = first; y < first + s; y++) {
      const end = this.lastVisible(y, this.window.width);
      this.lo[y] = end > 0 ? 0 : this.window.width;
      this.hi[y] = end;
    }
  }

  private drawChanges(visW: number, visH: number): void {
    for (let t = 0; t < visH; t++) {
      const y = this.viewTop + t;
      const lo = this.lo[y]!;
      const hi = Math.min(this.hi[y]!, visW);
      if (lo >= hi) continue;
      this.drawRun(y, t, lo, hi);
      if (hi === this.window.width) this.eraseBeyond(hi);
    }
  }

  /** Cells [lo, hi) of model row y, on terminal row t. */
  private drawRun(y: number, t: number, lo: number, hi: number): void {
    const win = this.window;
    this.moveTo(lo, t);
    let run = '';
    for (let x = lo; x < hi; x++) {
      const pen = win.penAt(x, y);
      const paper = win.paperAt(x, y);
      const style = win.styleAt(x, y);
      if (this.changes(pen, paper, style)) {
        this.pending += run;
        run = '';
        this.attrs(pen, paper, style);
      }
      run += win.charAt(x, y);
    }
    this.pending += run;
    // Writing the terminal's last column leaves its cursor in a "pending wrap" state.
    this.tx = hi >= this.cols ? UNKNOWN : hi;
  }

  /** Clears what a terminal wider than the window has right of it on the current row. */
  private eraseBeyond(x: number): void {
    if (this.cols <= this.window.width || x < this.window.width || this.tx !== x) return;
    this.attrs(this.fgIndex(), DEFAULT_PAPER, 0);
    this.pending += `${CSI}K`;
  }

  /** One past the last cell of a row that shows something on a cleared terminal. */
  private lastVisible(y: number, visW: number): number {
    const win = this.window;
    const colours = this.depth !== 'none';
    for (let x = visW - 1; x >= 0; x--) {
      if (
        win.charAt(x, y) !== ' ' ||
        (colours && win.paperAt(x, y) !== DEFAULT_PAPER) ||
        (win.styleAt(x, y) & (STYLE.inverse | STYLE.under)) !== 0
      ) {
        return x + 1;
      }
    }
    return 0;
  }

  private moveTo(x: number, t: number): void {
    if (this.tx === x && this.ty === t) return;
    this.pending += `${CSI}${t + 1};${x + 1}H`;
    this.tx = x;
    this.ty = t;
  }

  /**
   * Moves the cursor to the line below what the window shows (the last row with something on
   * it, or the cursor's row if it is lower), scrolling the terminal when that is past its
   * bottom; the next render repaints.
   */
  private park(): void {
    this.flush();
    this.resetAttributes();
    const win = this.window;
    const visH = Math.min(win.height, this.rows || win.height);
    let last = -1;
    for (let t = 0; t < visH; t++) {
      if (this.lastVisible(this.viewTop + t, win.width) > 0) last = t;
    }
    const cursorRow = win.cursorY - this.viewTop + (win.cursorX > 0 ? 1 : 0);
    const target = Math.max(last + 1, cursorRow);
    const rows = this.rows || win.height;
    // Absolute addressing: something else may have moved the terminal cursor since the render.
    this.tx = UNKNOWN;
    if (target < rows) {
      this.moveTo(0, target);
    } else {
      this.moveTo(0, rows - 1);
      this.pending += '\n';
    }
    this.tx = UNKNOWN;
    this.ty = UNKNOWN;
    this.parked = true;
    this.full = true;
    super.flush();
  }

  private cursorVisibility(): void {
    const wanted = this.editing || this.prompting || (this.cursorWanted ?? true);
    if (wanted === this.cursorShown) return;
    this.pending += `${CSI}?25${wanted ? 'h' : 'l'}`;
    this.cursorShown = wanted;
  }

  // -- attributes -----------------------------------------------------------------------------

  /** The pen index currently emitted (for operations that only change the background). */
  private fgIndex(): number {
    return this.fg === THEME ? DEFAULT_PEN : this.fg;
  }

  private target(pen: number, paper: number): [number, number] {
    if (this.depth === 'none') return [THEME, THEME];
    return [pen === DEFAULT_PEN ? THEME : pen, paper === DEFAULT_PAPER ? THEME : paper];
  }

  private changes(pen: number, paper: number, style: number): boolean {
    const [fg, bg] = this.target(pen, paper);
    return fg !== this.fg || bg !== this.bg || style !== this.attr;
  }

  /** Emits the SGR that brings the terminal to these colours and style, only what changed. */
  private attrs(pen: number, paper: number, style: number): void {
    const [fg, bg] = this.target(pen, paper);
    const parts: string[] = [];
    if (fg !== this.fg)
      parts.push(fg === THEME ? '39' : sgrColor(fg, 'fg', this.depth as Exclude<ColorDepth, 'none'>));
    if (bg !== this.bg)
      parts.push(bg === THEME ? '49' : sgrColor(bg, 'bg', this.depth as Exclude<ColorDepth, 'none'>));
    for (const [bit, on, off] of STYLE_SGR) {
      if ((style & bit) !== (this.attr & bit)) parts.push(style & bit ? on : off);
    }
    this.fg = fg;
    this.bg = bg;
    this.attr = style;
    if (parts.length > 0) this.sgr(parts);
  }

  private sgr(parts: readonly string[]): void {
    this.pending += `${CSI}${parts.join(';')}m`;
  }
}
