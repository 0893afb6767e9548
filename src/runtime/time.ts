/** Time (aoz-facts §10): AOZ mode counts in seconds; Wait Vbl and Refresh wait for a 1/60 s frame. */
import { AozError } from '../interpreter/errors.js';
import type { BuiltinEntry, Runtime, Wait } from '../interpreter/runtime-api.js';

const FRAME_MS = 1000 / 60;

/** A wait that ends at `deadline` (ms on rt.now()'s clock). */
function waitUntil(rt: Runtime, what: string, deadline: number): Wait {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(
      () => {
        timer = undefined;
        rt.wake();
      },
      Math.max(1, Math.ceil(deadline - rt.now())),
    );
  };
  arm();
  return {
    what,
    ready() {
      if (rt.now() >= deadline) {
        clearTimeout(timer);
        return true;
      }
      // Node may fire a timer a little before our clock reaches the deadline: arm it again.
      if (timer === undefined) arm();
      return false;
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

function nextFrame(rt: Runtime, what: string): Wait {
  const now = rt.now();
  return waitUntil(rt, what, (Math.floor(now / FRAME_MS) + 1) * FRAME_MS);
}

export const timeTable: readonly BuiltinEntry[] = [
  {
    name: 'Wait',
    kind: 'instruction',
    params: [{ name: 'seconds', type: 'number' }],
    waits: true,
    doc: 'Wait this many seconds (fractions allowed; AOZ mode counts seconds, not 1/50ths).',
    run(rt, [s]) {
      const seconds = s as number;
      if (!(seconds >= 0)) throw new AozError('illegal_function_call', [`Wait ${seconds}`]);
      return waitUntil(rt, 'Wait', rt.now() + seconds * 1000);
    },
  },
  {
    name: 'Wait Vbl',
    kind: 'instruction',
    params: [],
    waits: true,
    doc: 'Wait for the next display frame (1/60 s).',
    run: (rt) => nextFrame(rt, 'Wait Vbl'),
  },
  {
    name: 'Refresh',
    kind: 'instruction',
    params: [],
    waits: true,
    doc: 'Let the display catch up: waits for the next frame (1/60 s).',
    run: (rt) => nextFrame(rt, 'Refresh'),
  },
  {
    name: 'Timer',
    kind: 'function',
    returns: 'float',
    params: [],
    doc: 'Seconds since the program started, as a float.',
    run: (rt) => rt.now() / 1000,
  },
];
