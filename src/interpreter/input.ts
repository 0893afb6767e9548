/**
 * Input and Line Input (aoz-facts §4.1–4.2): prompt, `? ` without one, comma splitting, `?? ` for
 * missing values, "Please redo from start" for a bad number, and the newline unless the statement
 * ends with `;`. Built on the console's line reader, which echoes what it consumed.
 */
import { errorMessage } from './errors.js';
import type { Machine } from './machine.js';
import type { Wait } from './runtime-api.js';
import type { Value, ValueType } from './values.js';

export interface InputTarget {
  readonly type: ValueType;
  readonly set: (m: Machine, v: Value) => void;
}

export function inputWait(
  m: Machine,
  prompt: string | null,
  targets: readonly InputTarget[],
  newline: boolean,
  lineMode: boolean,
): Wait {
  const what = lineMode ? 'Line Input' : 'Input';
  const values: Value[] = [];
  m.console.print(prompt ?? '? ');
  let reader = m.console.readLine(what);
  return {
    what,
    input: true,
    ready(): boolean {
      for (;;) {
        if (!reader.ready()) return false;
        const text = String(reader.result());
        // Input splits on commas when it has several variables; Line Input never does.
        const pieces = lineMode || targets.length === 1 ? [text] : text.split(',');
        for (const piece of pieces) {
          if (values.length >= targets.length) break; // surplus values are ignored
          const v = convert(piece, targets[values.length]!.type);
          if (v === null) {
            values.length = 0;
            m.console.print(`\n${errorMessage('please_redo_from_start')} `);
            break;
          }
          values.push(v);
        }
        if (values.length >= targets.length) {
          for (let i = 0; i < targets.length; i++) targets[i]!.set(m, values[i]!);
          if (newline) m.console.print('\n');
          return true;
        }
        if (values.length > 0) m.console.print('\n?? ');
        reader = m.console.readLine(what);
      }
    },
    cancel: () => reader.cancel?.(),
  };
}

/** Integer variables read with parseInt, floats with parseFloat, an empty answer is 0 (§4.1). */
function convert(text: string, type: ValueType): Value | null {
  if (type === 'string') return text;
  if (text.trim() === '') return 0;
  const n = type === 'integer' ? Number.parseInt(text, 10) : Number.parseFloat(text);
  return Number.isNaN(n) ? null : n;
}
