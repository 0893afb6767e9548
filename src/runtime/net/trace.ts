/**
 * --trace-net: one canonical line per network event, without timings, so golden tests can compare
 * them (the format is in docs/networking.md):
 *
 *   http> GET <url>                          request sent (after --map)
 *   http> POST <url> (<n> bytes <type>)      ... with its body
 *   http> GET <url> (redirect)               each redirect hop
 *   http< 200 GET <url> (<n> bytes)          final reply (method and URL of the request)
 *   http! GET <url> CLASS: text              transport failure
 *   ws <ch> open <url> | connected | > "sent" | < "received" | close <code> "reason" | error CLASS: text
 */

/** Longest message shown; longer ones are cut with "…". */
export const TRACE_MESSAGE_CHARS = 200;

/** A message as a JSON string, cut after TRACE_MESSAGE_CHARS characters (code points). */
export function traceQuote(message: string): string {
  if (message.length <= TRACE_MESSAGE_CHARS) return JSON.stringify(message);
  const chars = Array.from(message.slice(0, TRACE_MESSAGE_CHARS * 2));
  if (chars.length <= TRACE_MESSAGE_CHARS && message.length <= TRACE_MESSAGE_CHARS * 2) {
    return JSON.stringify(message);
  }
  return JSON.stringify(`${chars.slice(0, TRACE_MESSAGE_CHARS).join('')}…`);
}
