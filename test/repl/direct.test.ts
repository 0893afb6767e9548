/** Direct mode: what a session of lines typed at the prompt does (no terminal involved). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type DirectSession, directSession, errorMessage } from './direct.js';

const DIV0 = errorMessage('illegal_function_call', ['division by zero']);

let session: DirectSession | undefined;
const open = (net?: Parameters<typeof directSession>[0]): DirectSession => {
  session = directSession(net);
  return session;
};
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('direct mode', () => {
  it('keeps variables, strings and arrays from one line to the next', async () => {
    const s = open();
    await s.enter('A = 41');
    await s.enter('Dim T$(3) : T$(2) = "two"');
    await s.enter('N$ = "Ada"');
    await s.enter('Print A + 1; " "; T$(2); " "; N$');
    expect(s.out()).toBe(' 42 two Ada\n');
    expect(s.err()).toBe('');
  });

  it('collects a block until it is closed, then runs it', async () => {
    const s = open();
    expect((await s.enter('For I = 1 To 3')).kind).toBe('more');
    expect(s.workspace.continuing).toBe(true);
    expect((await s.enter('  Print I;')).kind).toBe('more');
    expect((await s.enter('Next I')).kind).toBe('program');
    expect(s.out()).toBe(' 1 2 3');
    expect(s.workspace.continuing).toBe(false);
  });

  it('defines a procedure over several lines and calls it from later lines', async () => {
    const s = open();
    for (const line of ['Procedure GREET[WHO$]', '  Print "Hello, "; WHO$', 'End Proc']) await s.enter(line);
    expect(s.out()).toBe('');
    await s.enter('GREET["world"]');
    await s.enter('GREET["again"]');
    expect(s.out()).toBe('Hello, world\nHello, again\n');
    expect(s.workspace.list()).toBe('Procedure GREET[WHO$]\n  Print "Hello, "; WHO$\nEnd Proc\n');
  });

  it('replaces a procedure typed again under the same name', async () => {
    const s = open();
    await s.enter('Procedure P : Print "one" : End Proc');
    await s.enter('Procedure P : Print "two" : End Proc');
    await s.enter('P');
    expect(s.out()).toBe('two\n');
    expect(s.workspace.list()).toBe('Procedure P : Print "two" : End Proc\n');
  });

  it('shares main variables with procedures through Shared and Global, across lines', async () => {
    const s = open();
    await s.enter('Global SCORE');
    await s.enter('Procedure GAIN[N] : SCORE = SCORE + N : End Proc');
    await s.enter('GAIN[5] : GAIN[6]');
    await s.enter('Print SCORE');
    expect(s.out()).toBe(' 11\n');
    expect(s.err()).toBe('');
  });

  it('reports an error and carries on with the variables intact', async () => {
    const s = open();
    await s.enter('A = 7');
    await s.enter('Print 1 / 0');
    expect(s.err()).toBe(`Error: ${DIV0}\n`);
    await s.enter('Print A');
    expect(s.out()).toBe(' 7\n');
  });

  it('reports a syntax error with a caret under the line, and keeps nothing of it', async () => {
    const s = open();
    const e = await s.enter('Print 1 +* 2');
    expect(e.kind).toBe('errors');
    expect(s.err()).toMatch(/^Error: [^\n]*\n {2}Print 1 \+\* 2\n {11}\^\n$/);
    await s.enter('Print 3');
    expect(s.out()).toBe(' 3\n');
  });

  it('names the line of a multi-line input where an error happened', async () => {
    const s = open();
    await s.enter('For I = 1 To 2');
    await s.enter('Print 10 / (I - 2)');
    await s.enter('Next');
    expect(s.out()).toBe('-10\n');
    expect(s.err()).toContain(`Error: ${DIV0} at line 2, column 1 in your input\n`);
  });

  it('names the procedure and the program line of an error inside a procedure', async () => {
    const s = open();
    await s.enter('Procedure BAD');
    await s.enter('  X = 1');
    await s.enter('  Print X / 0');
    await s.enter('End Proc');
    await s.enter('BAD');
    expect(s.err()).toContain(`Error: ${DIV0} at line 3, column 3 in the program (procedure BAD)`);
  });

  it('stops Do : Loop on Ctrl-C with Break, and the session goes on', async () => {
    const s = open();
    const running = s.enter('N = 0 : Do : Add N, 1 : Loop');
    setTimeout(() => s.interrupt(), 50);
    await running;
    expect(s.err()).toBe('Break\n');
    await s.enter('Print N > 0');
    expect(s.out()).toBe(' 1\n');
  });

  it('stops a command under Break Off only when forced (the second Ctrl-C)', async () => {
    const s = open();
    const running = s.enter('Break Off : Do : Loop');
    setTimeout(() => s.interrupt(), 30);
    setTimeout(() => s.interrupt(true), 120);
    await running;
    expect(s.err()).toBe('Break\n');
  });

  it('keeps Def Fn functions from one line to the next', async () => {
    const s = open();
    await s.enter('Def Fn TWICE(X) = X * 2');
    await s.enter('Print Fn TWICE(21)');
    expect(s.out()).toBe(' 42\n');
  });

  it('Run runs the program in memory with fresh variables; they stay to be inspected', async () => {
    const s = open();
    await s.enter('A = 99');
    s.workspace.load('A = A + 1\nPrint "A is"; A\n', 'prog.aoz');
    await s.run();
    expect(s.out()).toBe('A is 1\n');
    await s.enter('Print A * 10');
    expect(s.out()).toBe(' 10\n');
  });

  it('makes the procedures of a loaded program callable from direct mode', async () => {
    const s = open();
    s.workspace.load('Print "main"\nProcedure TWICE[N]\nEnd Proc[N * 2]\n', 'prog.aoz');
    await s.enter('Print TWICE[8]');
    expect(s.out()).toBe(' 16\n');
  });

  it('delivers a Call Service reply to its procedure while idle at the prompt', async () => {
    const server = http.createServer((_req, res) => {
      setTimeout(() => res.end('pong'), 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const s = open({ maps: [['http://example.test', `http://127.0.0.1:${port}`]] });
      await s.enter('Procedure GOT[STATUS$, REPLY$] : Print "reply: "; REPLY$ : End Proc');
      await s.enter('Call Service "get", "http://example.test/ping", "", "GOT", "GOT", "", 1');
      // The line is over and the machine idle before the reply arrives...
      expect(s.out()).toBe('');
      // ...which runs its procedure while the prompt waits.
      await s.nextIdle();
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(s.out()).toBe('reply: pong\n');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps a WebSocket channel open between lines and runs its On Message procedure while idle', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (socket) => socket.on('message', (m) => socket.send(`echo ${String(m)}`)));
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    try {
      const port = (wss.address() as AddressInfo).port;
      const s = open();
      await s.enter('Procedure GOT[M$] : Print "got: "; M$ : End Proc');
      await s.enter('WebSocket On Message 1, "GOT"');
      await s.enter(`WebSocket Open 1, "ws://127.0.0.1:${port}/"`);
      await s.enter('Repeat : Wait Vbl : Until WebSocket Is Connected(1)');
      await s.enter('WebSocket Send Message 1, "hello"');
      expect(s.out()).toBe('');
      await s.nextIdle();
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(s.out()).toBe('got: echo hello\n');
      await s.enter('WebSocket Close 1');
      expect(s.err()).toBe('');
    } finally {
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });

  it('runs an Every procedure while idle', async () => {
    const s = open();
    await s.enter('Procedure TICK : Print "tick" : Every On : End Proc');
    await s.enter('Every 1 Proc TICK');
    await s.nextIdle();
    await s.nextIdle();
    await s.enter('Every Off');
    expect(s.out()).toBe('tick\ntick\n');
  });
});
