/**
 * AOZ's text window as a model (aoz-facts §11.1): 80x25 cells of character + pen + paper +
 * style, a 0-based cursor, tab width 4, scrolling on. Both output modes drive this model, so
 * X Curs, Y Curs and a screen dump read the same thing whatever is attached to stdout. While it
 * changes, it tells its `ScreenSink` what happened; the sink decides what to show.
 *
 * The cursor rules are AOZ's (R2 rtextwindow.js `cMove`, `locate`, `print`): cursor moves (CUp,
 * CDown, CLeft, CRight, CMove, the control characters 8 and 28-31, the DX/DY escape commands)
 * wrap at the margins and scroll the window when they pass the top or the bottom, whatever
 * Scroll On/Off says; printing past the last row scrolls up (Scroll On) or goes back to row 0
 * (Scroll Off). Locate and the MX/MY escape commands check the window bounds.
 */
import { AozError } from '../../interpreter/errors.js';
import { displayIndex, PALETTE_SIZE } from './palette.js';

/** Style bits of a cell and of the window's current writing (Inverse, Under, Shade On). */
export const STYLE = { inverse: 1, under: 2, shade: 4 } as const;

/**
 * What the window reports to an output device while it changes. Two audiences: a stream (a
 * pipe, a terminal before any cursor positioning) follows `text`/`tab`/`newline` and only needs
 * to know when something happened that a stream cannot show (`jump`); a full-screen renderer
 * follows `cells`/`scrolled`/`cls` and reads the cells back from the window.
 */
export interface ScreenSink {
  /** Printable characters drawn at the cursor with these (displayed) colour indexes and style. */
  text(run: string, pen: number, paper: number, style: number): void;
  /** A tab (Print's `,`): the device expands it itself (pipes count columns on their own line). */
  tab(tabWidth: number, pen: number, paper: number, style: number): void;
  /** A new line ("\n"). */
  newline(): void;
  /** Cells [x, x+n) of row y changed (printing, tabs, CLine). */
  cells(x: number, y: number, n: number): void;
  /** The content moved by dy rows (negative: up); the rows that appeared are blank. */
  scrolled(dy: number): void;
  /**
   * Something a stream cannot show: the cursor moved other than by printing (Locate, Home,
   * control characters, escape commands, Centre, Remember), CLine, a Scroll Off wrap to row 0.
   */
  jump(): void;
  /** The whole window was cleared to this colour index and the cursor homed (Cls, Clw). */
  cls(color: number): void;
}

/** A sink that shows nothing: for updating the model alone. */
export const NULL_SINK: ScreenSink = {
  text() {},
  tab() {},
  newline() {},
  cells() {},
  scrolled() {},
  jump() {},
  cls() {},
};

const ESC = 0x1b;
const CR = 0x0d;
/** An escape command's argument longer than this is not one: the sequence is dropped. */
const MAX_ESCAPE_ARG = 12;

type EscapeState =
  | { readonly stage: 'none' }
  | { readonly stage: 'letters'; readonly letters: string }
  | { readonly stage: 'argument'; readonly command: string; readonly arg: string };

function illegal(n: number): AozError {
  return new AozError('illegal_text_window_parameter', [n]);
}

/** Validates a Pen/Paper/Cls colour index: negative or not a number is an error (§11.2). */
function checkColor(n: number): number {
  if (!Number.isFinite(n) || n < 0) throw illegal(n);
  return Math.floor(n);
}

/** True for a character that prints (not a C0/C1 control character nor DEL). */
export function printable(code: number): boolean {
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0);
}

/**
 * The number of characters a text shows when printed: escape commands (ESC ... CR) and control
 * characters do not count (AOZ `getPrintLength`, used by Centre).
 */
export function printLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === ESC) {
      const end = text.indexOf('\r', i + 1);
      if (end >= 0) i = end;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue; // second half of a surrogate pair
    if (printable(c)) n++;
  }
  return n;
}

