/**
 * The one error catalogue (DESIGN §8). AOZ's own errors keep AOZ's numbers and English messages
 * (aoz-facts.md §13); aozrun's own identifiers are numbered from 300 upwards so they never collide
 * with AOZ's core list (0–258). Tests assert the identifier, never the prose.
 */

export interface SourcePos {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

interface CatalogueEntry {
  readonly number: number;
  readonly message: string;
}

const CATALOGUE = {
  // AOZ core list (aoz-facts §13, R1 rerrors.js)
  return_without_gosub: { number: 1, message: 'Return without gosub' },
  pop_without_gosub: { number: 2, message: 'Pop without gosub' },
  error_not_resumed: { number: 3, message: 'Error not resumed' },
  cant_resume_to_a_label: { number: 4, message: "Can't resume to a label" },
  no_on_error_proc: { number: 5, message: 'No ON ERROR PROC before this instruction' },
  resume_label_not_defined: { number: 6, message: 'Resume label not defined' },
  error_procedure_must_resume: { number: 8, message: 'Error procedure must resume to end' },
  resume_without_error: { number: 7, message: 'Resume without error' },
  program_interrupted: { number: 9, message: 'Program interrupted' },
  procedure_not_closed: { number: 10, message: 'Procedure not closed' },
  out_of_variable_space: { number: 11, message: 'Out of variable space' },
  out_of_stack_space: { number: 13, message: 'Out of stack space' },
  procedure_not_opened: { number: 14, message: 'Procedure not opened' },
  user_function_not_defined: { number: 15, message: 'User function not defined' },
  illegal_user_function_call: { number: 16, message: 'Illegal user function call' },
  illegal_direct_mode: { number: 17, message: 'Illegal direct mode' },
  procedure_not_found: { number: 18, message: 'Procedure not found' },
  instruction_not_implemented: { number: 19, message: 'Instruction not implemented' },
  division_by_zero: { number: 20, message: 'Division by zero' },
  string_too_long: { number: 21, message: 'String too long' },
  syntax_error: { number: 22, message: 'Syntax error' },
  illegal_function_call: { number: 23, message: 'Illegal function call' },
  out_of_memory: { number: 24, message: 'Out of memory' },
  string_not_closed: { number: 26, message: 'String not closed' },
  non_dimensionned_array: { number: 27, message: 'Non dimensionned array' },
  array_already_dimensionned: { number: 28, message: 'Array already dimensionned' },
  overflow: { number: 29, message: 'Overflow' },
  out_of_data: { number: 33, message: 'Out of data' },
  type_mismatch: { number: 34, message: 'Type mismatch' },
  label_not_defined: { number: 40, message: 'Label not defined' },
  not_data_after_this_label: { number: 41, message: 'No data after this label' },
  procedure_already_defined: { number: 42, message: 'Procedure already defined' },
  next_without_for: { number: 43, message: 'Next without for' },
  until_without_repeat: { number: 45, message: 'Until without repeat' },
  wend_without_while: { number: 58, message: 'Wend without while' },
  illegal_text_window_parameter: { number: 60, message: 'Illegal text window parameter' },
  loop_without_do: { number: 61, message: 'Loop without do' },
  for_without_next: { number: 87, message: 'For without next' },
  instruction_not_allowed_there: { number: 102, message: 'Instruction not allowed there' },
  illegal_number_of_dimensions: { number: 103, message: 'Illegal number of dimensions' },
  array_not_dimensionned: { number: 104, message: 'Array not dimensionned' },
  function_not_implemented: { number: 106, message: 'Function not implemented' },
  input_too_long: { number: 99, message: 'Input too long' },
  internal_error: { number: 117, message: 'Internal error' },
  unknown_error: { number: 118, message: 'Unknown error' },
  if_without_endif: { number: 132, message: 'If without endif' },
  not_enough_loops_to_exit: { number: 133, message: 'Not enough loops to exit' },
  no_loop_to_exit: { number: 134, message: 'No loop to exit' },
  please_redo_from_start: { number: 135, message: 'Please redo from start' },
  repeat_without_until: { number: 146, message: 'Repeat without until' },
  timeout_error: { number: 155, message: 'Timeout error' },
  do_without_loop: { number: 158, message: 'Do without loop' },
  break_detected: { number: 159, message: 'Break detected' },
  while_without_wend: { number: 163, message: 'While without wend' },
  every_too_long: { number: 203, message: 'Every routine too long' },
  every_not_defined: { number: 204, message: 'Every not defined' },
  every_already_defined: { number: 205, message: 'Every already defined' },
  global_variable_not_defined: { number: 207, message: 'Global array not defined' },
  property_not_defined: { number: 210, message: 'Property not defined' },
  loop_will_hang: { number: 223, message: 'The loop will hang' },
  reverse_for_loop_positive: { number: 224, message: 'Reverse for loop has positive step' },
  forward_for_loop_negative: { number: 225, message: 'Forward for loop has negative step' },
  parameter_not_found: { number: 231, message: 'Parameter not found: %1' },
  cannot_wait_in_event_procedures: {
    number: 232,
    message: 'Waiting instructions are not allowed in event procedures',
  },
  array_index_out_of_bounds: {
    number: 245,
    message: 'Array index number %1 (value: %2) out of bounds (maximum:%3)',
  },
  label_already_defined: { number: 246, message: 'The label %1 is already defined.' },
  shared_error: { number: 248, message: 'Shared cannot be used in main code.' },
  variable_name_conflict: { number: 250, message: 'Variable name conflicts with %1 named %2' },
  object_name_conflict: { number: 251, message: 'Name conflicts with %1 named %2' },
  // Extension errors (R1 numbers; AOZ appends them after the core list, aoz-facts §13)
  websocket_channel_not_defined: { number: 255, message: 'WebSocket channel not defined (%1)' },
  websocket_error: { number: 256, message: 'WebSocket error: %1' },
  websocket_connexion_died: { number: 257, message: 'WebSocket connexion died (%1)' },
  websocket_incorrect_url: { number: 258, message: 'WebSocket URLs must begin with ws:// or wss://' },
  // Net extension (aoz-facts §12.1.10); AOZ gives them no stable number, ours are fixed here.
  wrong_method: { number: 260, message: 'Wrong method to send the request' },
  url_missing: { number: 261, message: 'URL argument not defined' },
  request_failed: { number: 262, message: 'The request has failed, status: %1' },
  file_not_found: { number: 81, message: 'File not found' },
  io_error: { number: 94, message: 'I/O error' },
  // JSON extension (aoz-facts §12.3): AOZ's identifiers had no message; numbered here.
  json_channel_not_defined: { number: 270, message: 'JSON channel not defined (%1)' },
  json_syntax_error: { number: 271, message: 'Incorrect JSON format: %1' },
  // aozrun's own (numbered from 300)
  websocket_not_connected: { number: 300, message: 'WebSocket not connected (%1)' },
  unexpected_token: { number: 301, message: 'Syntax error: %1' },
  wrong_number_of_arguments: { number: 302, message: 'Wrong number of arguments for %1' },
  unknown_instruction: { number: 303, message: 'Unknown instruction or procedure: %1' },
  not_a_function: { number: 304, message: '%1 is an instruction and cannot be used in an expression' },
  not_an_instruction: { number: 305, message: '%1 is a function and cannot be used as an instruction' },
  strict_violation: { number: 306, message: '%1 (rejected by --strict)' },
  illegal_url: { number: 307, message: 'Illegal URL: %1' },
  end_if_without_if: { number: 308, message: 'End If without If' },
  else_without_if: { number: 309, message: 'Else without If' },
  procedure_inside_procedure: { number: 310, message: 'Procedure inside a procedure' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorId = keyof typeof CATALOGUE;

export function errorNumber(id: ErrorId): number {
  return CATALOGUE[id].number;
}

/** Fill `%1`, `%2`… with the arguments; leftover placeholders (and the text glued to them) vanish. */
export function errorMessage(id: ErrorId, args: readonly (string | number)[] = []): string {
  const template: string = CATALOGUE[id].message;
  if (!template.includes('%')) {
    return args.length > 0 ? `${template}: ${args.join(' ')}` : template;
  }
  return template
    .replace(/%(\d)/g, (_, d: string) => {
      const v = args[Number(d) - 1];
      return v === undefined ? '' : String(v);
    })
    .replace(/\s*\(\s*\)/g, '')
    .replace(/:\s*$/, '')
    .trimEnd();
}

export function errorIdByNumber(n: number): ErrorId | undefined {
  for (const id of Object.keys(CATALOGUE) as ErrorId[]) {
    if (CATALOGUE[id].number === n) return id;
  }
  return undefined;
}

/**
 * An AOZ-level error: thrown by runtime code, caught by the machine, which fills in the position
 * of the statement that was running when it is not known here.
 */
export class AozError extends Error {
  readonly id: ErrorId;
  readonly args: readonly (string | number)[];
  pos: SourcePos | undefined;
  file: string | undefined;

  constructor(id: ErrorId, args: readonly (string | number)[] = [], pos?: SourcePos) {
    super(errorMessage(id, args));
    this.name = 'AozError';
    this.id = id;
    this.args = args;
    this.pos = pos;
  }

  get number(): number {
    return errorNumber(this.id);
  }
}

/** A compile-time problem (error or warning) with its place in the source. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly id: ErrorId | 'warning';
  readonly message: string;
  readonly pos: SourcePos;
  /** Length of the offending text, for the caret line (at least 1). */
  readonly length?: number;
  /** The section compiled when it was found: `main` or a procedure's name (the REPL's sources). */
  readonly section?: string;
}

/**
 * `Error: <message> at line L, column C in <file>` then the source line and a caret (DESIGN §8).
 * Warnings use the same shape with `Warning:`.
 */
export function formatDiagnostic(
  severity: 'error' | 'warning',
  message: string,
  pos: SourcePos | undefined,
  file: string,
  sourceLines: readonly string[] | undefined,
  length = 1,
): string {
  const head = severity === 'error' ? 'Error' : 'Warning';
  if (!pos) return `${head}: ${message} in ${file}\n`;
  let out = `${head}: ${message} at line ${pos.line}, column ${pos.column} in ${file}\n`;
  const src = sourceLines?.[pos.line - 1];
  if (src !== undefined) {
    // A long line is shown as a window around the column.
    const WIDTH = 100;
    let from = 0;
    let shown = src.replace(/\t/g, ' ');
    if (shown.length > WIDTH) {
      from = Math.max(0, Math.min(pos.column - 1 - WIDTH / 2, shown.length - WIDTH));
      shown = `${from > 0 ? '...' : ''}${shown.slice(from, from + WIDTH)}${from + WIDTH < shown.length ? '...' : ''}`;
      if (from > 0) from -= 3;
    }
    const caret = '^'.repeat(Math.min(Math.max(1, length), WIDTH));
    out += `  ${shown}\n  ${' '.repeat(Math.max(0, pos.column - 1 - from))}${caret}\n`;
  }
  return out;
}
