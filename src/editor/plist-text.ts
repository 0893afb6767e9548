/**
 * XML property lists, the TextMate grammar format Sublime Text reads (`.tmLanguage`): the same
 * grammar as the JSON file VS Code reads, in the other serialisation.
 */
import type { Json } from './json-text.js';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function render(v: Json, indent: string, out: string[]): void {
  if (v === null) throw new Error('a property list has no null');
  if (typeof v === 'string') out.push(`${indent}<string>${escapeXml(v)}</string>`);
  else if (typeof v === 'number')
    out.push(Number.isInteger(v) ? `${indent}<integer>${v}</integer>` : `${indent}<real>${v}</real>`);
  else if (typeof v === 'boolean') out.push(`${indent}<${v}/>`);
  else if (Array.isArray(v)) {
    out.push(`${indent}<array>`);
    for (const item of v as readonly Json[]) render(item, `${indent}\t`, out);
    out.push(`${indent}</array>`);
  } else {
    out.push(`${indent}<dict>`);
    for (const [key, value] of Object.entries(v as { readonly [key: string]: Json })) {
      out.push(`${indent}\t<key>${escapeXml(key)}</key>`);
      render(value, `${indent}\t`, out);
    }
    out.push(`${indent}</dict>`);
  }
}

/** `value` as an XML property list; `comment` goes into an XML comment before it. */
export function plistText(value: Json, comment?: string): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  ];
  if (comment) out.push(`<!-- ${comment.replace(/--/g, '- -')} -->`);
  out.push('<plist version="1.0">');
  render(value, '', out);
  out.push('</plist>');
  return `${out.join('\n')}\n`;
}
