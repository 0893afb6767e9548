/**
 * A loop that allocates nothing does not make the interpreter grow (issue 6): 1,000,000
 * statements, with the JavaScript heap measured after a full garbage collection at 100,000
 * statements and at the end, in-process, by an instruction the test adds (`Heap Probe`). Each
 * tier of the machine is checked. No timings are asserted.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BuiltinRegistry } from '../../src/interpreter/builtins.js';
import type { BuiltinEntry } from '../../src/interpreter/runtime-api.js';
import { builtinTable } from '../../src/runtime/index.js';
import { runProgram } from '../helpers/run.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let probes: number[] = [];
const probe: BuiltinEntry = {
  name: 'Heap Probe',
  kind: 'instruction',
  params: [],
  doc: 'Tests only: a full garbage collection, then the heap in use is noted.',
  run() {
    gc();
    gc();
    probes.push(process.memoryUsage().heapUsed);
    return undefined;
  },
};
const registry = new BuiltinRegistry([...builtinTable, probe]);

// 250,000 passes of four statements (two assignments, an If, Next): 1,000,000 statements, with a
// probe after the first 100,000 and one at the end.
const LOOP = `For I = 1 To 250000
  A = A + 1
  B = A - I
  If I = 25000 Then Heap Probe
Next I
Heap Probe
Print A + B`;

describe('a loop of 1,000,000 statements that allocates nothing', () => {
  it.each(['never', 'auto', 'always'] as const)(
    'leaves the heap as it was (AOZRUN_JIT=%s)',
    async (jit) => {
      probes = [];
      const r = await runProgram(LOOP, { builtins: registry, jit, timeoutMs: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(' 250000\n');
      expect(probes).toHaveLength(2);
      const [early, late] = probes as [number, number];
      // Anything kept per statement would be megabytes over 900,000 statements (8 bytes each: 7 MB).
      expect(late - early).toBeLessThan(512 * 1024);
    },
    60_000,
  );
});
