/**
 * The JSON extension (aoz-facts §12.3), with its defects fixed (DESIGN §9, docs/compatibility.md):
 * invalid JSON is a catchable `json_syntax_error` that explains what is wrong (Parse and Load),
 * a missing file is `file_not_found`, Save works, a failure leaves the channel's document as it
 * was, paths are checked and every failure says which part of the path is missing, and a path may
 * start with `[n]` to index a document that is an array.
 *
 * A channel holds one JSON document (its root), `{}` when opened. Paths are dot-separated names,
 * each followed by any number of 0-based indexes: `books[0].title`, `[2].name`, `grid[1][0]`.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AozError } from '../interpreter/errors.js';
import type { Arg, BuiltinEntry, Runtime, StateKey, Wait } from '../interpreter/runtime-api.js';
import { FALSE, MAX_STRING_LENGTH, TRUE, type Value } from '../interpreter/values.js';

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

interface Channel {
  root: Json;
}

/** This run's channels, by index. */
const CHANNELS: StateKey<Map<number, Channel>> = { name: 'JSON channels', create: () => new Map() };

/** A channel index: an integer >= 0. */
function channelIndex(v: Arg): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new AozError('illegal_function_call', [`JSON channel index must be an integer >= 0, not ${v}`]);
  }
  return v;
}

function channel(rt: Runtime, v: Arg): Channel {
  const index = channelIndex(v);
  const c = rt.state(CHANNELS).get(index);
  if (!c) throw new AozError('json_channel_not_defined', [index]);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Documents

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "a string", "an array"... for messages. */
function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** JSON.parse with its explanation turned into a catchable AOZ error. */
function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new AozError('json_syntax_error', [e instanceof Error ? e.message : String(e)]);
  }
}

/** Compact JSON text of a document (what Stringify$ returns and Save writes). */
function stringify(root: Json, what: string): string {
  let text: string;
  try {
    text = JSON.stringify(root);
  } catch (e) {
    // Only a document nested thousands of levels deep (from Parse or Load) can fail.
    if (e instanceof RangeError) {
      throw new AozError('out_of_stack_space', [`${what}: the document is nested too deeply`]);
    }
    throw e;
  }
  if (text.length > MAX_STRING_LENGTH) {
    throw new AozError('string_too_long', [`${what}: ${text.length} characters`]);
  }
  return text;
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
function setOwn(obj: JsonObject, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------
// Paths

type Step = string | number;

/**
 * `books[0].title` -> ["books", 0, "title"]; `[1].name` -> [1, "name"]. A malformed path is a
 * programming error (Illegal function call), never hidden by a default value.
 */
function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const m = /^([^[\]]*)((?:\[[^[\]]*\])*)$/.exec(segment);
    if (!m) throw badPath(path, `"${segment}" is not a name followed by [index]`);
    const name = m[1] ?? '';
    const brackets = m[2] ?? '';
    if (name !== '') steps.push(name);
    else if (i > 0 || brackets === '') throw badPath(path, 'a name is missing');
    for (const b of brackets.matchAll(/\[([^\]]*)\]/g)) {
      const inside = (b[1] ?? '').trim();
      if (!/^\d+$/.test(inside)) throw badPath(path, `[${b[1]}] is not an index (0, 1, 2...)`);
      steps.push(Number(inside));
    }
  }
  return steps;
}

function badPath(path: string, why: string): AozError {
  return new AozError('illegal_function_call', [`JSON path "${path}": ${why}`]);
}

/** The path text of the first `n` steps: `books[0]`. */
function pathText(steps: readonly Step[], n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const step = steps[i];
    s += typeof step === 'number' ? `[${step}]` : `${i > 0 ? '.' : ''}${step}`;
  }
  return s;
}

/** `what` of the first `n` steps, or "the document" for none. */
function subject(steps: readonly Step[], n: number): string {
  return n === 0 ? 'the document' : pathText(steps, n);
}

/** Why step `i` cannot be taken from `from`, or undefined when it can. */
function stepProblem(from: Json, steps: readonly Step[], i: number): string | undefined {
  const step = steps[i] as Step;
  if (typeof step === 'number') {
    if (!Array.isArray(from)) return `${subject(steps, i)} is ${describe(from)}, not an array`;
    if (step >= from.length) {
      const n = from.length;
      return `${subject(steps, i)} has ${n} element${n === 1 ? '' : 's'}`;
    }
    return undefined;
  }
  if (!isObject(from)) return `${subject(steps, i)} is ${describe(from)}, not an object`;
  if (!Object.hasOwn(from, step)) return `${pathText(steps, i + 1)} does not exist`;
  return undefined;
}

function take(from: Json, step: Step): Json {
  return (typeof step === 'number' ? (from as Json[])[step] : (from as JsonObject)[step]) as Json;
}

