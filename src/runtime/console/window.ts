/**
 * AOZ's text window as a model (aoz-facts §11.1): 80x25 cells of character + pen + paper, a
 * 0-based cursor, tab width 4, scrolling on. Both output modes drive this model, so X Curs,
 * Y Curs and a screen dump read the same thing whatever is attached to stdout. While it
 * interprets printed text it tells a `ScreenSink` what to show; the sink decides how.
 */
import { AozError } from '../../interpreter/errors.js';
import { displayIndex } from './palette.js';

/** What the window reports to an output device while it interprets printed text. */
export interface ScreenSink {
  /** Printable characters drawn at the cursor with these (displayed) colour indexes. */
  text(run: string, pen: number, paper: number): void;
  /** A tab (Print's `,`): the device expands it itself (pipes count columns on their own line). */
  tab(tabWidth: number, pen: number, paper: number): void;
  /** A new line ("\n"). */
  newline(): void;
  /** The cursor moved without printing (control characters, escape commands). */
  moved(x: number, y: number): void;
  /** The screen was cleared to this colour index and the cursor homed. */
  cls(color: number): void;
}

/** A sink that shows nothing: for updating the model alone. */
export const NULL_SINK: ScreenSink = {
  text() {},
  tab() {},
  newline() {},
  moved() {},
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

export class TextWindow {
  readonly width: number;
  readonly height: number;
  private readonly chars: string[];
  private readonly pens: Uint8Array;
  private readonly papers: Uint8Array;
  private x = 0;
  private y = 0;
  private penValue = 1;
  private paperValue = 0;
  private tab = 4;
  /** Scroll On (default) / Scroll Off: off sends the cursor back to row 0 past the bottom. */
  scrolling = true;
  /** An escape command may be split across Print calls (`Print Chr$(27);`), so the state persists. */
  private escape: EscapeState = { stage: 'none' };

  constructor(width = 80, height = 25) {
    this.width = width;
    this.height = height;
    const n = width * height;
    this.chars = new Array<string>(n).fill(' ');
    this.pens = new Uint8Array(n).fill(1);
    this.papers = new Uint8Array(n);
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

  set pen(n: number) {
    this.penValue = checkColor(n);
  }

  get paper(): number {
    return this.paperValue;
  }

  set paper(n: number) {
    this.paperValue = checkColor(n);
  }

  get tabWidth(): number {
    return this.tab;
  }

  /** Set Tab n: a negative width is an error (aoz-facts §11.3). */
  set tabWidth(n: number) {
    if (!Number.isFinite(n) || n < 0) throw illegal(n);
    this.tab = Math.floor(n);
  }

  /** Moves the cursor (Locate); out-of-window coordinates are an error (aoz-facts §11.3). */
  moveTo(x: number, y: number, sink: ScreenSink = NULL_SINK): void {
    const cx = Math.floor(x);
    const cy = Math.floor(y);
    if (!(cx >= 0 && cx < this.width)) throw illegal(x);
    if (!(cy >= 0 && cy < this.height)) throw illegal(y);
    this.x = cx;
    this.y = cy;
    sink.moved(cx, cy);
  }

  /** Cls: fill with colour `color` (not the paper, aoz-facts §11.3) and home the cursor. */
  cls(color = 0, sink: ScreenSink = NULL_SINK): void {
    const c = displayIndex(checkColor(color));
    this.chars.fill(' ');
    this.papers.fill(c);
    this.pens.fill(displayIndex(this.penValue));
    this.x = 0;
    this.y = 0;
    sink.cls(c);
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
  print(text: string, sink: ScreenSink = NULL_SINK): void {
    let run = '';
    const flush = (): void => {
      if (run !== '') {
        sink.text(run, displayIndex(this.penValue), displayIndex(this.paperValue));
        run = '';
      }
    };
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (this.escape.stage !== 'none') {
        // An abandoned escape command hands the offending character back to normal printing.
        if (!this.feedEscape(ch, code, flush, sink)) continue;
      }
      if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) {
        run += ch;
        this.put(ch);
        continue;
      }
      flush();
      this.control(code, sink);
    }
    flush();
  }

  /** Places one printable character and advances; wraps eagerly (§3.5: an exactly full line then "\n" leaves an empty line). */
  private put(ch: string): void {
    const i = this.y * this.width + this.x;
    this.chars[i] = ch;
    this.pens[i] = displayIndex(this.penValue);
    this.papers[i] = displayIndex(this.paperValue);
    this.x++;
    if (this.x >= this.width) {
      this.x = 0;
      this.lineDown();
    }
  }

  private control(code: number, sink: ScreenSink): void {
    switch (code) {
      case 0x0a: // "\n": Print's new line
        this.x = 0;
        this.lineDown();
        sink.newline();
        return;
      case 0x09:
        this.tabForward();
        sink.tab(this.tab, displayIndex(this.penValue), displayIndex(this.paperValue));
        return;
      case 0x08: // backspace
      case 0x1d: // CLeft$
        this.left();
        break;
      case 0x1c: // CRight$
        this.right();
        break;
      case 0x1e: // CUp$
        if (this.y > 0) this.y--;
        break;
      case 0x1f: // CDown$
        this.lineDown();
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
    sink.moved(this.x, this.y);
  }

  /**
   * Feeds one character to a pending escape command (`ESC` + two letters + optional number +
   * CR, aoz-facts §3.6). Returns true when the character was not part of it and must be
   * printed normally (the malformed command is dropped).
   */
  private feedEscape(ch: string, code: number, flush: () => void, sink: ScreenSink): boolean {
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
      this.runEscape(state.command.toUpperCase(), state.arg.trim(), sink);
      return false;
    }
    if (/[0-9+\- ]/.test(ch) && state.arg.length < MAX_ESCAPE_ARG) {
      this.escape = { stage: 'argument', command: state.command, arg: state.arg + ch };
      return false;
    }
    this.escape = { stage: 'none' };
    return true;
  }

  /** Unknown commands (Z1/Z2 zones, B1/B2 borders, ...) and bad arguments are ignored. */
  private runEscape(command: string, argText: string, sink: ScreenSink): void {
    const n = argText === '' ? Number.NaN : Number.parseInt(argText, 10);
    if (Number.isNaN(n)) return;
    switch (command) {
      case 'PE':
        if (n >= 0) this.penValue = n;
        return;
      case 'PA':
        if (n >= 0) this.paperValue = n;
        return;
      case 'MX':
        this.x = this.clampX(n);
        break;
      case 'MY':
        this.y = this.clampY(n);
        break;
      case 'DX':
        this.x = this.clampX(this.x + n);
        break;
      case 'DY':
        this.y = this.clampY(this.y + n);
        break;
      default:
        return;
    }
    sink.moved(this.x, this.y);
  }

  private clampX(x: number): number {
    return Math.max(0, Math.min(this.width - 1, x));
  }

  private clampY(y: number): number {
    return Math.max(0, Math.min(this.height - 1, y));
  }

  /** Tab: to the next multiple of the tab width, always at least one column (§3.3). */
  private tabForward(): void {
    const w = this.tab > 0 ? this.tab : 1;
    const next = (Math.floor(this.x / w) + 1) * w;
    if (next >= this.width) {
      this.x = 0;
      this.lineDown();
    } else {
      this.x = next;
    }
  }

  private left(): void {
    if (this.x > 0) {
      this.x--;
    } else if (this.y > 0) {
      this.y--;
      this.x = this.width - 1;
    }
  }

  private right(): void {
    this.x++;
    if (this.x >= this.width) {
      this.x = 0;
      this.lineDown();
    }
  }

  /** Down one row: past the bottom the window scrolls up (Scroll On) or the cursor goes to row 0. */
  private lineDown(): void {
    this.y++;
    if (this.y < this.height) return;
    if (this.scrolling) {
      this.scrollUp();
      this.y = this.height - 1;
    } else {
      this.y = 0;
    }
  }

  private scrollUp(): void {
    const w = this.width;
    const n = this.chars.length;
    this.chars.copyWithin(0, w);
    this.pens.copyWithin(0, w);
    this.papers.copyWithin(0, w);
    this.chars.fill(' ', n - w);
    this.pens.fill(displayIndex(this.penValue), n - w);
    this.papers.fill(displayIndex(this.paperValue), n - w);
  }
}
