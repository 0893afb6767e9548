/** The variables family (aoz-facts §7.4–7.5): Inc, Dec, Add, Swap, Sort, Match. */
import { describe, expect, it } from 'vitest';
import { AozError } from '../../src/interpreter/errors.js';
import type { Arg, InstructionEntry, Runtime, VariableRef } from '../../src/interpreter/runtime-api.js';
import { toInteger, type Value, type ValueType } from '../../src/interpreter/values.js';
import { variablesTable } from '../../src/runtime/variables.js';
import { failsWith, outputOf } from '../helpers/run.js';

const lines = (...l: string[]) => l.join('\n');

/** A variable as the compiler passes it: set() converts like an assignment. */
function variable(value: Value, type: ValueType): VariableRef & { value: Value } {
  return {
    kind: 'variable',
    type,
    value,
    get() {
      return this.value;
    },
    set(v: Value) {
      this.value = type === 'integer' ? toInteger(v as number) : v;
    },
  };
}

describe('Inc and Dec (§7.5)', () => {
  it('add or subtract 1 to variables and array elements', async () => {
    expect(
      await outputOf(
        lines(
          'A=10 : Inc A : Print A : Dec A : Dec A : Print A',
          'B#=1.5 : Inc B# : Print B# : Dec B# : Dec B# : Print B#',
          'Dim T(3) : Inc T(2) : Inc T(2) : Dec T(3) : Print T(2);T(3)',
          'I=1 : Inc T(I) : Print T(1)',
        ),
      ),
    ).toBe(' 11\n 9\n 2.5\n 0.5\n 2-1\n 1\n');
  });

  it('refuse string variables (a compile-time type mismatch, as in AOZ)', async () => {
    await failsWith('A$="x" : Inc A$', 'type_mismatch', 2);
    await failsWith('A$="x" : Dec A$', 'type_mismatch', 2);
  });
});

describe('Add (§7.5)', () => {
  it('adds, truncating the amount toward zero for integer variables', async () => {
    expect(
      await outputOf(
        lines(
          'A=10 : Add A, 5 : Print A',
          'Add A, 2.7 : Print A : Add A, -2.7 : Print A',
          'B#=1 : Add B#, 2.5 : Print B#',
          'Dim T(2) : Add T(1), 7 : Add T(1), -3 : Print T(1)',
        ),
      ),
    ).toBe(' 15\n 17\n 15\n 3.5\n 4\n');
  });

  it('refuses string variables (at compile time)', async () => {
    await failsWith('A$="x" : Add A$, 1', 'type_mismatch', 2);
  });

  it('wraps with base To top in a program, both ways', async () => {
    expect(
      await outputOf(
        lines(
          'A=9 : Add A,1,0 To 10 : Print A; : Add A,1,0 To 10 : Print A; : Add A,-1,0 To 10 : Print A',
          'Dim T(1) : T(1)=2 : For I=1 To 5 : Add T(1),2,1 To 6 : Print T(1); : Next I : Print',
        ),
      ),
    ).toBe(' 10 0 10\n 4 6 1 3 5\n');
  });

  // The compiler passes v, e, base, top: these call the entry directly for the edge cases.
  const add = variablesTable.find((e) => e.name === 'Add') as InstructionEntry;
  const rt = {} as Runtime;
  const run = (args: readonly Arg[]) => add.run(rt, args);

  it('wraps past top to base, and below base to top', () => {
    const v = variable(10, 'integer');
    run([v, 1, 0, 10]);
    expect(v.value).toBe(0);
    run([v, -1, 0, 10]);
    expect(v.value).toBe(10);
    run([v, -3, 0, 10]);
    expect(v.value).toBe(7);
    run([v, 3, 0, 10]);
    expect(v.value).toBe(10);
    // Jumps do not keep the remainder: AOZ sets base (or top) exactly.
    run([v, 5, 0, 10]);
    expect(v.value).toBe(0);
    run([v, -5, 0, 10]);
    expect(v.value).toBe(10);
  });

  it('wraps a float variable, and leaves it alone without a range', () => {
    const f = variable(0.5, 'float');
    run([f, 0.75, 0.5, 1]);
    expect(f.value).toBe(0.5);
    run([f, 0.25, undefined, undefined]);
    expect(f.value).toBe(0.75);
  });

  it('truncates the amount for integer variables before wrapping', () => {
    const v = variable(9, 'integer');
    run([v, 1.9, 0, 10]);
    expect(v.value).toBe(10);
  });
});

