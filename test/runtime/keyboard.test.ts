/** The keyboard family (aoz-facts §4) through real programs, in pipe mode (stdin = keys typed). */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../helpers/run.js';

/** Waits for the next key with Inkey$ (a pipe delivers stdin after the program has started). */
const NEXT_KEY = 'Procedure NEXTKEY$\n  Repeat : K$=Inkey$ : Until K$<>""\nEnd Proc[K$]\n';

describe('Input$', () => {
  it('waits for n characters, shows none of them, and skips Return', async () => {
    const r = await runProgram('Print "Type 5:" : A$=Input$(5) : Print "[";A$;"]"', { input: 'ab\ncd\ne' });
    expect(r.stdout).toBe('Type 5:\n[abcde]\n');
    expect(r.exit).toBe(0);
  });

  it('skips the other keys without a character (Tab, Escape, the arrow codes)', async () => {
    const r = await runProgram('A$=Input$(2) : Print Len(A$);A$', { input: '\t\x1b\x1cx\x1dy' });
    expect(r.stdout).toBe(' 2xy\n');
  });

  it('gives "" at once for 0, and rejects a negative count', async () => {
    expect((await runProgram('Print "[";Input$(0);"]"')).stdout).toBe('[]\n');
    const r = await runProgram('A$=Input$(-1)');
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^Error: Illegal function call/);
  });

  it('ends the run with a notice when stdin ends first', async () => {
    const r = await runProgram('A$=Input$(4) : Print "never"', { input: 'ab' });
    expect(r.stdout).toBe('');
    expect(r.exit).toBe(0);
    expect(r.stderr).toMatch(/end of input while the program waited for Input\$/);
  });
});

describe('ScanCode and ScanShift', () => {
  it('give the key code of the key Inkey$ returned (browser key codes), then 0', async () => {
    const r = await runProgram(
      `${NEXT_KEY}For I=1 To 6 : K$=NEXTKEY$[] : Print ScanCode; : Next I : Print ScanCode; ScanShift`,
      { input: 'aZ7 \n;' },
    );
    expect(r.stdout).toBe(' 65 90 55 32 13 186 0 0\n');
  });

  it('give the arrow key codes for the Inkey$ arrow characters', async () => {
    const r = await runProgram(`${NEXT_KEY}For I=1 To 4 : K$=NEXTKEY$[] : Print ScanCode; : Next I`, {
      input: '\x1c\x1f\x1d\x1e',
    });
    expect(r.stdout).toBe(' 37 39 38 40');
  });

  it('are 0 after Wait Key, which forgets the key', async () => {
    const r = await runProgram('Wait Key : Print ScanCode', { input: 'q' });
    expect(r.stdout).toBe(' 0\n');
  });
});

describe('Key State and Key Shift in pipes', () => {
  it('Key State is true for the key read last, until the next read', async () => {
    const r = await runProgram(
      `${NEXT_KEY}K$=NEXTKEY$[] : Print Key State(65); Key State(66); Key State(65)\nK$=NEXTKEY$[] : Print Key State(65); Key State(13)\nRepeat : Until Inkey$="" : Print Key State(13)`,
      { input: 'a\n' },
    );
    expect(r.stdout).toBe(' 1 0 1\n 0 1\n 0\n');
  });

  it('Key Shift is always 0: a pipe has no modifier keys', async () => {
    const r = await runProgram(`${NEXT_KEY}K$=NEXTKEY$[] : Print K$; Key Shift; ScanShift`, { input: 'A' });
    expect(r.stdout).toBe('A 0 0\n');
  });
});

describe('Put Key and Clear Key', () => {
  it('types keys ahead of stdin for Inkey$, Wait Key and Input$', async () => {
    const r = await runProgram(
      'Put Key "xyz" : A$=Inkey$ : Print A$; ScanCode : Wait Key : B$=Input$(3) : Print B$',
      { input: 'st' },
    );
    expect(r.stdout).toBe('x 88\nzst\n');
  });

  it('gives Input a default answer; Chr$(13) in it validates the line', async () => {
    const r = await runProgram(
      'Put Key "NO" : Input "Love me? ";A$ : Print "[";A$;"]"\nPut Key "YES"+Chr$(13) : Input "Again? ";B$ : Print "[";B$;"]"',
      { input: 'PE\n' },
    );
    expect(r.stdout).toBe('Love me? NOPE\n[NOPE]\nAgain? YES\n[YES]\n');
  });

  it('Clear Key forgets what Put Key typed, never what stdin sent', async () => {
    const r = await runProgram(
      `${NEXT_KEY}Put Key "abc" : A$=Inkey$ : Clear Key : B$=NEXTKEY$[] : Print A$;B$`,
      {
        input: 'z',
      },
    );
    expect(r.stdout).toBe('az\n');
  });
});

describe('Wait Input and Key Speed', () => {
  it('Wait Input waits for a key like Wait Key; Key Speed is accepted', async () => {
    const r = await runProgram('Key Speed 10, 2\nWait Input\nPrint "key"', { input: 'x' });
    expect([r.stdout, r.exit]).toEqual(['key\n', 0]);
  });
});
