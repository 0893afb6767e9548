/**
 * `Call Service method$, url$ [, params$ [, success$ [, error$ [, contentType$ [, async]]]]]`
 * (aoz-facts §12.1) with aozrun's fixes (DESIGN §9, docs/compatibility.md): contentType$ honoured,
 * POST/PUT/PATCH send the parameters as the body, no cache-buster, every 2xx is a success, PUT,
 * PATCH and DELETE exist, a transport failure is status "508" with a `CLASS: ...` text, the
 * callback runs before the next statement, status$ is a string.
 */
import { AozError, type SourcePos } from '../../interpreter/errors.js';
import type {
  InstructionEntry,
  ProcedureRef,
  Runtime,
  RuntimeEvent,
  Wait,
} from '../../interpreter/runtime-api.js';
import type { Value } from '../../interpreter/values.js';
import { type HttpMethod, type HttpOutcome, type HttpRequest, startRequest } from './http.js';
import { NET } from './net.js';
import type { Release } from './slots.js';
import { prepareUrl } from './url.js';

const METHODS: ReadonlySet<string> = new Set(['get', 'post', 'head', 'put', 'patch', 'delete']);
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH']);

/** What the program receives: status$ and response$ by position, and which procedure gets them. */
interface Delivery {
  readonly ok: boolean;
  readonly status: string;
  readonly response: string;
}

function text(v: Value | undefined): string {
  return v === undefined ? '' : String(v);
}

/**
 * params$ as `name = value & name2 = value2`: a leading `?` is dropped, spaces around names and
 * values are removed (with one warning: a transcription artefact of the printed docs), and the
 * pairs are form-encoded. `%XX` and `+` are read as already encoded, as a server would have read
 * the raw text AOZ sends, so `a%20b` and `a b` both arrive as "a b".
 */
export function encodeParams(rt: Pick<Runtime, 'warn'>, params: string): string {
  const source = params.startsWith('?') ? params.slice(1) : params;
  const out = new URLSearchParams();
  let trimmed = false;
  for (const piece of source.split('&')) {
    if (piece.trim() === '') {
      if (piece !== '') trimmed = true;
      continue;
    }
    const eq = piece.indexOf('=');
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const name = rawName.trim();
    const value = rawValue.trim();
    if (name !== rawName || value !== rawValue) trimmed = true;
    out.append(formDecode(name), formDecode(value));
  }
  if (trimmed) rt.warn('spaces removed around "=" and "&" in the Call Service parameters');
  return out.toString();
}

