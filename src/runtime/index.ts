/** Every instruction and function aozrun knows, family by family (DESIGN §3). */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';
import { jsonTable } from './json.js';
import { keyboardTable } from './keyboard.js';
import { mathsTable } from './maths.js';
import { netTable } from './net/index.js';
import { stringsTable } from './strings.js';
import { textTable } from './text.js';
import { timeTable } from './time.js';
import { variablesTable } from './variables.js';

export interface Family {
  /** Title in the reference. */
  readonly title: string;
  /** The AOZ documentation folder the family's instructions come from (languages/v1_0/<folder>). */
  readonly aozFolder: string;
  readonly entries: readonly BuiltinEntry[];
}

export const families: readonly Family[] = [
  { title: 'Text window', aozFolder: 'textwindows', entries: textTable },
  { title: 'Keyboard', aozFolder: 'keyboard_and_mouse', entries: keyboardTable },
  { title: 'Time', aozFolder: 'time', entries: timeTable },
  { title: 'Strings', aozFolder: 'strings', entries: stringsTable },
  { title: 'Maths', aozFolder: 'maths', entries: mathsTable },
  { title: 'Variables and arrays', aozFolder: 'variables', entries: variablesTable },
  { title: 'Network', aozFolder: 'extensions', entries: netTable },
  { title: 'JSON', aozFolder: 'extensions/json', entries: jsonTable },
];

export const builtinTable: readonly BuiltinEntry[] = families.flatMap((f) => f.entries);
