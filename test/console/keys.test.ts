import { describe, expect, it } from 'vitest';
import { inkeyValue, type Key, KeyDecoder } from '../../src/runtime/console/keys.js';

function decode(...chunks: string[]): string[] {
  const d = new KeyDecoder();
  const keys: Key[] = [];
  for (const c of chunks) keys.push(...d.feed(c));
  keys.push(...d.flush());
  return keys.map((k) => (k.type === 'interrupt' ? 'INT' : inkeyValue(k)));
}

const chr = (n: number): string => String.fromCharCode(n);

describe('KeyDecoder (raw terminal input → Inkey$ values, aoz-facts §4.3)', () => {
  it('passes printable characters through, including non-ASCII', () => {
    expect(decode('aZ 1é😀')).toEqual(['a', 'Z', ' ', '1', 'é', '😀']);
  });

  it('maps Return, Tab, Backspace (DEL and BS) and Escape', () => {
    expect(decode('\r', '\n', '\t', '\x7f', '\b', '\x1b')).toEqual([
      chr(13),
      chr(13),
      chr(9),
      chr(8),
      chr(8),
      chr(27),
    ]);
    expect(decode('\r\n')).toEqual([chr(13)]);
  });

  it('maps arrows to AOZ Inkey$ codes: Left 28, Right 31, Up 29, Down 30', () => {
    expect(decode('\x1b[D', '\x1b[C', '\x1b[A', '\x1b[B')).toEqual([chr(28), chr(31), chr(29), chr(30)]);
    expect(decode('\x1bOD\x1bOC\x1bOA\x1bOB')).toEqual([chr(28), chr(31), chr(29), chr(30)]);
    expect(decode('\x1b[1;5D')).toEqual([chr(28)]);
  });

  it('maps Home/End/PageUp/PageDown to Chr$(0), Insert/Delete/F-keys to Chr$(30)', () => {
    expect(decode('\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[5~\x1b[6~\x1bOH\x1bOF')).toEqual(Array(8).fill(chr(0)));
    expect(decode('\x1b[2~\x1b[3~\x1bOP\x1bOS\x1b[15~\x1b[24~\x1b[[A')).toEqual(Array(7).fill(chr(30)));
  });

  it('reports Ctrl-C as an interrupt, Ctrl+letter as the letter', () => {
    expect(decode('a\x03b', '\x01')).toEqual(['a', 'INT', 'b', 'a']);
  });

  it('reassembles an escape sequence cut between chunks', () => {
    expect(decode('\x1b[', 'D')).toEqual([chr(28)]);
    expect(decode('x\x1bO', 'A')).toEqual(['x', chr(29)]);
  });

  it('treats Alt+key as the key, double ESC as Escape, and ignores unknown sequences', () => {
    expect(decode('\x1bx')).toEqual(['x']);
    expect(decode('\x1b\x1b')).toEqual([chr(27), chr(27)]);
    expect(decode('\x1b[200~pasted\x1b[201~')).toEqual([...'pasted']);
    expect(decode('\x1b[99X')).toEqual([]);
  });
});