/** application/x-www-form-urlencoded decoding, lenient about stray `%`. */
function formDecode(s: string): string {
  return new URLSearchParams(`x=${s}`).get('x') ?? '';
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function findProcedure(rt: Runtime, name: string): ProcedureRef | undefined {
  if (name.trim() === '') return undefined;
  const proc = rt.findProcedure(name) ?? rt.findProcedure(name.trim());
  if (!proc) throw new AozError('procedure_not_found', [name]);
  return proc;
}

/** Prepare the request (every check before any I/O). */
function prepare(
  rt: Runtime,
  args: readonly (Value | undefined)[],
): {
  request: HttpRequest;
  success: ProcedureRef | undefined;
  error: ProcedureRef | undefined;
} {
  const methodText = text(args[0]).trim().toLowerCase() || 'post';
  if (!METHODS.has(methodText)) throw new AozError('wrong_method');
  const method = methodText.toUpperCase() as HttpMethod;

  const urlText = text(args[1]);
  if (urlText === '') throw new AozError('url_missing');

  const success = findProcedure(rt, text(args[3]));
  const error = findProcedure(rt, text(args[4]));

  const contentType = text(args[5]).trim();
  if (hasControlCharacter(contentType)) {
    throw new AozError('illegal_function_call', ['the content type contains a control character']);
  }

  const net = rt.service(NET);
  const url = prepareUrl(rt, urlText, 'http', net.options.maps);
  const params = text(args[2]);

  if (BODY_METHODS.has(method)) {
    if (contentType !== '') {
      return { request: { method, url, body: params, contentType }, success, error };
    }
    const body = encodeParams(rt, params);
    return {
      request: { method, url, body, contentType: 'application/x-www-form-urlencoded' },
      success,
      error,
    };
  }
  const query = encodeParams(rt, params);
  if (query !== '') url.search = url.search.length > 1 ? `${url.search.slice(1)}&${query}` : query;
  return { request: { method, url }, success, error };
}

function deliveryOf(outcome: Exclude<HttpOutcome, { kind: 'cancelled' }>): Delivery {
  if (outcome.kind === 'failure') return { ok: false, status: '508', response: outcome.text };
  return {
    ok: outcome.status >= 200 && outcome.status < 300,
    status: String(outcome.status),
    response: outcome.body,
  };
}

/** The catchable error when a failure has no error procedure: status and the first line of the text. */
function requestFailed(d: Delivery, pos?: SourcePos): AozError {
  let first = d.response.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (first.length > 200) first = `${first.slice(0, 200)}...`;
  return new AozError('request_failed', [first === '' ? d.status : `${d.status} ${first}`], pos);
}

export const callServiceEntry: InstructionEntry = {
  kind: 'instruction',
  name: 'Call Service',
  params: [
    { name: 'method$', type: 'string', optional: true },
    { name: 'url$', type: 'string', optional: true },
    { name: 'params$', type: 'string', optional: true },
    { name: 'success$', type: 'string', optional: true },
    { name: 'error$', type: 'string', optional: true },
    { name: 'contentType$', type: 'string', optional: true },
    { name: 'async', type: 'number', optional: true },
  ],
  doc: 'Send an HTTP request (get, post, head, put, patch, delete); the success or error procedure receives status$ and response$.',
  syntax: 'Call Service method$, url$ [, params$ [, success$ [, error$ [, contentType$ [, async]]]]]',
  waits: true,
  run(rt: Runtime, args: readonly (Value | undefined)[]): undefined | Wait {
    const { request, success, error } = prepare(rt, args);
    const net = rt.service(NET);
    const asyncFlag = args[6];
    const isAsync = asyncFlag !== undefined && asyncFlag !== 0 && asyncFlag !== '';
    const origin = request.url.origin;

    if (isAsync) {
      // Asynchronous: the reply is an event (DESIGN §5); the program may end only after it.
      const pos = rt.pos;
      const begin = (slot: Release): void => {
        const release = rt.hold();
        startRequest(net, request, (outcome) => {
          slot();
          if (outcome.kind !== 'cancelled' && !net.closed) {
            const d = deliveryOf(outcome);
            const proc = d.ok ? success : error;
            let event: RuntimeEvent | undefined;
            if (proc) event = { kind: 'call', proc, args: [d.status, d.response] };
            else if (!d.ok) event = { kind: 'error', error: requestFailed(d, pos) };
            if (event) rt.post(event);
            release();
            rt.wake();
          } else {
            release();
          }
        });
      };
      const slot = net.slots.tryAcquire(origin);
      if (slot) {
        begin(slot);
        return undefined;
      }
      // The origin's queue is full: the statement waits for a slot (never an error, never EMFILE).
      let admitted = false;
      const cancel = net.slots.wait(origin, (granted) => {
        admitted = true;
        begin(granted);
        rt.wake();
      });
      return { what: 'Call Service', ready: () => admitted, cancel };
    }

    // Synchronous (AOZ's default): the statement waits, then calls the procedure right there.
    let delivery: Delivery | undefined;
    let cancelRequest: (() => void) | undefined;
    const begin = (slot: Release): void => {
      cancelRequest = startRequest(net, request, (outcome) => {
        slot();
        if (outcome.kind === 'cancelled' || net.closed) return;
        delivery = deliveryOf(outcome);
        rt.wake();
      });
    };
    const slot = net.slots.tryAcquire(origin);
    let cancelWait: (() => void) | undefined;
    if (slot) begin(slot);
    else cancelWait = net.slots.wait(origin, begin);
    return {
      what: 'Call Service',
      ready: () => delivery !== undefined,
      onReady(rt2: Runtime): void {
        const d = delivery;
        if (!d) return;
        const proc = d.ok ? success : error;
        if (proc) rt2.call(proc, [d.status, d.response]);
        else if (!d.ok) throw requestFailed(d);
      },
      cancel: () => {
        cancelWait?.();
        cancelRequest?.();
      },
    };
  },
};