describe('Swap (§7.5)', () => {
  it('exchanges variables and array elements', async () => {
    expect(
      await outputOf(
        lines(
          'A=10 : B=99 : Print A,B : Swap A,B : Print A,B',
          'A$="left" : B$="right" : Swap A$,B$ : Print A$;" ";B$',
          'Dim T(3) : T(0)=1 : T(3)=4 : Swap T(0),T(3) : Print T(0);T(3)',
          'Dim N$(2) : N$(1)="x" : C$="y" : Swap N$(1),C$ : Print N$(1);C$',
          'F#=2.5 : Swap A,F# : Print A;F#',
        ),
      ),
    ).toBe(' 10  99\n 99  10\nright left\n 4 1\nyx\n 2 99\n');
  });

  it('refuses a string with a number', async () => {
    await failsWith('A=1 : B$="x" : Swap A,B$', 'type_mismatch');
  });
});

describe('Sort (§7.4)', () => {
  it('sorts a numeric array in place by value, unused elements included', async () => {
    expect(
      await outputOf(
        lines(
          'Dim T(5) : T(0)=5 : T(1)=-3 : T(2)=10 : T(3)=2 : T(4)=100',
          'Sort T(0) : For I=0 To 5 : Print T(I); : Next : Print',
          'Dim F#(3) : F#(0)=2.5 : F#(1)=-0.5 : F#(2)=2.25 : F#(3)=1',
          'Sort F#() : For I=0 To 3 : Print F#(I); : Next : Print',
        ),
      ),
    ).toBe('-3 0 2 5 10 100\n-0.5 1 2.25 2.5\n');
  });

  it('sorts strings by character codes (capitals before small letters, "" first)', async () => {
    expect(
      await outputOf(
        lines(
          'Dim N$(5) : N$(0)="banana" : N$(1)="Apple" : N$(2)="apple" : N$(3)="Zoo" : N$(4)="ban"',
          'Sort N$(0) : For I=0 To 5 : Print "[";N$(I);"]"; : Next : Print',
        ),
      ),
    ).toBe('[][Apple][Zoo][apple][ban][banana]\n');
  });

  it('refuses arrays of several dimensions for now', async () => {
    await failsWith('Dim M(2,2) : Sort M(0)', 'illegal_number_of_dimensions');
  });
});

describe('Match (§7.4)', () => {
  it('returns the index of the first equal element, or -1', async () => {
    expect(
      await outputOf(
        lines(
          'Dim T(5) : T(0)=5 : T(1)=3 : T(2)=9 : T(3)=3',
          'Print Match(T(0),3) : Print Match(T(0),9) : Print Match(T(0),42) : Print Match(T(0),0)',
          'Dim N$(2) : N$(0)="AOZ" : N$(1)="Studio"',
          'Print Match(N$(0),"Studio") : Print Match(N$(0),"studio") : Print Match(N$(0),"")',
        ),
      ),
    ).toBe(' 1\n 2\n-1\n 4\n 1\n-1\n 2\n');
  });

  it('refuses a value of the other type', async () => {
    await failsWith('Dim T(2) : Print Match(T(0),"3")', 'type_mismatch');
    await failsWith('Dim N$(2) : Print Match(N$(0),3)', 'type_mismatch');
  });

  it('throws AozErrors the machine can position', () => {
    const match = variablesTable.find((e) => e.name === 'Match')!;
    const arr = { kind: 'array', name: 'M', type: 'integer', sizes: [1, 1], data: [0, 0, 0, 0] } as const;
    expect(() => match.run({} as Runtime, [{ ...arr, data: [...arr.data] }, 0])).toThrow(AozError);
  });
});
