/** The REPL's commands, completion and program in memory (no machine involved). */
import { describe, expect, it } from 'vitest';
import { completeWord } from '../../src/repl/complete.js';
import { parseCommand, Workspace } from '../../src/repl/workspace.js';
import { builtins } from '../../src/session.js';

describe('REPL commands', () => {
  it('recognises whole-line commands in any case, with or without quotes', () => {
    expect(parseCommand('Load "games/pong.aoz"')).toEqual({ kind: 'load', file: 'games/pong.aoz' });
    expect(parseCommand('  load pong.aoz  ')).toEqual({ kind: 'load', file: 'pong.aoz' });
    expect(parseCommand('SAVE')).toEqual({ kind: 'save', file: undefined });
    expect(parseCommand('list GREET')).toEqual({ kind: 'list', procedure: 'GREET' });
    expect(parseCommand('Help "Wait Key"')).toEqual({ kind: 'help', topic: 'Wait Key' });
    expect(parseCommand('Help Print')).toEqual({ kind: 'help', topic: 'Print' });
    expect(parseCommand('run')).toEqual({ kind: 'run' });
    expect(parseCommand('New')).toEqual({ kind: 'new' });
    expect(parseCommand('Quit')).toEqual({ kind: 'quit' });
    expect(parseCommand('System')).toEqual({ kind: 'quit' });
  });

  it('leaves BASIC alone: assignments, other statements, commands with extra words', () => {
    for (const line of ['List = 3', 'Run$ = "x"', 'Print "Run"', 'Run 10', 'New X', 'Loaded = 1', 'Quit 1']) {
      expect(parseCommand(line), line).toBeUndefined();
    }
  });
});

describe('Tab completion', () => {
  const names = ['Print', 'Print Using', 'Call Service', 'Left$', 'Len', 'GREET', 'score'];

  it('completes the longest tail of the line that starts a name, multi-word names too', () => {
    expect(completeWord('Call Se', names)).toEqual([['Call Service'], 'Call Se']);
    expect(completeWord('A = Le', names)).toEqual([['Left$', 'Len'], 'Le']);
    expect(completeWord('Pri', names)).toEqual([['Print', 'Print Using'], 'Pri']);
  });

  it('keeps the case typed and appends the rest of the name', () => {
    expect(completeWord('gre', names)).toEqual([['greET'], 'gre']);
    expect(completeWord('Print SC', names)).toEqual([['SCore'], 'SC']);
  });

  it('completes nothing inside a string or after a digit', () => {
    expect(completeWord('Print "Le', names)).toEqual([[], 'Print "Le']);
    expect(completeWord('X = 1Le', names)).toEqual([[], 'X = 1Le']);
  });
});

describe('the program in memory', () => {
  it('lists the whole program or one procedure, and names procedures and variables for completion', () => {
    const w = new Workspace(builtins());
    w.load('Print "hi"\r\nProcedure ONE\r\n  Print 1\r\nEnd Proc\r\n', 'p.aoz');
    expect(w.text).toBe('Print "hi"\nProcedure ONE\n  Print 1\nEnd Proc\n');
    expect(w.list('one')).toBe('Procedure ONE\n  Print 1\nEnd Proc\n');
    expect(w.list('TWO')).toBeUndefined();
    w.enter('Speed = 3 : Dim Board$(8)');
    expect(w.names()).toEqual(['ONE', 'Speed', 'Board$(']);
  });

  it('reports what is wrong with a loaded program, keeps it, and says once that its procedures are unavailable', () => {
    const w = new Workspace(builtins());
    expect(w.load('Print (\nProcedure P\nEnd Proc\n', 'bad.aoz')).toMatch(
      /^Error: .* at line 1, column \d+ in bad\.aoz/,
    );
    expect(w.list()).toBe('Print (\nProcedure P\nEnd Proc\n');
    const first = w.enter('Print 1');
    expect(first.kind === 'program' && first.report).toContain('Note: the program in memory has errors');
    const second = w.enter('Print 2');
    expect(second.kind === 'program' && second.report).toBe('');
    expect(w.run().kind).toBe('errors');
  });

  it('asks for more lines only while every error is a block left open', () => {
    const w = new Workspace(builtins());
    expect(w.enter('If A = 1').kind).toBe('more');
    expect(w.enter('Print "one"').kind).toBe('more');
    expect(w.enter('Else').kind).toBe('more');
    expect(w.enter('End If').kind).toBe('program');
    // An error inside the block ends it at once, with the error.
    expect(w.enter('While 1').kind).toBe('more');
    expect(w.enter('Next I').kind).toBe('errors');
    expect(w.continuing).toBe(false);
  });
});
