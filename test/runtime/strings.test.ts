/** The strings family (aoz-facts §8), through real programs, and the in-place forms called directly. */
import { describe, expect, it } from 'vitest';
import { AozError, type ErrorId } from '../../src/interpreter/errors.js';
import type {
  Arg,
  BuiltinEntry,
  InstructionEntry,
  Runtime,
  StateKey,
  VariableRef,
} from '../../src/interpreter/runtime-api.js';
import type { Value, ValueType } from '../../src/interpreter/values.js';
import { mathsTable } from '../../src/runtime/maths.js';
import { stringsTable } from '../../src/runtime/strings.js';
import { failsWith, outputOf } from '../helpers/run.js';

/** A runtime with only what the string entries use: per-run state. */
function fakeRuntime(): Runtime {
  const states = new Map<StateKey<unknown>, unknown>();
  return {
    fix: 16,
    state<T>(key: StateKey<T>): T {
      if (!states.has(key)) states.set(key, key.create());
      return states.get(key) as T;
    },
  } as unknown as Runtime;
}

function variable(value: Value, type: ValueType = 'string'): VariableRef & { value: Value } {
  return {
    kind: 'variable',
    type,
    value,
    get() {
      return this.value;
    },
    set(v: Value) {
      this.value = v;
    },
  };
}

function entry(table: readonly BuiltinEntry[], name: string, kind: 'instruction' | 'function'): BuiltinEntry {
  const e = table.find((x) => x.name === name && x.kind === kind);
  if (!e) throw new Error(`no ${kind} ${name}`);
  return e;
}

function instruction(name: string): InstructionEntry {
  return entry(stringsTable, name, 'instruction') as InstructionEntry;
}

function errorId(fn: () => unknown): ErrorId | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AozError) return e.id;
    throw e;
  }
  return undefined;
}

describe('Left$, Right$, Mid$ (§8)', () => {
  it('extracts, clipping counts past the end', async () => {
    expect(
      await outputOf(
        [
          'Print Left$("AOZ Studio",3) : Print Left$("AOZ",10) : Print "[";Left$("AOZ",0);"]"',
          'Print Right$("IGNORED54321",5) : Print Right$("AOZ",10) : Print "[";Right$("AOZ",0);"]"',
          'Print Mid$("AOZ Studio",4) : Print Mid$("AOZ Studio",0,4) : Print Mid$("AOZ Studio",1,3)',
          'Print Mid$("AOZ Studio",5,100) : Print "[";Mid$("AOZ",10);"]" : Print "[";Mid$("AOZ",2,0);"]"',
        ].join('\n'),
      ),
    ).toBe('AOZ\nAOZ\n[]\n54321\nAOZ\n[]\n Studio\nAOZ \nAOZ\nStudio\n[]\n[]\n');
  });

  it('truncates fractional counts and positions', async () => {
    expect(
      await outputOf('Print Left$("abcdef",2.9) : Print Mid$("abcdef",2.5,2.5) : Print Right$("abcdef",1.5)'),
    ).toBe('ab\nbc\nf\n');
  });

  it('refuses negative counts and positions with an Illegal function call', async () => {
    await failsWith('Print Left$("abc",-1)', 'illegal_function_call');
    await failsWith('Print Right$("abc",-1)', 'illegal_function_call');
    await failsWith('Print Mid$("abc",-1)', 'illegal_function_call');
    await failsWith('Print Mid$("abc",1,-1)', 'illegal_function_call');
  });
});

describe('Instr (§8)', () => {
  it('gives 1-based positions, 0 when absent, and starts at start (<= 1: the beginning)', async () => {
    expect(
      await outputOf(
        [
          'Print Instr("AMOS Professional","AMOS")',
          'Print Instr("AMOS Professional","O")',
          'Print Instr("AMOS Professional","o")',
          'Print Instr("AMOS Professional","Provisional")',
          'Print Instr("AMOS PROFESSIONAL","O",0)',
          'Print Instr("AMOS PROFESSIONAL","O",4)',
          'Print Instr("abc","") : Print Instr("abcabc","c",4) : Print Instr("abc","c",10) : Print Instr("","a")',
        ].join('\n'),
      ),
    ).toBe(' 1\n 3\n 8\n 0\n 3\n 8\n 1\n 6\n 0\n 0\n');
  });

  it('refuses a negative start', async () => {
    await failsWith('Print Instr("abc","b",-1)', 'illegal_function_call');
  });
});