export class TextWindow {
  readonly width: number;
  readonly height: number;
  /** Where the window reports its changes (the console's output device). */
  sink: ScreenSink = NULL_SINK;
  private readonly chars: string[];
  private readonly pens: Uint8Array;
  private readonly papers: Uint8Array;
  private readonly styles: Uint8Array;
  private x = 0;
  private y = 0;
  private penValue = 1;
  private paperValue = 0;
  private tab = 4;
  /** Inverse/Under/Shade On: STYLE bits given to the characters printed from now on. */
  style = 0;
  /** Scroll On (default) / Scroll Off: off sends the cursor back to row 0 past the bottom. */
  scrolling = true;
  /** Memorize X / Memorize Y (AOZ starts them at 0). */
  memoryX = 0;
  memoryY = 0;
  /** An escape command may be split across Print calls (`Print Chr$(27);`), so the state persists. */
  private escape: EscapeState = { stage: 'none' };

  constructor(width = 80, height = 25) {
    this.width = width;
    this.height = height;
    const n = width * height;
    this.chars = new Array<string>(n).fill(' ');
    this.pens = new Uint8Array(n).fill(1);
    this.papers = new Uint8Array(n);
    this.styles = new Uint8Array(n);
  }

  get cursorX(): number {
    return this.x;
  }

  get cursorY(): number {
    return this.y;
  }

  get pen(): number {
    return this.penValue;
  }

  /** Pen n: negative is an error; the index is kept modulo the 32 colours (R2 `setPen`). */
  set pen(n: number) {
    this.penValue = checkColor(n) % PALETTE_SIZE;
  }

  get paper(): number {
    return this.paperValue;
  }

  set paper(n: number) {
    this.paperValue = checkColor(n) % PALETTE_SIZE;
  }

  get tabWidth(): number {
    return this.tab;
  }

  /**
   * Set Tab n: a negative width is an error (aoz-facts §11.3); so is one wider than the window,
   * whose tab would write more spaces than a line holds (AOZ would print millions of them).
   */
  set tabWidth(n: number) {
    if (!Number.isFinite(n) || n < 0 || n > this.width) throw illegal(n);
    this.tab = Math.floor(n);
  }

  /**
   * Locate: either coordinate may be left out; fractions are floored and a coordinate outside
   * the window is an error naming it (aoz-facts §11.3, R2 `locate`).
   */
  locate(x?: number, y?: number): void {
    const cx = x === undefined ? undefined : Math.floor(x);
    const cy = y === undefined ? undefined : Math.floor(y);
    if (cx !== undefined && !(cx >= 0 && cx < this.width)) throw illegal(cx);
    if (cy !== undefined && !(cy >= 0 && cy < this.height)) throw illegal(cy);
    if (cx !== undefined) this.x = cx;
    if (cy !== undefined) this.y = cy;
    this.sink.jump();
  }

  home(): void {
    this.x = 0;
    this.y = 0;
    this.sink.jump();
  }

  /** Cls: fill with colour `color` (not the paper, aoz-facts §11.3) and home the cursor. */
  cls(color = 0): void {
    this.clear(displayIndex(checkColor(color)));
  }

  /** Clw [paper]: the given paper becomes the current one; the window is cleared with it and homed. */
  clw(paper?: number): void {
    if (paper !== undefined) this.paper = paper;
    this.clear(this.paperValue);
  }

  /**
   * CMove dx, dy and the single-step cursor moves (AOZ `cMove`): components truncated toward
   * zero; horizontal moves wrap to the next or previous row, vertical ones and wraps scroll the
   * window when they pass the bottom or the top.
   */
  cmove(dx: number, dy: number): void {
    this.moveBy(Math.trunc(dx) || 0, Math.trunc(dy) || 0);
    this.sink.jump();
  }

  /**
   * Centre: column floor(width/2) - floor(length/2) of the current row, then prints the text
   * without a new line. A text wider than the window starts at column 0 (AOZ would start it
   * left of the window).
   */
  centre(text: string): void {
    this.x = Math.max(0, Math.floor(this.width / 2) - Math.floor(printLength(text) / 2));
    this.sink.jump();
    this.print(text);
  }

  /**
   * CLine: without n, clears the cursor's row; with n, n characters from the cursor (up to the
   * margin). Cleared cells take the current paper; the cursor does not move (AOZ `cLine`).
   */
  cline(n?: number): void {
    let from = 0;
    let count = this.width;
    if (n !== undefined) {
      from = this.x;
      count = Math.min(Math.trunc(n), this.width - this.x);
    }
    if (!(count > 0)) return;
    const pen = displayIndex(this.penValue);
    const paper = displayIndex(this.paperValue);
    for (let i = this.y * this.width + from, end = i + count; i < end; i++) {
      this.chars[i] = ' ';
      this.pens[i] = pen;
      this.papers[i] = paper;
      this.styles[i] = this.style;
    }
    this.sink.cells(from, this.y, count);
    this.sink.jump();
  }

