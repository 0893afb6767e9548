/** Every instruction and function aozrun knows, family by family (DESIGN §3). */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';
import { keyboardTable } from './keyboard.js';
import { mathsTable } from './maths.js';
import { netTable } from './net/index.js';
import { stringsTable } from './strings.js';
import { textTable } from './text.js';
import { timeTable } from './time.js';

export const builtinTable: readonly BuiltinEntry[] = [
  ...textTable,
  ...keyboardTable,
  ...timeTable,
  ...stringsTable,
  ...mathsTable,
  ...netTable,
];
