/**
 * Golden transcripts (`NAME.expect` beside `NAME.aoz`), expect-style: what the program prints,
 * interleaved with what is typed, each input sent only once the output before it has appeared.
 *
 *   # comment                    ignored
 *   #! exit: 1                   expected exit status (default 0)
 *   #! strict                    run with --strict
 *   #! dump-screen               run with --dump-screen: the expected output is the final window
 *   #! trace-net                 run with --trace-net: the trace lines are expected on stderr
 *   > TEXT                       type TEXT and Return (sends TEXT + "\n")
 *   >> TEXT                      type TEXT as it is, without Return; escapes: \s space, \t, \n,
 *                                \r, \\ and \xHH
 *   ! TEXT                       a line expected on stderr (stderr is compared as a whole at the end)
 *   anything else                a line expected on stdout, verbatim; a leading "\" is dropped (to
 *                                start a line with #, > or !); a final "\" means no newline (the next
 *                                line continues it; write "\\" for a real final backslash)
 *
 * Stdin is closed once all the expected output has appeared.
 */

export type Step =
  | { readonly kind: 'output'; readonly text: string }
  | { readonly kind: 'input'; readonly text: string };

export interface Transcript {
  readonly steps: readonly Step[];
  readonly stderr: readonly string[];
  readonly exit: number;
  readonly strict: boolean;
  readonly dumpScreen: boolean;
  readonly traceNet: boolean;
  /** Comment lines at the top, kept when the transcript is rewritten. */
  readonly header: readonly string[];
}

export function unescapeInput(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[strn\\])/g, (_, e: string) => {
    switch (e) {
      case 's':
        return ' ';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'n':
        return '\n';
      case '\\':
        return '\\';
      default:
        return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    }
  });
}

export function escapeInput(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\\\';
    else if (c === ' ' && (i === 0 || i === text.length - 1)) out += '\\s';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\n') out += '\\n';
    else if (code < 32) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

export function parseTranscript(source: string): Transcript {
  const steps: Step[] = [];
  const stderr: string[] = [];
  const header: string[] = [];
  let exit = 0;
  let strict = false;
  let dumpScreen = false;
  let traceNet = false;
  let output = '';
  let seenBody = false;
  const flush = () => {
    if (output !== '') steps.push({ kind: 'output', text: output });
    output = '';
  };
  const lines = source.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('#!')) {
      const [key, value] = line
        .slice(2)
        .split(':')
        .map((s) => s.trim());
      if (key === 'exit') exit = Number(value);
      else if (key === 'strict') strict = true;
      else if (key === 'dump-screen') dumpScreen = true;
      else if (key === 'trace-net') traceNet = true;
      else throw new Error(`unknown transcript directive: ${line}`);
      continue;
    }
    if (line.startsWith('#')) {
      if (!seenBody) header.push(line);
      continue;
    }
    seenBody = true;
    if (line.startsWith('>> ') || line === '>>') {
      flush();
      steps.push({ kind: 'input', text: unescapeInput(line.slice(3)) });
    } else if (line.startsWith('> ') || line === '>') {
      flush();
      steps.push({ kind: 'input', text: `${line.slice(2)}\n` });
    } else if (line.startsWith('! ') || line === '!') {
      stderr.push(line.slice(2));
    } else {
      let text = line.startsWith('\\') ? line.slice(1) : line;
      if (text.endsWith('\\\\')) text = `${text.slice(0, -1)}\n`;
      else if (text.endsWith('\\')) text = text.slice(0, -1);
      else text += '\n';
      output += text;
    }
  }
  flush();
  return { steps, stderr, exit, strict, dumpScreen, traceNet, header };
}

/** Writes a transcript back in the same notation (for `npm run golden:update`). */
export function formatTranscript(t: Transcript): string {
  const out: string[] = [...t.header];
  if (t.strict) out.push('#! strict');
  if (t.dumpScreen) out.push('#! dump-screen');
  if (t.traceNet) out.push('#! trace-net');
  if (t.exit !== 0) out.push(`#! exit: ${t.exit}`);
  for (const step of t.steps) {
    if (step.kind === 'input') {
      out.push(
        step.text.endsWith('\n') &&
          !step.text.slice(0, -1).includes('\n') &&
          !/^\s|\s$/.test(step.text.slice(0, -1))
          ? `> ${step.text.slice(0, -1)}`.trimEnd()
          : `>> ${escapeInput(step.text)}`,
      );
      continue;
    }
    const pieces = step.text.split('\n');
    const complete = pieces.pop() === '';
    const all = complete ? pieces : [...pieces, step.text.slice(step.text.lastIndexOf('\n') + 1)];
    all.forEach((p, i) => {
      let line = /^[#>!\\]/.test(p) ? `\\${p}` : p;
      if (line.endsWith('\\')) line += '\\';
      if (!complete && i === all.length - 1) line += '\\';
      out.push(line);
    });
  }
  for (const e of t.stderr) out.push(e === '' ? '!' : `! ${e}`);
  return `${out.join('\n')}\n`;
}
