/** The text window family (aoz-facts §11, control strings §3.6), through real programs. */
import { describe, expect, it } from 'vitest';
import { STYLE } from '../../src/runtime/console/index.js';
import { outputOf, runProgram } from '../helpers/run.js';
import { runScreen } from './text-helpers.js';

const ESC = '\x1b';

/** Stops with "Illegal text window parameter: <value>" (exit 1). */
async function illegal(src: string, value: string): Promise<void> {
  const r = await runProgram(src);
  expect(r.exit).toBe(1);
  expect(r.stderr.split('\n')[0]).toMatch(
    new RegExp(`^Error: Illegal text window parameter: ${value} at line`),
  );
}

describe('Locate, Home, X Curs, Y Curs', () => {
  it('moves the cursor (0-based); either coordinate may be left out', async () => {
    expect(
      await outputOf(
        'Locate 10,5 : Print X Curs;Y Curs\nLocate ,7 : Print X Curs;Y Curs\nLocate 3, : Print X Curs;Y Curs',
      ),
    ).toBe(' 10 5\n 0 7\n 3 8\n');
  });

  it('floors fractions', async () => {
    expect(await outputOf('Locate 1.7, 2.9 : Print X Curs; Y Curs')).toBe(' 1 2\n');
  });

  it('places text where it says, and Home goes back to (0, 0)', async () => {
    const s = await runScreen('Locate 0,20 : Print "low"; : Home : Print "Top"');
    expect(s.lines[20]).toBe('low');
    expect(s.lines[0]).toBe('Top');
    expect(s.cursor).toEqual([0, 1]);
    expect(s.stdout).toBe('lowTop\n'); // a pipe shows only what was printed
  });

  it('rejects a coordinate outside the window, naming the (floored) value', async () => {
    await illegal('Locate 80,0', '80');
    await illegal('Locate 0,25', '25');
    await illegal('Locate ,-1', '-1');
    await illegal('Locate -0.5,0', '-1');
    expect(await outputOf('Locate 79.9,24.9 : Print X Curs;')).toBe(' 79');
  });
});

describe('control strings', () => {
  it('CUp$, CDown$, CLeft$, CRight$ and Tab$ are single control characters', async () => {
    expect(
      await outputOf('Print Asc(CUp$);Asc(CDown$);Asc(CLeft$);Asc(CRight$);Asc(Tab$);Len(CUp$+CDown$)'),
    ).toBe(' 30 31 29 28 9 2\n');
  });

  it('move the cursor when printed: left overwrites, up and down keep the column', async () => {
    const s = await runScreen('Print "AB"+CLeft$+"Z"\nPrint "CD"+CDown$+"E"\nPrint "FG"+CUp$+CUp$+CUp$+"H"');
    expect(s.lines.slice(0, 5)).toEqual(['AZH', 'CD', '  E', 'FG', '']);
  });

  it('At returns ESC "MX" x CR ESC "MY" y CR; printed, it positions the cursor', async () => {
    expect(await outputOf('A$=At(5,12) : Print Len(A$); Asc(A$); Mid$(A$,2,3); Asc(Right$(A$,1))')).toBe(
      ' 11 27MX5 13\n',
    );
    const s = await runScreen('Print "x"+At(10,3)+"there"+At(2,1)+"here"');
    expect(s.lines.slice(0, 4)).toEqual(['x', '  here', '', '          there']);
    expect(s.stdout).toBe('xtherehere\n');
  });

  it('At checks the window like Locate, and leaves out an omitted coordinate', async () => {
    await illegal('A$=At(80,0)', '80');
    await illegal('A$=At(0,25)', '25');
    expect(await outputOf('Print Len(At(,3)); Len(At(4,))')).toBe(' 5 5\n');
  });

  it('CMove$ leaves out zero components', async () => {
    expect(
      await outputOf('Print Len(CMove$(0,0)); Len(CMove$(3,0)); Len(CMove$(-2,-1)); Mid$(CMove$(-2,0),2,4)'),
    ).toBe(' 0 5 12DX-2\n');
    const s = await runScreen('Locate 5,5 : Print CMove$(3,-2)+"up right"');
    expect(s.lines[3]).toBe('        up right');
  });

  it('Pen$ and Paper$ set colours when printed; the index is kept modulo 32', async () => {
    expect(
      await outputOf('Print Pen$(3)=Chr$(27)+"PE3"+Chr$(13); Len(Paper$(40)); Mid$(Paper$(40),2,3)'),
    ).toBe(' 1 5PA8\n');
    // Pen is evaluated before the Print shows anything (§3.1), so it is read by the next Print.
    expect(await outputOf('Print Pen$(6)+"red"; : Print Pen : Print Paper$(2)+"grey"; : Print Paper')).toBe(
      'red 6\ngrey 2\n',
    );
    const s = await runScreen('Print "a"+Pen$(11)+"b"');
    expect([s.console.window.penAt(0, 0), s.console.window.penAt(1, 0)]).toEqual([1, 11]);
    await illegal('A$=Pen$(-1)', '-1');
    await illegal('A$=Paper$(-3)', '-3');
  });

  it('control strings count in Len but not where Centre puts the text', async () => {
    const s = await runScreen('Centre Pen$(2)+"ABCD"+Pen$(1)');
    expect(s.lines[0]).toBe(`${' '.repeat(38)}ABCD`);
  });
});