describe('String Base Index (§8)', () => {
  it('is 1 by default; 0 shifts every position of Mid$ and Instr, in and out', async () => {
    expect(
      await outputOf(
        [
          'A$ = "I love AOZ Studio !"',
          'String Base Index 0',
          'Print Mid$(A$, 8, 1) : Print Mid$(A$, 0, 1) : Print Mid$(A$, 11)',
          'Print Instr(A$, "I") : Print Instr(A$, "o", 4) : Print Instr(A$, "zzz")',
          'Print Left$(A$, 6) : Print Right$(A$, 1)',
          'String Base Index 1',
          'Print Mid$(A$, 9, 1) : Print Instr(A$, "I") : Print Instr(A$, "zzz")',
          'String Base Index 0 : String Base Index : Print Instr(A$, "I")',
        ].join('\n'),
      ),
    ).toBe('O\nI\nStudio !\n 0\n 16\n-1\nI love\n!\nO\n 1\n 0\n 1\n');
  });

  it('accepts only 0 and 1', async () => {
    await failsWith('String Base Index 2', 'illegal_function_call');
    await failsWith('String Base Index -1', 'illegal_function_call');
  });
});

describe('Len, Val, Str$, Chr$, Asc, Upper$, Lower$, Flip$ (§8)', () => {
  it('measure, convert and transform', async () => {
    expect(
      await outputOf(
        [
          'Print Len("0123456789") : Print Len("")',
          'X=Val("1234") : Print X : Print Val("$FF") : Print Val("%101") : Print Val("1e3")',
          'Print Val("  12.5xyz") : Print Val("abc") : Print Val("") : Print Val(" $FF") : Print Val("-3")',
          'Print "[";Str$(5);"][";Str$(-5);"][";Str$(0.5);"]"',
          'Print Chr$(65);Chr$(97) : Print Asc("B") : Print Asc("AMOS Professional") : Print Asc("")',
          'Print Upper$("aMoS pRoFeSsIoNaL") : Print Lower$("AOZ Studio")',
          'Print Flip$("SOMA gnippilf") : Print "[";Flip$("");"]"',
        ].join('\n'),
      ),
    ).toBe(
      ' 10\n 0\n 1234\n 255\n 5\n 1000\n 12.5\n 0\n 0\n 0\n-3\n[ 5][-5][ 0.5]\nAa\n 66\n 65\n 0\nAMOS PROFESSIONAL\naoz studio\nflipping AMOS\n[]\n',
    );
  });

  it('Str$ follows Fix', async () => {
    expect(await outputOf('Fix 2 : Print "[";Str$(Pi#);"][";Str$(3);"]"')).toBe('[ 3.14][ 3]\n');
  });
});

describe('Hex$ and Bin$ (§8)', () => {
  it('prefix $ or %, pad to the digits asked (never truncate)', async () => {
    expect(
      await outputOf(
        [
          'Print Hex$(100) : Print Hex$(100,3) : Print Hex$(255) : Print Hex$(0) : Print Hex$(255,1)',
          'Print Bin$(5) : Print Bin$(10) : Print Bin$(255) : Print Bin$(100) : Print Bin$(5,8) : Print Bin$(0)',
          'Print Val(Bin$(100)) : Print Val(Hex$(100))',
        ].join('\n'),
      ),
    ).toBe('$64\n$064\n$FF\n$0\n$FF\n%101\n%1010\n%11111111\n%1100100\n%00000101\n%0\n 100\n 100\n');
  });

  it("Hex$ shows negatives as 32-bit two's complement", async () => {
    expect(await outputOf('Print Hex$(-1) : Print Hex$(-256) : Print Hex$(-1,4)')).toBe(
      '$FFFFFFFF\n$FFFFFF00\n$FFFFFFFF\n',
    );
  });

  it('truncates fractions (AOZ would print $FF.8)', async () => {
    expect(await outputOf('Print Hex$(255.5) : Print Bin$(5.9)')).toBe('$FF\n%101\n');
  });

  it('Bin$ of a negative number is an Illegal function call', async () => {
    await failsWith('Print Bin$(-1)', 'illegal_function_call');
  });
});

