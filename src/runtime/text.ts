/** Text window instructions (aoz-facts §11): colours, clearing, the cursor position. */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';

export const textTable: readonly BuiltinEntry[] = [
  {
    name: 'Pen',
    kind: 'instruction',
    params: [{ name: 'index', type: 'number' }],
    doc: 'Set the colour of the text that follows (an index in the palette; AOZ default: 1, white).',
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
    doc: 'Set the background colour of the text that follows (AOZ default: 0, black).',
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
];
