/**
 * Keyboard instructions and functions (aoz-facts §4). How keys are read, and what "held" means
 * where there are no key-up events (pipes, terminals), is the console's business: see the top
 * of console/keyboard.ts.
 */
import { AozError } from '../interpreter/errors.js';
import type { BuiltinEntry, Runtime } from '../interpreter/runtime-api.js';
import { FALSE, TRUE } from '../interpreter/values.js';
import { CONSOLE, type Console } from './console/index.js';

function con(rt: Runtime): Console {
  return rt.service(CONSOLE);
}

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
    name: 'Wait Input',
    kind: 'instruction',
    params: [],
    waits: true,
    // A key, a mouse button or a touch in AOZ; a terminal has only the keyboard.
    doc: 'Wait until a key is pressed (in AOZ also a mouse button or a touch of the screen).',
    run: (rt) => rt.console.waitKey(),
  },
  {
    name: 'Inkey$',
    kind: 'function',
    returns: 'string',
    params: [],
    doc: 'The key pressed since the last call, or "" when none: it never waits.',
    run: (rt) => {
      const key = rt.console.inkey();
      if (key === '') rt.polled();
      return key;
    },
  },
  {
    name: 'Input$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'count', type: 'number' }],
    waits: true,
    doc: 'Wait for count characters typed, without showing them (Return, arrows and other keys without a character do not count).',
    run(rt, [n]) {
      const count = Math.trunc(n as number);
      if (!(count >= 0)) throw new AozError('illegal_function_call', [`Input$(${count})`]);
      return con(rt).inputChars(count);
    },
  },
  {
    name: 'ScanCode',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The key code of the last key read by Inkey$ (browser key codes: Return 13, Space 32, arrows 37-40, A 65...), then 0.',
    run: (rt) => con(rt).scancode(),
  },
  {
    name: 'ScanShift',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The modifier keys held with the last key read by Inkey$ (Shift 1, Ctrl 4, Alt 16, Meta 64), then 0.',
    run: (rt) => con(rt).scanShift(),
  },
  {
    name: 'Key State',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'code', type: 'number' }],
    doc: 'True when the key with this key code (as ScanCode gives it) is held down.',
    run: (rt, [code]) => (con(rt).keyState(Math.trunc(code as number)) ? TRUE : FALSE),
  },
  {
    name: 'Key Shift',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The modifier keys held down now, as a bit mask (Shift 1, Ctrl 4, Alt 16, Meta 64).',
    run: (rt) => con(rt).keyShift(),
  },
  {
    name: 'Clear Key',
    kind: 'instruction',
    params: [],
    doc: 'Forget the key pressed and not read yet, and what Put Key typed and was not read.',
    run(rt) {
      con(rt).clearKey();
      return undefined;
    },
  },
  {
    name: 'Key Speed',
    kind: 'instruction',
    params: [
      { name: 'delay', type: 'number' },
      { name: 'speed', type: 'number' },
    ],
    // The key repeat belongs to the terminal (or the operating system): nothing to set from here.
    doc: 'Set the keyboard repeat delay and speed: accepted and ignored (the terminal decides).',
    run: () => undefined,
  },
  {
    name: 'Put Key',
    kind: 'instruction',
    params: [{ name: 'text', type: 'string' }],
    doc: 'Type a text as if from the keyboard, for Inkey$, Wait Key, Input$ and Input (Chr$(13) is Return).',
    run(rt, [s]) {
      con(rt).putKey(s as string);
      return undefined;
    },
  },
];
