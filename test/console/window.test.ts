import { describe, expect, it } from 'vitest';
import { AozError } from '../../src/interpreter/errors.js';
import { printLength, TextWindow } from '../../src/runtime/console/window.js';

const ESC = '\x1b';

describe('TextWindow', () => {
  it('starts as AOZ mode does: 80x25, cursor home, pen 1, paper 0, tab 4', () => {
    const w = new TextWindow();
    expect([w.width, w.height, w.cursorX, w.cursorY, w.pen, w.paper, w.tabWidth]).toEqual([
      80, 25, 0, 0, 1, 0, 4,
    ]);
    expect(w.screenLines()).toHaveLength(25);
    expect(w.screenLines().every((l) => l === '')).toBe(true);
  });

  it('places text and moves to column 0 of the next row on "\\n"', () => {
    const w = new TextWindow();
    w.print('Hello\nAOZ');
    expect(w.screenLines().slice(0, 3)).toEqual(['Hello', 'AOZ', '']);
    expect([w.cursorX, w.cursorY]).toEqual([3, 1]);
  });

  it('tabs to the next multiple of the tab width, at least one column', () => {
    const w = new TextWindow();
    w.print('A\t');
    expect(w.cursorX).toBe(4);
    w.print('BCD\t');
    expect(w.cursorX).toBe(8);
    w.tabWidth = 10;
    w.print('\t');
    expect(w.cursorX).toBe(10);
  });

  it('wraps at the right margin eagerly: a full line then "\\n" leaves an empty line', () => {
    const w = new TextWindow();
    w.print('x'.repeat(85));
    expect([w.cursorX, w.cursorY]).toEqual([5, 1]);
    w.print('\n');
    expect([w.cursorX, w.cursorY]).toEqual([0, 2]);
    const v = new TextWindow();
    v.print('y'.repeat(80));
    expect([v.cursorX, v.cursorY]).toEqual([0, 1]);
    v.print('\nz');
    expect(v.screenLines().slice(0, 3)).toEqual(['y'.repeat(80), '', 'z']);
  });

  it('scrolls up past the last row', () => {
    const w = new TextWindow();
    for (let i = 0; i < 30; i++) w.print(`line ${i}\n`);
    const lines = w.screenLines();
    expect(lines[0]).toBe('line 6');
    expect(lines[23]).toBe('line 29');
    expect(lines[24]).toBe('');
    expect([w.cursorX, w.cursorY]).toEqual([0, 24]);
  });

  it('with scrolling off, passing the bottom returns to row 0', () => {
    const w = new TextWindow();
    w.scrolling = false;
    w.print('\n'.repeat(25));
    expect(w.cursorY).toBe(0);
  });

  it('interprets the cursor control characters (aoz-facts §3.6)', () => {
    const w = new TextWindow();
    w.print('ABC\x08\x08');
    expect(w.cursorX).toBe(1);
    w.print('\x1c\x1c'); // right
    expect(w.cursorX).toBe(3);
    w.print('\x1d'); // left
    expect(w.cursorX).toBe(2);
    w.print('\x1f\x1f'); // down
    expect([w.cursorX, w.cursorY]).toEqual([2, 2]);
    w.print('\x1e'); // up
    expect(w.cursorY).toBe(1);
    w.print('\r');
    expect(w.cursorX).toBe(0);
    w.print('xy\x0c');
    expect([w.cursorX, w.cursorY]).toEqual([0, 0]);
  });

  it('reproduces the CLeft$ and CUp$ documentation examples', () => {
    const left = new TextWindow();
    left.print(`AO${String.fromCharCode(29)}Z`);
    expect(left.screenLines()[0]).toBe('AZ');
    const up = new TextWindow();
    up.print(`\nAO${String.fromCharCode(30)}Z`);
    expect(up.screenLines().slice(0, 2)).toEqual(['  Z', 'AO']);
  });

  it('left at column 0 goes to the end of the previous row; right past the margin wraps', () => {
    const w = new TextWindow();
    w.print('\n\x1d');
    expect([w.cursorX, w.cursorY]).toEqual([79, 0]);
    w.print('\x1c');
    expect([w.cursorX, w.cursorY]).toEqual([0, 1]);
  });

  it('runs escape commands: pen, paper, absolute and relative moves', () => {
    const w = new TextWindow();
    w.print(`${ESC}PE6\r${ESC}PA2\rR`);
    expect([w.pen, w.paper]).toEqual([6, 2]);
    expect([w.penAt(0, 0), w.paperAt(0, 0)]).toEqual([6, 2]);
    w.print(`${ESC}MX10\r${ESC}MY5\rX`);
    expect(w.charAt(10, 5)).toBe('X');
    w.print(`${ESC}DX-3\r${ESC}DY2\r`);
    expect([w.cursorX, w.cursorY]).toEqual([8, 7]);
  });

  it('keeps an escape command split across prints, and ignores unknown or malformed ones', () => {
    const w = new TextWindow();
    w.print(ESC);
    w.print('PE');
    w.print('3\r');
    expect(w.pen).toBe(3);
    w.print(`${ESC}Z1\r${ESC}B2\rok`);
    expect(w.screenLines()[0]).toBe('ok');
    w.print(`${ESC}PEx!`);
    expect(w.screenLines()[0]).toBe('okx!');
    expect(w.pen).toBe(3);
  });

  it('Cls fills with the given colour (default 0, not the paper) and homes', () => {
    const w = new TextWindow();
    w.paper = 5;
    w.print('text');
    w.cls();
    expect(w.screenLines()[0]).toBe('');
    expect([w.cursorX, w.cursorY, w.paperAt(3, 3)]).toEqual([0, 0, 0]);
    w.cls(7);
    expect(w.paperAt(79, 24)).toBe(7);
  });

  it('rejects negative colours with illegal_text_window_parameter, displays indexes modulo 32', () => {
    const w = new TextWindow();
    expect(() => {
      w.pen = -1;
    }).toThrowError(AozError);
    try {
      w.paper = -2;
    } catch (e) {
      expect((e as AozError).id).toBe('illegal_text_window_parameter');
      expect((e as AozError).args).toEqual([-2]);
    }
    expect(() => w.cls(-1)).toThrowError(AozError);
    w.pen = 38;
    expect(w.pen).toBe(6); // kept modulo 32, as AOZ's setPen does
    w.print('a');
    expect(w.penAt(0, 0)).toBe(6);
  });

  it('locate checks the window bounds', () => {
    const w = new TextWindow();
    w.locate(79, 24);
    expect([w.cursorX, w.cursorY]).toEqual([79, 24]);
    expect(() => w.locate(80, 0)).toThrowError(AozError);
  });
  it('moves like AOZ cMove: wraps at the margins, scrolls past the top and the bottom, computes huge moves', () => {
    const w = new TextWindow();
    w.print('top');
    w.cmove(-1, 0); // from (3,0): left
    expect([w.cursorX, w.cursorY]).toEqual([2, 0]);
    w.locate(0, 0);
    w.cmove(-1, 0); // past the top-left corner: the window scrolls down
    expect([w.cursorX, w.cursorY]).toEqual([79, 0]);
    expect(w.screenLines().slice(0, 2)).toEqual(['', 'top']);
    w.cmove(1e9, 0);
    expect(w.cursorY).toBe(24);
    expect(w.screenLines().every((l) => l === '')).toBe(true);
    w.scrolling = false; // Scroll Off does not stop cursor moves from scrolling
    w.locate(0, 24);
    w.print('x');
    w.cmove(0, 1);
    expect(w.screenLines()[23]).toBe('x');
  });

  it('counts the printed length without escape commands and control characters (Centre)', () => {
    expect(printLength(`${ESC}PE3\rAB\x1dC${ESC}MX4\r😀`)).toBe(4);
    expect(printLength(`${ESC}unterminated`)).toBe(12);
  });

  it('writes tabs as spaces in the paper colour', () => {
    const w = new TextWindow();
    w.print('ab');
    w.paper = 6;
    w.print('\t|');
    expect(w.screenLines()[0]).toBe('ab  |');
    expect([w.paperAt(1, 0), w.paperAt(2, 0), w.paperAt(3, 0)]).toEqual([0, 6, 6]);
  });
});
