/**
 * Text window instructions and functions (aoz-facts §11, control strings §3.6): colours and
 * styles, clearing, the cursor position and its moves, and the control strings that do the same
 * from inside printed text (At, Pen$, CMove$, CUp$...). The window model and its drawing live in
 * console/ (window.ts, terminal.ts); the entries here check arguments and call the console.
 */
import { AozError } from '../interpreter/errors.js';
import type { Arg, BuiltinEntry, InstructionEntry, Runtime } from '../interpreter/runtime-api.js';
import { CONSOLE, type Console, STYLE } from './console/index.js';
import { PALETTE_SIZE } from './console/palette.js';

const ESC = '\x1b';

function con(rt: Runtime): Console {
  return rt.service(CONSOLE);
}

/** A number argument that may be left out (`Locate ,5`). */
function opt(a: Arg): number | undefined {
  return a === undefined ? undefined : (a as number);
}

/** An escape command: ESC, two letters, the number, CR (aoz-facts §3.6). */
function command(letters: string, n: number): string {
  return `${ESC}${letters}${n}\r`;
}

/** Pen$ and Paper$: negative is an error, the index is given modulo 32 (R2 `pen$`). */
function colourCommand(letters: string, a: Arg): string {
  const n = Math.trunc(a as number);
  if (!(n >= 0)) throw new AozError('illegal_text_window_parameter', [n]);
  return command(letters, n % PALETTE_SIZE);
}

/** At's coordinates: truncated toward zero like AOZ's fp2Int, then checked against the window. */
function atCoordinate(a: Arg, size: number): number | undefined {
  if (a === undefined) return undefined;
  const n = Math.trunc(a as number) || 0;
  if (!(n >= 0 && n < size)) throw new AozError('illegal_text_window_parameter', [n]);
  return n;
}

function instruction(name: string, doc: string, run: (c: Console) => void): InstructionEntry {
  return {
    name,
    kind: 'instruction',
    params: [],
    doc,
    run(rt) {
      run(con(rt));
      return undefined;
    },
  };
}

/** Inverse, Under and Shade On/Off; On may take AOZ's width or intensity, which a terminal ignores. */
function styleEntries(word: string, bit: number, what: string, extra?: string): InstructionEntry[] {
  return [
    {
      name: `${word} On`,
      kind: 'instruction',
      params: extra ? [{ name: extra, type: 'number', optional: true }] : [],
      doc: `Print the text that follows ${what}.${extra ? ` The ${extra} is accepted and ignored.` : ''}`,
      run(rt) {
        con(rt).setStyle(bit, true);
        return undefined;
      },
    },
    instruction(`${word} Off`, `Stop printing ${what}.`, (c) => c.setStyle(bit, false)),
  ];
}

/** CUp, CDown, CLeft, CRight and their control characters CUp$... (aoz-facts §3.6). */
function cursorMove(word: string, dx: number, dy: number, code: number): BuiltinEntry[] {
  const dir = word.slice(1).toLowerCase();
  return [
    instruction(
      word,
      `Move the text cursor one ${dx === 0 ? 'row' : 'column'} ${dir}, wrapping at the margins and scrolling at the top and bottom.`,
      (c) => c.cmove(dx, dy),
    ),
    {
      name: `${word}$`,
      kind: 'function',
      returns: 'string',
      params: [],
      doc: `Chr$(${code}): printed, it moves the cursor ${dir} like ${word}.`,
      run: () => String.fromCharCode(code),
    },
  ];
}