describe('Trim$ (§8)', () => {
  it('removes spaces only, at both ends (0), the start (1) or the end (2)', async () => {
    expect(
      await outputOf(
        [
          'A$ = "     I love AOZ Studio !      "',
          'Print "[";Trim$(A$);"]" : Print "[";Trim$(A$,0);"]"',
          'Print "[";Trim$("  a  ",1);"]" : Print "[";Trim$("  a  ",2);"]"',
          'Print Asc(Trim$(Chr$(9)+" a ")) : Print Len(Trim$(Chr$(9)+" a ")) : Print "[";Trim$("    ");"]"',
        ].join('\n'),
      ),
    ).toBe('[I love AOZ Studio !]\n[I love AOZ Studio !]\n[a  ]\n[  a]\n 9\n 3\n[]\n');
  });

  it('refuses other modes', async () => {
    await failsWith('Print Trim$("a",3)', 'illegal_function_call');
  });
});

describe('Replace$ (§8)', () => {
  it('replaces every occurrence, or count of them', async () => {
    expect(
      await outputOf(
        [
          'Print Replace$( "Hello XYZ Studio!", "XYZ", "AOZ" )',
          'Print Replace$("a-b-c-d","-","+") : Print Replace$("a-b-c-d","-","+",2) : Print Replace$("a-b","-","+",0)',
          'Print Replace$("abc","x","y") : Print "[";Replace$("a a"," ","");"]"',
        ].join('\n'),
      ),
    ).toBe('Hello AOZ Studio!\na+b+c+d\na+b+c-d\na-b\nabc\n[aa]\n');
  });

  it('searches again from the start of the modified string each time', async () => {
    // "aaa" -> "aa" -> "a": a left-to-right scan would stop at "aa".
    expect(await outputOf('Print Replace$("aaa","aa","a") : Print Replace$("abbb","ab","a")')).toBe('a\na\n');
  });

  it('replaces once only when the replacement contains the searched text (the loop guard)', async () => {
    expect(await outputOf('Print Replace$("abcabc","b","bb") : Print Replace$("abc","","X")')).toBe(
      'abbcabc\nXabc\n',
    );
  });
});

describe('String$, Space$, Repeat$, Zero$ (§8)', () => {
  it('build strings', async () => {
    expect(
      await outputOf(
        [
          'Print String$("AMOS Professional is a joy forever",10) : Print "[";String$("",3);"]"',
          'Print "Ten";Space$(10);"spaces" : Print "[";Space$(0);"]"',
          'Print Repeat$("ab",3) : Print "[";Repeat$("ab",0);"]"',
          'Print Zero$(12,5) : Print Zero$(123456,3) : Print Zero$("1235",6) : Print Zero$(7,0)',
        ].join('\n'),
      ),
    ).toBe('AAAAAAAAAA\n[]\nTen          spaces\n[]\nababab\n[]\n00012\n123456\n001235\n7\n');
  });

  it('refuse negative counts: Illegal function call, and for Repeat$ Illegal text window parameter', async () => {
    await failsWith('Print String$("A",-1)', 'illegal_function_call');
    await failsWith('Print Space$(-1)', 'illegal_function_call');
    await failsWith('Print Repeat$("A",-1)', 'illegal_text_window_parameter');
  });

  it('refuse a string too long to build', async () => {
    await failsWith('Print Len(Space$(1000000000))', 'string_too_long');
    await failsWith('Print Len(Repeat$("abcd",200000000))', 'string_too_long');
  });
});

