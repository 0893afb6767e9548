import { describe, expect, it } from 'vitest';
import { AozError, errorMessage, formatDiagnostic } from '../../src/interpreter/errors.js';

describe('error catalogue', () => {
  it('keeps AOZ numbers and fills placeholders', () => {
    expect(new AozError('illegal_function_call').number).toBe(23);
    expect(errorMessage('array_index_out_of_bounds', [1, 4, 3])).toBe(
      'Array index number 1 (value: 4) out of bounds (maximum:3)',
    );
    expect(errorMessage('illegal_function_call', ['Sqr'])).toBe('Illegal function call: Sqr');
    expect(errorMessage('websocket_channel_not_defined')).toBe('WebSocket channel not defined');
  });

  it('prints the source line with a caret, and a window around the column of a long line', () => {
    expect(formatDiagnostic('error', 'Oops', { line: 1, column: 3 }, 'f.aoz', ['A = = 1'])).toBe(
      'Error: Oops at line 1, column 3 in f.aoz\n  A = = 1\n    ^\n',
    );
    const long = `${'x'.repeat(300)}BAD${'y'.repeat(300)}`;
    const text = formatDiagnostic('error', 'Oops', { line: 1, column: 301 }, 'f.aoz', [long], 3);
    const [, shown, caret] = text.split('\n');
    expect(shown!.length).toBeLessThan(120);
    expect(shown!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 3)).toBe('BAD');
  });
});
