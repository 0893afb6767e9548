/** Variable instructions (aoz-facts §7.4–7.5): Inc, Dec, Add, Swap, Sort, Match. */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';

export const variablesTable: readonly BuiltinEntry[] = [];