describe('cursor moves', () => {
  it('CUp, CDown, CLeft, CRight and CMove move from where the cursor is', async () => {
    expect(
      await outputOf(
        'Locate 5,5 : CUp : CLeft : Print X Curs;Y Curs;\nLocate 5,5 : CDown : CRight : CMove 2,-3 : Print X Curs;Y Curs;',
      ),
    ).toBe(' 4 4 8 3');
  });

  it('CMove takes either component alone', async () => {
    expect(
      await outputOf('Locate 5,5 : CMove ,2 : A=X Curs : B=Y Curs : CMove 3, : Print A;B;X Curs;Y Curs;'),
    ).toBe(' 5 7 8 7');
  });

  it('wraps horizontally to the next or previous row', async () => {
    expect(
      await outputOf('Locate 79,3 : CRight : A=X Curs : B=Y Curs : CLeft : Print A;B;X Curs;Y Curs;'),
    ).toBe(' 0 4 79 3');
    expect(await outputOf('Locate 0,0 : CMove 165,0 : Print X Curs;Y Curs;')).toBe(' 5 2');
  });

  it('scrolls the window when moving past the bottom or the top (AOZ cMove)', async () => {
    const down = await runScreen('Print "first" : Locate 0,24 : CDown : Print X Curs;Y Curs;');
    expect(down.lines[0]).toBe('');
    expect(down.lines[23]).toBe('');
    expect(down.lines[24]).toBe(' 0 24');
    const up = await runScreen('Print "first" : Home : CUp : Print "new top"');
    expect(up.lines.slice(0, 2)).toEqual(['new top', 'first']);
  });
});

describe('Centre', () => {
  it('starts at floor(80/2) - floor(length/2) on the cursor row, without a new line', async () => {
    const s = await runScreen('Locate 0,1 : Centre "ABOVE" : Print X Curs : CMove ,2 : Centre "suspicion"');
    expect(s.lines[1]).toBe(`${' '.repeat(38)}ABOVE 43`);
    expect(s.lines[4]).toBe(`${' '.repeat(36)}suspicion`);
  });

  it('starts a text wider than the window at column 0', async () => {
    const s = await runScreen(`Centre String$("x", 90)`);
    expect(s.lines[0]).toBe('x'.repeat(80));
    expect(s.lines[1]).toBe('x'.repeat(10));
  });
});

describe('Set Tab, Tab$', () => {
  it('changes the distance between tab stops', async () => {
    expect(await outputOf('Set Tab 10 : Print "a","b" : Print "c"+Tab$+"d"')).toBe(
      'a         b\nc         d\n',
    );
  });

  it('rejects a negative width, and one wider than the window', async () => {
    await illegal('Set Tab -1', '-1');
    await illegal('Set Tab 81', '81');
    expect(await outputOf('Set Tab 80 : Print "a","b"')).toBe(`a${' '.repeat(79)}b\n`);
  });
});

