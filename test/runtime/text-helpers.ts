/**
 * Running a program and looking at its text window afterwards: the program gets an extra
 * instruction, `Test Capture`, prepended to its first line, that hands the session's Console to
 * the test (a screen dump without the CLI).
 */
import { BuiltinRegistry } from '../../src/interpreter/builtins.js';
import type { BuiltinEntry } from '../../src/interpreter/runtime-api.js';
import { CONSOLE, type Console } from '../../src/runtime/console/index.js';
import { builtinTable } from '../../src/runtime/index.js';
import { runProgram } from '../helpers/run.js';

export interface Screen {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  /** The 25 rows, trailing spaces trimmed. */
  readonly lines: string[];
  readonly cursor: [number, number];
  readonly console: Console;
}

let captured: Console | undefined;

const capture: BuiltinEntry = {
  name: 'Test Capture',
  kind: 'instruction',
  params: [],
  doc: 'Tests only: hands the console to the test.',
  run(rt) {
    captured = rt.service(CONSOLE);
    return undefined;
  },
};

const registry = new BuiltinRegistry([...builtinTable, capture]);

/** Runs `source` in pipe mode with `input` on stdin (then closed) and returns its window. */
export async function runScreen(source: string, input = ''): Promise<Screen> {
  captured = undefined;
  const r = await runProgram(`Test Capture : ${source}`, { input, builtins: registry });
  const con = captured as Console | undefined;
  if (!con) throw new Error(`the program did not start: ${r.stderr}`);
  return { ...r, lines: con.screenLines(), cursor: [con.cursorX, con.cursorY], console: con };
}
