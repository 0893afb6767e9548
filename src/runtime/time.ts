/** Time (aoz-facts §10): AOZ mode counts in seconds; Wait Vbl and Refresh wait for a 1/60 s frame. */
import { AozError } from '../interpreter/errors.js';
import type { BuiltinEntry, Runtime, StateKey, Wait } from '../interpreter/runtime-api.js';

const FRAME_MS = 1000 / 60;

/**
 * Timer's origin: it reads `value` plus the seconds since `since` (ms on rt.now()'s clock).
 * A run starts at 0 from the start of the program; `Timer = x` sets both.
 */
const TIMER: StateKey<{ value: number; since: number }> = {
  name: 'timer',
  create: () => ({ value: 0, since: 0 }),
};

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
    doc: 'Seconds since the program started (or since Timer was last set), as a float.',
    run(rt) {
      const t = rt.state(TIMER);
      return t.value + (rt.now() - t.since) / 1000;
    },
  },
  {
    name: 'Timer',
    kind: 'instruction',
    params: [{ name: 'seconds', type: 'number' }],
    syntax: 'Timer = seconds',
    doc: 'Set the Timer to this many seconds; it goes on counting from there (negative is an error).',
    run(rt, [s]) {
      const seconds = s as number;
      if (!(seconds >= 0)) throw new AozError('illegal_function_call', [`Timer = ${seconds}`]);
      const t = rt.state(TIMER);
      t.value = seconds;
      t.since = rt.now();
      return undefined;
    },
  },
];