describe('Min and Max (§8, §9.5)', () => {
  it('compare numbers', async () => {
    expect(
      await outputOf('A=Min(99,1) : Print A : Print Max(99,1) : Print Min(-2.5,3) : Print Max(4,4)'),
    ).toBe(' 1\n 99\n-2.5\n 4\n');
  });

  it('compare strings with JavaScript order, and refuse mixed types', () => {
    const rt = fakeRuntime();
    const min = entry(mathsTable, 'Min', 'function');
    const max = entry(mathsTable, 'Max', 'function');
    expect(min.run(rt, ['AOZ', 'Z'])).toBe('AOZ');
    expect(max.run(rt, ['AOZ', 'Z'])).toBe('Z');
    expect(max.run(rt, ['a', 'Z'])).toBe('a');
    expect(errorId(() => min.run(rt, ['a', 1]))).toBe('type_mismatch');
  });
});

describe('in-place Left$, Mid$, Right$ (§8)', () => {
  // `Mid$(A$,4,3) = "AOZ"` compiles to the Mid$ instruction with the value last; the grammar for
  // it comes separately, so these call the entries as the compiler will.
  const run = (name: string, args: readonly Arg[], rt = fakeRuntime()) => instruction(name).run(rt, args);

  it('Mid$ overwrites from a position, to the end or n characters, keeping the length', () => {
    const a = variable('AOZ ******');
    run('Mid$', [a, 4, undefined, 'Studio']);
    expect(a.value).toBe('AOZStudio*');
    run('Mid$', [a, 4, 3, 'AOZ']);
    expect(a.value).toBe('AOZAOZdio*');
    const b = variable('abcdef');
    run('Mid$', [b, 0, 2, 'XYZ']);
    expect(b.value).toBe('XYcdef');
    run('Mid$', [b, 5, 10, 'LONGER TEXT']);
    expect(b.value).toBe('XYcdLO');
    run('Mid$', [b, 20, undefined, 'Q']);
    expect(b.value).toBe('XYcdLO');
    run('Mid$', [b, 2, 4, 'q']);
    expect(b.value).toBe('XqcdLO');
  });

  it('Mid$ counts positions in the String Base Index', () => {
    const rt = fakeRuntime();
    instruction('String Base Index').run(rt, [0]);
    const a = variable('abcdef');
    run('Mid$', [a, 1, 2, 'XY'], rt);
    expect(a.value).toBe('aXYdef');
  });

  it('Left$ and Right$ overwrite the first or last n characters', () => {
    const a = variable('**** Basic');
    run('Left$', [a, 4, 'AMOS']);
    expect(a.value).toBe('AMOS Basic');
    const b = variable('AOZ ******');
    run('Right$', [b, 6, 'Studio']);
    expect(b.value).toBe('AOZ Studio');
    const c = variable('abc');
    run('Left$', [c, 10, 'XYZW']);
    expect(c.value).toBe('XYZ');
    run('Right$', [c, 10, '12345']);
    expect(c.value).toBe('123');
    const d = variable('AOZ ******');
    run('Right$', [d, 6, 'AB']);
    expect(d.value).toBe('AOZ AB****');
  });

  it('refuses negative counts and non-string variables', () => {
    expect(errorId(() => run('Left$', [variable('abc'), -1, 'x']))).toBe('illegal_function_call');
    expect(errorId(() => run('Right$', [variable('abc'), -1, 'x']))).toBe('illegal_function_call');
    expect(errorId(() => run('Mid$', [variable('abc'), -1, undefined, 'x']))).toBe('illegal_function_call');
    expect(errorId(() => run('Mid$', [variable('abc'), 1, -1, 'x']))).toBe('illegal_function_call');
    expect(errorId(() => run('Mid$', [variable(5, 'integer'), 1, 1, 'x']))).toBe('type_mismatch');
  });
});