  memorizeX(): void {
    this.memoryX = this.x;
  }

  memorizeY(): void {
    this.memoryY = this.y;
  }

  rememberX(): void {
    this.locate(this.memoryX, undefined);
  }

  rememberY(): void {
    this.locate(undefined, this.memoryY);
  }

  /** The character at a cell (a space when empty). */
  charAt(x: number, y: number): string {
    return this.chars[y * this.width + x]!;
  }

  penAt(x: number, y: number): number {
    return this.pens[y * this.width + x]!;
  }

  paperAt(x: number, y: number): number {
    return this.papers[y * this.width + x]!;
  }

  styleAt(x: number, y: number): number {
    return this.styles[y * this.width + x]!;
  }

  /** The 25 rows as text, trailing spaces trimmed. */
  screenLines(): string[] {
    const lines: string[] = [];
    for (let y = 0; y < this.height; y++) {
      const start = y * this.width;
      lines.push(
        this.chars
          .slice(start, start + this.width)
          .join('')
          .trimEnd(),
      );
    }
    return lines;
  }

  /**
   * Print: printable characters go to the cursor and advance it (wrapping at the right margin,
   * scrolling past the bottom); control characters as in aoz-facts §3.6.
   * "\n" is Print's new line (column 0 of the next row): the ConsoleDevice contract uses it for
   * that, so it cannot also be Chr$(10)'s "down keeping the column" (use CDown$ = Chr$(31)).
   */
  print(text: string): void {
    const sink = this.sink;
    let run = '';
    const flush = (): void => {
      if (run !== '') {
        sink.text(run, displayIndex(this.penValue), displayIndex(this.paperValue), this.style);
        run = '';
      }
    };
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (this.escape.stage !== 'none') {
        // An abandoned escape command hands the offending character back to normal printing.
        if (!this.feedEscape(ch, code, flush)) continue;
      }
      if (printable(code)) {
        run += ch;
        this.put(ch);
        continue;
      }
      flush();
      this.control(code);
    }
    flush();
  }

  /** Places one printable character and advances; wraps eagerly (§3.5: an exactly full line then "\n" leaves an empty line). */
  private put(ch: string): void {
    const i = this.y * this.width + this.x;
    this.chars[i] = ch;
    this.pens[i] = displayIndex(this.penValue);
    this.papers[i] = displayIndex(this.paperValue);
    this.styles[i] = this.style;
    this.sink.cells(this.x, this.y, 1);
    this.x++;
    if (this.x >= this.width) {
      this.x = 0;
      this.lineDown();
    }
  }

  private control(code: number): void {
    switch (code) {
      case 0x0a: // "\n": Print's new line
        this.x = 0;
        this.lineDown();
        this.sink.newline();
        return;
      case 0x09: {
        // AOZ writes spaces up to the next tab stop (they take the paper colour).
        const w = this.tab > 0 ? this.tab : 1;
        const spaces = w - (this.x % w);
        for (let i = 0; i < spaces; i++) this.put(' ');
        this.sink.tab(this.tab, displayIndex(this.penValue), displayIndex(this.paperValue), this.style);
        return;
      }
      case 0x08: // backspace
      case 0x1d: // CLeft$
        this.moveBy(-1, 0);
        break;
      case 0x1c: // CRight$
        this.moveBy(1, 0);
        break;
      case 0x1e: // CUp$
        this.moveBy(0, -1);
        break;
      case 0x1f: // CDown$
        this.moveBy(0, 1);
        break;
      case 0x0c: // home
        this.x = 0;
        this.y = 0;
        break;
      case CR:
        this.x = 0;
        break;
      case ESC:
        this.escape = { stage: 'letters', letters: '' };
        return;
      default:
        return; // other control characters are ignored
    }
    this.sink.jump();
  }

  /**
   * Feeds one character to a pending escape command (`ESC` + two letters + optional number +
   * CR, aoz-facts §3.6). Returns true when the character was not part of it and must be
   * printed normally (the malformed command is dropped).
   */
  private feedEscape(ch: string, code: number, flush: () => void): boolean {
    const state = this.escape;
    if (state.stage === 'letters') {
      if (code < 0x20) {
        this.escape = { stage: 'none' };
        return true;
      }
      const letters = state.letters + ch;
      this.escape =
        letters.length < 2 ? { stage: 'letters', letters } : { stage: 'argument', command: letters, arg: '' };
      return false;
    }
    if (state.stage !== 'argument') return true;
    if (code === CR) {
      this.escape = { stage: 'none' };
      flush();
      this.runEscape(state.command.toUpperCase(), state.arg.trim());
      return false;
    }
    if (/[0-9+\- ]/.test(ch) && state.arg.length < MAX_ESCAPE_ARG) {
      this.escape = { stage: 'argument', command: state.command, arg: state.arg + ch };
      return false;
    }
    this.escape = { stage: 'none' };
    return true;
  }

  /**
   * PE/PA set the pen/paper and MX/MY locate, with the checks of Pen, Paper and Locate (a bad
   * value is an error, as in AOZ); DX/DY move like CMove. Unknown commands (Z1/Z2 zones, B1/B2
   * borders, ...) and missing arguments are ignored.
   */
  private runEscape(command: string, argText: string): void {
    const n = argText === '' ? Number.NaN : Number.parseInt(argText, 10);
    if (Number.isNaN(n)) return;
    switch (command) {
      case 'PE':
        this.pen = n;
        return;
      case 'PA':
        this.paper = n;
        return;
      case 'MX':
        this.locate(n, undefined);
        return;
      case 'MY':
        this.locate(undefined, n);
        return;
      case 'DX':
        this.cmove(n, 0);
        return;
      case 'DY':
        this.cmove(0, n);
        return;
      default:
        return;
    }
  }

  private clear(paper: number): void {
    this.chars.fill(' ');
    this.papers.fill(paper);
    this.pens.fill(displayIndex(this.penValue));
    this.styles.fill(0);
    this.x = 0;
    this.y = 0;
    this.sink.cls(paper);
  }

  /** AOZ's cMove, computed rather than stepped (a huge CMove must not loop for ever). */
  private moveBy(dx: number, dy: number): void {
    if (dx !== 0) {
      const total = this.x + dx;
      const rows = Math.floor(total / this.width);
      this.x = total - rows * this.width;
      this.moveRows(rows);
    }
    if (dy !== 0) this.moveRows(dy);
  }

  /** Moves the cursor `n` rows down (negative: up), scrolling the window past either edge. */
  private moveRows(n: number): void {
    const target = this.y + n;
    if (target >= this.height) {
      this.scroll(-(target - (this.height - 1)));
      this.y = this.height - 1;
    } else if (target < 0) {
      this.scroll(-target);
      this.y = 0;
    } else {
      this.y = target;
    }
  }

  /** Down one row after printing: past the bottom the window scrolls up (Scroll On) or the cursor goes to row 0. */
  private lineDown(): void {
    this.y++;
    if (this.y < this.height) return;
    if (this.scrolling) {
      this.scroll(-1);
      this.y = this.height - 1;
    } else {
      this.y = 0;
      this.sink.jump();
    }
  }

  /** Moves the content by dy rows (negative: up); the new rows are blank with the current paper. */
  private scroll(dy: number): void {
    const w = this.width;
    const n = this.chars.length;
    const rows = Math.min(Math.abs(dy), this.height);
    const shift = rows * w;
    if (dy < 0) {
      this.chars.copyWithin(0, shift);
      this.pens.copyWithin(0, shift);
      this.papers.copyWithin(0, shift);
      this.styles.copyWithin(0, shift);
      this.blank(n - shift, n);
    } else {
      this.chars.copyWithin(shift, 0, n - shift);
      this.pens.copyWithin(shift, 0, n - shift);
      this.papers.copyWithin(shift, 0, n - shift);
      this.styles.copyWithin(shift, 0, n - shift);
      this.blank(0, shift);
    }
    this.sink.scrolled(dy < 0 ? -rows : rows);
  }

  private blank(from: number, to: number): void {
    this.chars.fill(' ', from, to);
    this.pens.fill(displayIndex(this.penValue), from, to);
    this.papers.fill(displayIndex(this.paperValue), from, to);
    this.styles.fill(0, from, to);
  }
}
