/**
 * JSON text laid out the way Biome formats it (objects one member a line; an array of plain values
 * on one line when it fits in the line width), so a generated JSON file passes `biome check` as it
 * is written and `npm run lint` never asks to reformat it.
 */

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

const INDENT = '  ';

/** `value` as JSON text with a final newline; `lineWidth` is biome.json's formatter.lineWidth. */
export function jsonText(value: Json, lineWidth = 110): string {
  return `${render(value, '', 0, lineWidth)}\n`;
}

function isPlain(v: Json): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

/**
 * `prefix` is the number of characters already on the line before the value (indentation and
 * `"key": `), `suffix` the characters that follow it (a `,`), both counted against the line width.
 */
function render(v: Json, indent: string, prefix: number, lineWidth: number, suffix = 0): string {
  if (isPlain(v)) return JSON.stringify(v);
  const inner = indent + INDENT;
  if (Array.isArray(v)) {
    const items = v as readonly Json[];
    if (items.length === 0) return '[]';
    if (items.every(isPlain)) {
      const flat = `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
      if (prefix + flat.length + suffix <= lineWidth) return flat;
    }
    const lines = items.map(
      (item, i) => inner + render(item, inner, inner.length, lineWidth, i < items.length - 1 ? 1 : 0),
    );
    return `[\n${lines.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as { readonly [key: string]: Json });
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, value], i) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + render(value, inner, head.length, lineWidth, i < entries.length - 1 ? 1 : 0);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
