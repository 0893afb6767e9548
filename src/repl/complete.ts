/**
 * Tab completion at the prompt. Names may have spaces ("Call Service", "End Proc"), so the word
 * completed is the longest tail of the line that starts a known name, case-insensitively; what
 * was typed keeps its case and the rest of the name is appended.
 */
export function completeWord(line: string, names: readonly string[]): [string[], string] {
  // Nothing to complete inside a string.
  if ((line.match(/"/g)?.length ?? 0) % 2 === 1) return [[], line];
  for (let i = 0; i < line.length; i++) {
    if (i > 0 && /[\w$#]/.test(line[i - 1]!)) continue;
    const tail = line.slice(i);
    if (!/^[A-Za-z_]/.test(tail)) continue;
    const key = tail.toLowerCase();
    const hits = new Set<string>();
    for (const n of names) if (n.toLowerCase().startsWith(key)) hits.add(tail + n.slice(tail.length));
    if (hits.size > 0) return [[...hits].sort(), tail];
  }
  return [[], line];
}
