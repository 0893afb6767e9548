/** Time (aoz-facts §10): Timer in seconds, settable; Wait in seconds. */
import { describe, expect, it } from 'vitest';
import { outputOf, runProgram } from '../helpers/run.js';

describe('Timer', () => {
  it('counts seconds from the start of the program, as a float', async () => {
    expect(await outputOf('T#=Timer : Print T#>=0 And T#<2')).toBe(' 1\n');
    expect(
      await outputOf('T1#=Timer : Wait 0.2 : D#=Timer-T1# : Print D#>=0.19 And D#<1.5; D#<>Int(D#)'),
    ).toBe(' 1 1\n');
  });

  it('can be set: it goes on counting from the value given', async () => {
    expect(await outputOf('Timer = 100 : T#=Timer : Print T#>=100 And T#<101')).toBe(' 1\n');
    expect(await outputOf('Timer = 100 : Wait 0.1 : T#=Timer : Print T#>=100.09 And T#<101')).toBe(' 1\n');
    expect(await outputOf('Timer = 0 : Print Timer<0.5')).toBe(' 1\n');
    expect(await outputOf('Timer = 2.5 : Print Timer>=2.5')).toBe(' 1\n');
  });

  it('rejects a negative value', async () => {
    const r = await runProgram('Timer = -1');
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^Error: Illegal function call: Timer = -1 at line 1/);
  });

  it('starts again at 0 in each run', async () => {
    await outputOf('Timer = 1000');
    expect(await outputOf('Print Timer<100')).toBe(' 1\n');
  });
});

describe('Wait', () => {
  it('waits in seconds and rejects a negative time', async () => {
    const start = performance.now();
    expect(await outputOf('Wait 0.15 : Print "done"')).toBe('done\n');
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    const r = await runProgram('Wait -1');
    expect(r.exit).toBe(1);
  });
});