function notDefined(path: string, detail?: string): AozError {
  return new AozError('property_not_defined', [detail === undefined ? path : `${path} (${detail})`]);
}

/** The value at `steps[0..n)`, or the error that says which part is missing. */
function walk(root: Json, path: string, steps: readonly Step[], n: number): Json {
  let at = root;
  for (let i = 0; i < n; i++) {
    const problem = stepProblem(at, steps, i);
    if (problem !== undefined) {
      // A simply missing last component needs no explanation.
      const plain = i === steps.length - 1 && problem.endsWith(' does not exist');
      throw notDefined(path, plain ? undefined : problem);
    }
    at = take(at, steps[i] as Step);
  }
  return at;
}

/**
 * JSON Property / JSON Property$: the value at the path if it has the wanted type (a boolean
 * counts as a number, 1 or 0); otherwise the default when there is one, else property_not_defined.
 */
function getProperty(root: Json, path: string, type: 'number' | 'string', fallback: Arg): Value {
  const steps = path === '' ? [] : parsePath(path);
  let value: Json;
  try {
    if (steps.length === 0) throw notDefined('""', 'the path is empty');
    value = walk(root, path, steps, steps.length);
    if (type === 'number') {
      if (typeof value === 'number') return value;
      if (typeof value === 'boolean') return value ? TRUE : FALSE;
    } else if (typeof value === 'string') {
      return value;
    }
    throw notDefined(path, `it is ${describe(value)}, not a ${type}`);
  } catch (e) {
    if (fallback !== undefined && e instanceof AozError && e.id === 'property_not_defined') {
      return fallback as Value;
    }
    throw e;
  }
}

/**
 * JSON Set Property / Set Property$: sets or creates the last component; everything before it
 * must exist. An array element may be replaced or appended (index = its length).
 */
function setProperty(root: Json, path: string, value: Json): void {
  if (path === '') throw notDefined('""', 'the path is empty');
  const steps = parsePath(path);
  const last = steps.length - 1;
  const parent = walk(root, path, steps, last);
  const step = steps[last] as Step;
  if (typeof step === 'number') {
    if (!Array.isArray(parent)) {
      throw notDefined(path, `${subject(steps, last)} is ${describe(parent)}, not an array`);
    }
    if (step > parent.length) {
      const n = parent.length;
      throw notDefined(
        path,
        `${subject(steps, last)} has ${n} element${n === 1 ? '' : 's'}: the next one is [${n}]`,
      );
    }
    parent[step] = value;
    return;
  }
  if (!isObject(parent)) {
    throw notDefined(path, `${subject(steps, last)} is ${describe(parent)}, not an object`);
  }
  setOwn(parent, step, value);
}

// ---------------------------------------------------------------------------------------------
// Files

/** A file name relative to the current directory. */
function filePath(v: Arg, what: string): string {
  const name = v === undefined ? '' : String(v);
  if (name === '') throw new AozError('illegal_function_call', [`${what}: the file name is empty`]);
  return resolve(process.cwd(), name);
}

function fileError(e: unknown, name: string, reading: boolean): AozError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (reading && code === 'ENOENT') return new AozError('file_not_found', [name]);
  const why: Record<string, string> = {
    ENOENT: 'the folder does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  const detail = (code && why[code]) ?? (e instanceof Error ? e.message : String(e));
  return new AozError('io_error', [`${name}: ${detail}`]);
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AozError };

/**
 * A Wait on an asynchronous file operation: ready once it is done, then `finish` runs (it may
 * throw). A program that ends meanwhile is not woken.
 */
function fileWait<T>(
  rt: Runtime,
  what: string,
  work: Promise<T>,
  finish: (v: T) => void,
  name: string,
  reading: boolean,
): Wait {
  let outcome: Outcome<T> | undefined;
  let cancelled = false;
  work
    .then(
      (value) => {
        outcome = { ok: true, value };
      },
      (e: unknown) => {
        outcome = { ok: false, error: e instanceof AozError ? e : fileError(e, name, reading) };
      },
    )
    .finally(() => {
      if (!cancelled) rt.wake();
    });
  return {
    what,
    ready(): boolean {
      if (!outcome) return false;
      if (!outcome.ok) throw outcome.error;
      finish(outcome.value);
      return true;
    },
    cancel(): void {
      cancelled = true;
    },
  };
}

