/**
 * The scheduler's contract (DESIGN §5): events are dispatched in arrival order, only between
 * statements, never nested, also while the program waits; a waiting Call Service runs its
 * procedure before the next statement; replies still in flight when the program falls off its end
 * are delivered; End cancels them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinRegistry } from '../../src/interpreter/builtins.js';
import type { BuiltinEntry } from '../../src/interpreter/runtime-api.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { builtinTable } from '../../src/runtime/index.js';
import { runProgram } from '../helpers/run.js';

/** Test-only entries: post an event now, or later while holding the program open. */
const testEntries: BuiltinEntry[] = [
  {
    name: 'Post$',
    kind: 'function',
    returns: 'string',
    params: [{ name: 'proc$', type: 'string' }],
    doc: 'test: queue a call of proc$ and return "P"',
    run(rt, [name]) {
      rt.post({ kind: 'call', proc: rt.findProcedure(name as string)!, args: [] });
      return 'P';
    },
  },
  {
    name: 'Post Later',
    kind: 'instruction',
    params: [
      { name: 'proc$', type: 'string' },
      { name: 'ms', type: 'number' },
    ],
    doc: 'test: queue a call of proc$ after ms milliseconds, holding the program open until then',
    run(rt, [name, ms]) {
      const release = rt.hold();
      setTimeout(() => {
        rt.post({ kind: 'call', proc: rt.findProcedure(name as string)!, args: [] });
        release();
      }, ms as number);
      return undefined;
    },
  },
  {
    name: 'Post Soon',
    kind: 'instruction',
    params: [{ name: 'proc$', type: 'string' }],
    doc: 'test: queue a call of proc$ at the next turn of the event loop',
    run(rt, [name]) {
      const release = rt.hold();
      setImmediate(() => {
        rt.post({ kind: 'call', proc: rt.findProcedure(name as string)!, args: [] });
        release();
      });
      return undefined;
    },
  },
  {
    name: 'Poll',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'test: what a polling function does when nothing came (WebSocket Is Message, Inkey$)',
    run(rt) {
      rt.polled();
      return 0;
    },
  },
];

const registry = new BuiltinRegistry([...builtinTable, ...testEntries]);
const run = (src: string) => runProgram(src, { builtins: registry });

const LOGGERS = ['A', 'B', 'C', 'D']
  .map((n) => `Procedure ${n}\n  LOG$ = LOG$ + "${n.toLowerCase()}"\nEnd Proc`)
  .join('\n');

describe('events', () => {
  it('are dispatched in arrival order, after the statement that queued them', async () => {
    const r = await run(
      `Global LOG$\nX$ = Post$("A") + Post$("B") + Post$("C") + LOG$\nPrint X$ + "|" + LOG$\n${LOGGERS}`,
    );
    expect(r.stdout).toBe('PPP|abc\n');
  });

  it('never nest: an event queued by an event procedure waits until it returns', async () => {
    const src = `Global LOG$\nX$ = Post$("E")\nPrint LOG$\nProcedure E\n  X$ = Post$("D")\n  LOG$ = LOG$ + "1"\n  LOG$ = LOG$ + "2"\nEnd Proc\n${LOGGERS}`;
    expect((await run(src)).stdout).toBe('12d\n');
  });

  it('reach a loop that polls as soon as they arrive, not at the end of its time slice', async () => {
    // Without polled() the loop would spin for the whole slice (10 ms): thousands of rounds.
    for (const jit of ['never', 'always'] as const) {
      const src =
        'Global DONE\nPost Soon "A"\nRepeat : N = N + 1 + Poll : Until DONE\nIf N < 100 Then Print "soon" Else Print N\nProcedure A\n  DONE = 1\nEnd Proc';
      expect((await runProgram(src, { builtins: registry, jit })).stdout).toBe('soon\n');
    }
  });

  it('are dispatched while the program waits', async () => {
    const src = 'Post Later "A", 20\nWait 0.5\nPrint "done"\nProcedure A\n  Print "event"\nEnd Proc';
    expect((await run(src)).stdout).toBe('event\ndone\n');
  });

  it('still arrive when the program falls off its end, but End cancels them', async () => {
    const proc = '\nProcedure A\n  Print "late"\nEnd Proc';
    expect((await run(`Post Later "A", 50\nPrint "end of main"${proc}`)).stdout).toBe('end of main\nlate\n');
    const ended = await run(`Post Later "A", 50\nPrint "end of main"\nEnd${proc}`);
    expect(ended.stdout).toBe('end of main\n');
    expect(ended.exit).toBe(0);
  });
});

describe('Call Service and the scheduler', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground({ port: 0 });
  });
  afterAll(async () => {
    await pg.close();
  });

  const procs =
    '\nProcedure OK[S$, R$]\n  Print "ok "; S$\nEnd Proc\nProcedure KO[S$, R$]\n  Print "ko "; S$\nEnd Proc';

  it('runs the procedure of a waiting Call Service before the next statement', async () => {
    const r = await run(
      `Call Service "get", "${pg.httpUrl}/status/201", "", "OK", "KO"\nPrint "after"${procs}`,
    );
    expect(r.stdout).toBe('ok 201\nafter\n');
  });

  it('lets the program go on after an asynchronous Call Service and delivers the reply later', async () => {
    const src = `Call Service "get", "${pg.httpUrl}/delay/100", "", "OK", "KO", "", 1\nPrint "after"${procs}`;
    expect((await run(src)).stdout).toBe('after\nok 200\n');
  });

  it('drops asynchronous replies at End', async () => {
    const src = `Call Service "get", "${pg.httpUrl}/delay/100", "", "OK", "KO", "", 1\nPrint "after"\nEnd${procs}`;
    const r = await run(src);
    expect(r.stdout).toBe('after\n');
    expect(r.exit).toBe(0);
  });
});