export const textTable: readonly BuiltinEntry[] = [
  {
    name: 'Pen',
    kind: 'instruction',
    params: [{ name: 'index', type: 'number' }],
    doc: 'Set the colour of the text that follows (an index in the palette, modulo 32; AOZ default: 1, white).',
    run(rt, [n]) {
      rt.console.pen = Math.trunc(n as number);
      return undefined;
    },
  },
  {
    name: 'Pen',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The current pen colour index.',
    run: (rt) => rt.console.pen,
  },
  {
    name: 'Paper',
    kind: 'instruction',
    params: [{ name: 'index', type: 'number' }],
    doc: 'Set the background colour of the text that follows (modulo 32; AOZ default: 0, black).',
    run(rt, [n]) {
      rt.console.paper = Math.trunc(n as number);
      return undefined;
    },
  },
  {
    name: 'Paper',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The current paper colour index.',
    run: (rt) => rt.console.paper,
  },
  {
    name: 'Pen$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'index', type: 'number' }],
    doc: 'A control string that sets the pen colour when printed (ESC "PE" n CR).',
    run: (_rt, [n]) => colourCommand('PE', n),
  },
  {
    name: 'Paper$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'index', type: 'number' }],
    doc: 'A control string that sets the paper colour when printed (ESC "PA" n CR).',
    run: (_rt, [n]) => colourCommand('PA', n),
  },
  {
    name: 'Cls',
    kind: 'instruction',
    params: [{ name: 'colour', type: 'number', optional: true }],
    doc: 'Clear the screen to a colour (default 0, not the current paper) and home the cursor.',
    run(rt, [c]) {
      rt.console.cls(c === undefined ? 0 : Math.trunc(c as number));
      return undefined;
    },
  },
  {
    name: 'Clw',
    kind: 'instruction',
    params: [{ name: 'paper', type: 'number', optional: true }],
    doc: 'Clear the text window with the paper colour (given: it becomes the paper) and home the cursor.',
    run(rt, [p]) {
      con(rt).clw(p === undefined ? undefined : Math.trunc(p as number));
      return undefined;
    },
  },
  instruction('Home', 'Move the text cursor to the top left corner (0, 0).', (c) => c.home()),
  {
    name: 'Locate',
    kind: 'instruction',
    params: [
      { name: 'x', type: 'number', optional: true },
      { name: 'y', type: 'number', optional: true },
    ],
    syntax: 'Locate [x] , [y]',
    doc: 'Move the text cursor to column x, row y (0-based; either may be left out, as in Locate ,5).',
    run(rt, [x, y]) {
      con(rt).locate(opt(x), opt(y));
      return undefined;
    },
  },
  {
    name: 'At',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 'x', type: 'number', optional: true },
      { name: 'y', type: 'number', optional: true },
    ],
    doc: 'A control string that moves the cursor to column x, row y when printed (checked like Locate).',
    run(rt, [x, y]) {
      const c = con(rt);
      const cx = atCoordinate(x, c.width);
      const cy = atCoordinate(y, c.height);
      return (cx === undefined ? '' : command('MX', cx)) + (cy === undefined ? '' : command('MY', cy));
    },
  },
  {
    name: 'Centre',
    kind: 'instruction',
    params: [{ name: 'text', type: 'string' }],
    doc: 'Print a text centred on the cursor row (control strings do not count in its length), without a new line.',
    run(rt, [s]) {
      con(rt).centre(s as string);
      return undefined;
    },
  },
  ...cursorMove('CUp', 0, -1, 30),
  ...cursorMove('CDown', 0, 1, 31),
  ...cursorMove('CLeft', -1, 0, 29),
  ...cursorMove('CRight', 1, 0, 28),
  {
    name: 'CMove',
    kind: 'instruction',
    params: [
      { name: 'dx', type: 'number', optional: true },
      { name: 'dy', type: 'number', optional: true },
    ],
    syntax: 'CMove [dx] , [dy]',
    doc: 'Move the text cursor by dx columns and dy rows, wrapping at the margins and scrolling at the edges.',
    run(rt, [dx, dy]) {
      con(rt).cmove(opt(dx) ?? 0, opt(dy) ?? 0);
      return undefined;
    },
  },
  {
    name: 'CMove$',
    kind: 'function',
    returns: 'string',
    params: [
      { name: 'dx', type: 'number', optional: true },
      { name: 'dy', type: 'number', optional: true },
    ],
    doc: 'A control string that moves the cursor by dx, dy when printed (a zero component is left out).',
    run(_rt, [dx, dy]) {
      const x = Math.trunc(opt(dx) ?? 0) || 0;
      const y = Math.trunc(opt(dy) ?? 0) || 0;
      return (x === 0 ? '' : command('DX', x)) + (y === 0 ? '' : command('DY', y));
    },
  },
  {
    name: 'Tab$',
    kind: 'function',
    returns: 'string',
    params: [],
    doc: 'Chr$(9): printed, it moves the cursor to the next tab stop (see Set Tab).',
    run: () => '\t',
  },
  {
    name: 'Set Tab',
    kind: 'instruction',
    params: [{ name: 'width', type: 'number' }],
    doc: 'Set the distance between tab stops (default 4; negative is an error).',
    run(rt, [n]) {
      con(rt).tabWidth = n as number;
      return undefined;
    },
  },
  {
    name: 'X Curs',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The column of the text cursor (0-based).',
    run: (rt) => rt.console.cursorX,
  },
  {
    name: 'Y Curs',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The row of the text cursor (0-based).',
    run: (rt) => rt.console.cursorY,
  },
  instruction('Memorize X', 'Remember the column of the text cursor (for Remember X).', (c) =>
    c.memorize('x'),
  ),
  instruction('Memorize Y', 'Remember the row of the text cursor (for Remember Y).', (c) => c.memorize('y')),
  instruction('Remember X', 'Move the text cursor back to the column kept by Memorize X (0 if none).', (c) =>
    c.remember('x'),
  ),
  instruction('Remember Y', 'Move the text cursor back to the row kept by Memorize Y (0 if none).', (c) =>
    c.remember('y'),
  ),
  instruction('Curs On', 'Show the text cursor (in a terminal: the terminal cursor).', (c) =>
    c.setCursor(true),
  ),
  instruction('Curs Off', 'Hide the text cursor (in a terminal: the terminal cursor).', (c) =>
    c.setCursor(false),
  ),
  {
    name: 'Curs Pen',
    kind: 'instruction',
    params: [{ name: 'index', type: 'number' }],
    // A terminal draws its cursor in its own colour.
    doc: 'Set the colour of the text cursor: accepted and ignored (the terminal draws its cursor).',
    run: () => undefined,
  },
  {
    name: 'Set Curs',
    kind: 'instruction',
    params: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8'].map((name) => ({
      name,
      type: 'number' as const,
    })),
    syntax: 'Set Curs l1, l2, l3, l4, l5, l6, l7, l8',
    doc: 'Set the shape of the text cursor (8 rows of bits): accepted and ignored in a terminal.',
    run: () => undefined,
  },
  ...styleEntries('Inverse', STYLE.inverse, 'with pen and paper swapped'),
  ...styleEntries('Under', STYLE.under, 'underlined', 'width'),
  ...styleEntries('Shade', STYLE.shade, 'in a dimmed pen colour', 'intensity'),
  instruction('Scroll On', 'Printing past the last row scrolls the window up (the default).', (c) => {
    c.scrolling = true;
  }),
  instruction(
    'Scroll Off',
    'Printing past the last row goes back to the top row instead of scrolling.',
    (c) => {
      c.scrolling = false;
    },
  ),
  {
    name: 'CLine',
    kind: 'instruction',
    params: [{ name: 'count', type: 'number', optional: true }],
    doc: 'Clear the cursor row, or only count characters from the cursor; the cursor does not move.',
    run(rt, [n]) {
      con(rt).cline(opt(n));
      return undefined;
    },
  },
  {
    name: 'Win Width',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The width of the text window in characters (80).',
    run: (rt) => con(rt).width,
  },
  {
    name: 'Win Height',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The height of the text window in characters (25).',
    run: (rt) => con(rt).height,
  },
];