async function readText(file: string, name: string): Promise<string> {
  const info = await stat(file);
  if (info.isDirectory()) throw new AozError('io_error', [`${name}: it is a folder`]);
  // UTF-8 needs at least one byte a character: a larger file cannot give a string in the limit.
  if (info.size > MAX_STRING_LENGTH * 4) {
    throw new AozError('string_too_long', [`JSON Load: ${name} is ${info.size} bytes`]);
  }
  const text = await readFile(file, 'utf8');
  if (text.length > MAX_STRING_LENGTH) {
    throw new AozError('string_too_long', [`JSON Load: ${name} has ${text.length} characters`]);
  }
  // A byte-order mark is not JSON, but editors write one.
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------------
// Table entries

const index = { name: 'index', type: 'number' } as const;
const tags = { name: 'tags$', type: 'string', optional: true } as const;

export const jsonTable: readonly BuiltinEntry[] = [
  {
    name: 'JSON Open',
    kind: 'instruction',
    params: [index, tags],
    doc: 'Open a JSON channel holding an empty object {} (an open channel starts again); tags$ is ignored.',
    run(rt, [i]) {
      rt.state(CHANNELS).set(channelIndex(i), { root: {} });
      return undefined;
    },
  },
  {
    name: 'JSON Close',
    kind: 'instruction',
    params: [index],
    doc: 'Close a JSON channel; its document is lost.',
    run(rt, [i]) {
      channel(rt, i);
      rt.state(CHANNELS).delete(i as number);
      return undefined;
    },
  },
  {
    name: 'JSON New',
    kind: 'instruction',
    params: [index],
    doc: "Replace the channel's document with an empty object {}.",
    run(rt, [i]) {
      channel(rt, i).root = {};
      return undefined;
    },
  },
  {
    name: 'JSON Parse',
    kind: 'instruction',
    params: [index, { name: 'string$', type: 'string' }, tags],
    doc: "Replace the channel's document with the JSON text given; invalid JSON is an error and changes nothing.",
    run(rt, [i, s]) {
      const c = channel(rt, i);
      c.root = parseJson(s as string);
      return undefined;
    },
  },
  {
    name: 'JSON Load',
    kind: 'instruction',
    params: [index, { name: 'path$', type: 'string' }, tags],
    doc: "Replace the channel's document with the JSON of a UTF-8 file (relative to the current folder).",
    waits: true,
    run(rt, [i, p]) {
      const c = channel(rt, i);
      const name = String(p);
      const file = filePath(p, 'JSON Load');
      return fileWait(
        rt,
        'JSON Load',
        readText(file, name),
        (text) => {
          c.root = parseJson(text);
        },
        name,
        true,
      );
    },
  },
  {
    name: 'JSON Save',
    kind: 'instruction',
    params: [index, { name: 'path$', type: 'string' }, tags],
    doc: "Write the channel's document as compact JSON (UTF-8) to a file, replacing it.",
    waits: true,
    run(rt, [i, p]) {
      const text = stringify(channel(rt, i).root, 'JSON Save');
      const name = String(p);
      const file = filePath(p, 'JSON Save');
      return fileWait(rt, 'JSON Save', writeFile(file, text, 'utf8'), () => undefined, name, false);
    },
  },
  {
    name: 'JSON Stringify$',
    kind: 'function',
    returns: 'string',
    params: [index, { name: 'x$', type: 'string', optional: true }],
    doc: "The channel's document as compact JSON text (x$, an error name in AOZ, is ignored).",
    run: (rt, [i]) => stringify(channel(rt, i).root, 'JSON Stringify$'),
  },
  {
    name: 'JSON Property',
    kind: 'function',
    returns: 'float',
    params: [index, { name: 'path$', type: 'string' }, { name: 'default', type: 'number', optional: true }],
    doc: 'The number (or boolean, 1/0) at a path; the default, if given, when there is none.',
    run: (rt, [i, p, d]) => getProperty(channel(rt, i).root, p as string, 'number', d),
  },
  {
    name: 'JSON Property$',
    kind: 'function',
    returns: 'string',
    params: [index, { name: 'path$', type: 'string' }, { name: 'default$', type: 'string', optional: true }],
    doc: 'The string at a path; the default, if given, when there is none.',
    run: (rt, [i, p, d]) => getProperty(channel(rt, i).root, p as string, 'string', d),
  },
  {
    name: 'JSON Set Property',
    kind: 'instruction',
    params: [index, { name: 'path$', type: 'string' }, { name: 'value', type: 'number' }],
    doc: 'Set or create the number at a path (everything before its last part must exist).',
    run(rt, [i, p, v]) {
      const c = channel(rt, i);
      const n = v as number;
      if (!Number.isFinite(n)) {
        throw new AozError('illegal_function_call', [`JSON Set Property: JSON has no number ${n}`]);
      }
      setProperty(c.root, p as string, n);
      return undefined;
    },
  },
  {
    name: 'JSON Set Property$',
    kind: 'instruction',
    params: [index, { name: 'path$', type: 'string' }, { name: 'value$', type: 'string' }],
    doc: 'Set or create the string at a path; "[]" and "{}" create an empty array or object.',
    run(rt, [i, p, v]) {
      const c = channel(rt, i);
      const s = v as string;
      setProperty(c.root, p as string, s === '[]' ? [] : s === '{}' ? {} : s);
      return undefined;
    },
  },
];
