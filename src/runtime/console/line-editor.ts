/**
 * The terminal's Input line (aoz-facts §4.1): typed characters are echoed at the cursor,
 * Left/Right move, Backspace and Delete erase, Home/End jump; Return validates and prints no
 * newline (the interpreter's Input does). Redrawing uses relative cursor moves only, so it
 * works on a plain scrolling terminal.
 */
import type { Key } from './keys.js';

const left = (n: number): string => (n > 0 ? `\x1b[${n}D` : '');
const right = (n: number): string => (n > 0 ? `\x1b[${n}C` : '');

export class LineEditor {
  /** The line as code points, so that a non-BMP character is one column and one Backspace. */
  private chars: string[] = [];
  private cursor = 0;
  private doneFlag = false;

  constructor(private readonly output: (raw: string) => void) {}

  get done(): boolean {
    return this.doneFlag;
  }

  get text(): string {
    return this.chars.join('');
  }

  /** Handles one key; returns true when it validated the line. */
  key(key: Key): boolean {
    if (this.doneFlag) return true;
    if (key.type === 'char') {
      this.insert(key.char);
      return false;
    }
    if (key.type !== 'key') return false;
    switch (key.name) {
      case 'Return':
        this.doneFlag = true;
        // Leave the terminal cursor after the text, where the model puts it.
        this.write(right(this.chars.length - this.cursor));
        this.cursor = this.chars.length;
        return true;
      case 'Backspace':
        if (this.cursor > 0) {
          this.cursor--;
          this.erase(left(1));
        }
        return false;
      case 'Delete':
        if (this.cursor < this.chars.length) this.erase('');
        return false;
      case 'Left':
        if (this.cursor > 0) {
          this.cursor--;
          this.write(left(1));
        }
        return false;
      case 'Right':
        if (this.cursor < this.chars.length) {
          this.cursor++;
          this.write(right(1));
        }
        return false;
      case 'Home':
        this.write(left(this.cursor));
        this.cursor = 0;
        return false;
      case 'End':
        this.write(right(this.chars.length - this.cursor));
        this.cursor = this.chars.length;
        return false;
      default:
        return false; // Tab, Escape, Up/Down, function keys do nothing in a line
    }
  }

  private write(raw: string): void {
    if (raw !== '') this.output(raw);
  }

  /** Ends the line because input ended: what was typed counts. */
  finish(): void {
    this.doneFlag = true;
  }

  private insert(ch: string): void {
    this.chars.splice(this.cursor, 0, ch);
    this.cursor++;
    const tail = this.chars.slice(this.cursor);
    this.write(ch + tail.join('') + left(tail.length));
  }

  /** Removes the character under the cursor; `prefix` first moves the terminal cursor onto it. */
  private erase(prefix: string): void {
    this.chars.splice(this.cursor, 1);
    const tail = this.chars.slice(this.cursor);
    this.write(`${prefix}${tail.join('')} ${left(tail.length + 1)}`);
  }
}
