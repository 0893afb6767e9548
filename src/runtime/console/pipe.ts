/**
 * Pipe output (DESIGN §6): what was printed, as plain text, in order. Never an escape sequence;
 * tabs become spaces counted on the output line; no wrapping at the right margin; cursor
 * movements, Cls, CLine, scrolling and styles only change the model.
 */
import type { ScreenSink } from './window.js';

export class PipeSink implements ScreenSink {
  /** Column on the current output line, in code points (tabs are counted from it). */
  protected column = 0;
  /** Output of the current Print, written in one piece by flush(). */
  protected pending = '';
  /** When set, columns advance but nothing is written (text already shown by a line editor). */
  private muted = false;

  constructor(protected readonly out: NodeJS.WritableStream) {}

  text(run: string, _pen: number, _paper: number, _style: number): void {
    let n = 0;
    for (const _ of run) n++;
    this.column += n;
    if (!this.muted) this.pending += run;
  }

  tab(tabWidth: number, _pen: number, _paper: number, _style: number): void {
    const w = tabWidth > 0 ? tabWidth : 1;
    const spaces = w - (this.column % w);
    this.column += spaces;
    if (!this.muted) this.pending += ' '.repeat(spaces);
  }

  newline(): void {
    this.column = 0;
    if (!this.muted) this.pending += '\n';
  }

  cells(_x: number, _y: number, _n: number): void {}

  scrolled(_dy: number): void {}

  jump(): void {}

  cls(_color: number): void {}

  /** Writes what the current Print produced. */
  flush(): void {
    if (this.pending !== '') {
      this.out.write(this.pending);
      this.pending = '';
    }
  }

  /** Runs `fn` with output suppressed: columns still advance. */
  silently(fn: () => void): void {
    this.muted = true;
    try {
      fn();
    } finally {
      this.muted = false;
    }
  }

  /** Restores the device (nothing to do for a pipe). */
  close(): void {
    this.flush();
  }
}