describe('Memorize and Remember', () => {
  it('remember the column and the row separately (0 when never memorized)', async () => {
    expect(
      await outputOf(
        'Locate 7,3 : Memorize X : Memorize Y : Locate 20,10 : Remember X : A=X Curs : B=Y Curs\nLocate 50,20 : Remember Y : Print A;B;X Curs;Y Curs;',
      ),
    ).toBe(' 7 10 50 3');
    expect(await outputOf('Locate 9,9 : Remember X : Remember Y : Print X Curs;Y Curs;')).toBe(' 0 0');
  });
});

describe('CLine', () => {
  it('clears the cursor row, or n characters from the cursor, without moving the cursor', async () => {
    const s = await runScreen(
      'Print "Testing Testing Testing"; : CMove -7, : CLine 4 : A=X Curs : Locate 0,1 : Print A',
    );
    expect(s.lines.slice(0, 2)).toEqual(['Testing Testing     ing', ' 16']);
    const all = await runScreen('Print "gone"; : CLine : Print "|"');
    expect(all.lines[0]).toBe('    |');
  });

  it('stops at the right margin', async () => {
    const s = await runScreen('Print String$("x",80); : Locate 75,0 : CLine 100 : Print X Curs');
    expect(s.lines[0]).toBe(`${'x'.repeat(75)} 75`);
  });
});

describe('Scroll On / Scroll Off', () => {
  it('Scroll Off sends printing past the last row back to row 0', async () => {
    const s = await runScreen('Scroll Off : Locate 0,24 : Print "last" : Print "wrapped"; : Scroll On');
    expect(s.lines[24]).toBe('last');
    expect(s.lines[0]).toBe('wrapped');
  });

  it('Scroll On (the default) scrolls the window up', async () => {
    const s = await runScreen('Locate 0,24 : Print "last" : Print "next";');
    expect(s.lines.slice(23)).toEqual(['last', 'next']);
  });
});

describe('Cls, Clw, Win Width, Win Height', () => {
  it('Clw clears with the paper it is given, which becomes the paper', async () => {
    const s = await runScreen('Print "x" : Clw 3 : Print Paper; X Curs; Y Curs');
    expect(s.lines[0]).toBe(' 3 0 0');
    expect(s.console.window.paperAt(50, 20)).toBe(3);
    const c = await runScreen('Paper 5 : Clw : Print "y"');
    expect(c.console.window.paperAt(79, 24)).toBe(5);
  });

  it('the window is 80 x 25', async () => {
    expect(await outputOf('Print Win Width; Win Height')).toBe(' 80 25\n');
  });
});

describe('styles and the cursor', () => {
  it('Inverse, Under and Shade mark the characters printed while they are on', async () => {
    const s = await runScreen(
      'Inverse On : Print "I"; : Inverse Off : Under On : Print "U"; : Under Off : Shade On 30 : Print "S"; : Shade Off : Print "n"',
    );
    const w = s.console.window;
    expect([w.styleAt(0, 0), w.styleAt(1, 0), w.styleAt(2, 0), w.styleAt(3, 0)]).toEqual([
      STYLE.inverse,
      STYLE.under,
      STYLE.shade,
      0,
    ]);
    expect(s.stdout).toBe('IUSn\n');
  });

  it('Curs On/Off, styles and positioning never put an escape sequence in a pipe', async () => {
    const r = await outputOf(
      'Curs Off : Inverse On : Under On 2 : Locate 3,3 : Centre "c" : Print At(1,1)+Pen$(4)+"a"+CMove$(1,1)+"b" : CLine : Curs On',
    );
    expect(r).toBe('cab\n');
    expect(r.includes(ESC)).toBe(false);
  });
});

describe('Pen and Paper', () => {
  it('keep the index modulo 32 and reject negatives (aoz-facts §11.2)', async () => {
    expect(await outputOf('Pen 33 : Paper 64 : Print Pen; Paper')).toBe(' 1 0\n');
    await illegal('Pen -1', '-1');
  });
});

describe('cursor shape and colour', () => {
  it('accepts Curs Pen and Set Curs (a terminal draws its own cursor)', async () => {
    const r = await runProgram('Curs Pen 2\nSet Curs 1, 2, 3, 4, 5, 6, 7, 8\nPrint "ok"');
    expect([r.stdout, r.stderr, r.exit]).toEqual(['ok\n', '', 0]);
  });
});
