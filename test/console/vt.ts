/**
 * A small VT100/xterm emulator for the sequences the terminal sink emits, so tests can check
 * what a terminal would show rather than the exact bytes: printable characters (with xterm's
 * pending wrap at the last column), CR, LF (as CR LF: raw mode keeps ONLCR), BS, CUP, CUU/CUD/
 * CUF/CUB, ED 2, EL 0, DECSTBM, IND, RI, SGR (7 inverse and 4 underline are recorded), DECTCEM.
 * Anything else throws, so a test notices an unexpected sequence.
 */
export class Vt {
  readonly cells: string[][];
  readonly inverse: boolean[][];
  readonly under: boolean[][];
  x = 0;
  y = 0;
  cursorVisible = true;
  private wrapPending = false;
  private top = 0;
  private bottom: number;
  private sgrInverse = false;
  private sgrUnder = false;

  constructor(
    readonly cols = 80,
    readonly rows = 25,
  ) {
    this.cells = Array.from({ length: rows }, () => new Array<string>(cols).fill(' '));
    this.inverse = Array.from({ length: rows }, () => new Array<boolean>(cols).fill(false));
    this.under = Array.from({ length: rows }, () => new Array<boolean>(cols).fill(false));
    this.bottom = rows - 1;
  }

  /** The rows as text, trailing spaces trimmed. */
  lines(): string[] {
    return this.cells.map((r) => r.join('').trimEnd());
  }

  write(data: string): this {
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        i = this.escape(data, i);
        continue;
      }
      i++;
      if (ch === '\r') {
        this.x = 0;
        this.wrapPending = false;
      } else if (ch === '\n') {
        this.x = 0;
        this.index();
      } else if (ch === '\b') {
        if (this.x > 0) this.x--;
        this.wrapPending = false;
      } else if (ch.charCodeAt(0) >= 0x20) {
        this.put(ch);
      } else {
        throw new Error(`unexpected control character ${ch.charCodeAt(0)}`);
      }
    }
    return this;
  }

  private put(ch: string): void {
    if (this.wrapPending) {
      this.x = 0;
      this.index();
      this.wrapPending = false;
    }
    this.cells[this.y]![this.x] = ch;
    this.inverse[this.y]![this.x] = this.sgrInverse;
    this.under[this.y]![this.x] = this.sgrUnder;
    if (this.x === this.cols - 1) this.wrapPending = true;
    else this.x++;
  }

  /** Down one line, scrolling the region when at its bottom. */
  private index(): void {
    this.wrapPending = false;
    if (this.y === this.bottom) this.scrollUp();
    else if (this.y < this.rows - 1) this.y++;
  }

  private reverseIndex(): void {
    this.wrapPending = false;
    if (this.y === this.top) this.scrollDown();
    else if (this.y > 0) this.y--;
  }

  private blankRow(): { c: string[]; i: boolean[]; u: boolean[] } {
    return {
      c: new Array<string>(this.cols).fill(' '),
      i: new Array<boolean>(this.cols).fill(false),
      u: new Array<boolean>(this.cols).fill(false),
    };
  }

  private scrollUp(): void {
    const b = this.blankRow();
    this.cells.splice(this.top, 1);
    this.cells.splice(this.bottom, 0, b.c);
    this.inverse.splice(this.top, 1);
    this.inverse.splice(this.bottom, 0, b.i);
    this.under.splice(this.top, 1);
    this.under.splice(this.bottom, 0, b.u);
  }

  private scrollDown(): void {
    const b = this.blankRow();
    this.cells.splice(this.bottom, 1);
    this.cells.splice(this.top, 0, b.c);
    this.inverse.splice(this.bottom, 1);
    this.inverse.splice(this.top, 0, b.i);
    this.under.splice(this.bottom, 1);
    this.under.splice(this.top, 0, b.u);
  }

  private escape(s: string, i: number): number {
    const next = s[i + 1];
    if (next === 'D') {
      this.index();
      return i + 2;
    }
    if (next === 'M') {
      this.reverseIndex();
      return i + 2;
    }
    if (next !== '[') throw new Error(`unexpected escape ${JSON.stringify(s.slice(i, i + 4))}`);
    const m = /^\[(\??)([0-9;]*)([A-Za-z])/.exec(s.slice(i + 1));
    if (!m) throw new Error(`bad CSI ${JSON.stringify(s.slice(i, i + 12))}`);
    const [all, priv, params, final] = m as unknown as [string, string, string, string];
    const nums = params === '' ? [] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
    const n = (k: number, d: number): number => (nums[k] === undefined || nums[k] === 0 ? d : nums[k]!);
    this.wrapPending = false;
    if (priv === '?') {
      if (params === '25' && (final === 'h' || final === 'l')) this.cursorVisible = final === 'h';
      else throw new Error(`unexpected private mode ${params}${final}`);
      return i + 1 + all.length;
    }
    switch (final) {
      case 'H':
        this.y = Math.min(n(0, 1), this.rows) - 1;
        this.x = Math.min(n(1, 1), this.cols) - 1;
        break;
      case 'A':
        this.y = Math.max(0, this.y - n(0, 1));
        break;
      case 'B':
        this.y = Math.min(this.rows - 1, this.y + n(0, 1));
        break;
      case 'C':
        this.x = Math.min(this.cols - 1, this.x + n(0, 1));
        break;
      case 'D':
        this.x = Math.max(0, this.x - n(0, 1));
        break;
      case 'J':
        if (n(0, 0) !== 2) throw new Error('only ED 2 is expected');
        for (let y = 0; y < this.rows; y++) {
          const b = this.blankRow();
          this.cells[y] = b.c;
          this.inverse[y] = b.i;
          this.under[y] = b.u;
        }
        break;
      case 'K':
        for (let x = this.x; x < this.cols; x++) {
          this.cells[this.y]![x] = ' ';
          this.inverse[this.y]![x] = false;
          this.under[this.y]![x] = false;
        }
        break;
      case 'r':
        this.top = n(0, 1) - 1;
        this.bottom = n(1, this.rows) - 1;
        this.x = 0;
        this.y = 0;
        break;
      case 'm':
        this.sgr(nums.length === 0 ? [0] : nums);
        break;
      default:
        throw new Error(`unexpected CSI ${final}`);
    }
    return i + 1 + all.length;
  }

  private sgr(nums: readonly number[]): void {
    for (let k = 0; k < nums.length; k++) {
      const p = nums[k]!;
      if (p === 38 || p === 48) {
        k += nums[k + 1] === 2 ? 4 : 2; // colour parameters
        continue;
      }
      if (p === 0) {
        this.sgrInverse = false;
        this.sgrUnder = false;
      } else if (p === 7) this.sgrInverse = true;
      else if (p === 27) this.sgrInverse = false;
      else if (p === 4) this.sgrUnder = true;
      else if (p === 24) this.sgrUnder = false;
    }
  }
}
