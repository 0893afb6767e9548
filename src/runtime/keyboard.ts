/** Keyboard instructions and functions (aoz-facts §4). */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';

export const keyboardTable: readonly BuiltinEntry[] = [
  {
    name: 'Wait Key',
    kind: 'instruction',
    params: [],
    waits: true,
    doc: 'Wait until a key is pressed (a key pressed earlier and not yet read ends the wait at once).',
    run: (rt) => rt.console.waitKey(),
  },
  {
    name: 'Inkey$',
    kind: 'function',
    returns: 'string',
    params: [],
    doc: 'The key pressed since the last call, or "" when none: it never waits.',
    run: (rt) => rt.console.inkey(),
  },
];
