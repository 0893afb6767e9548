/** --trace-net: one canonical line per network event, no timings. */
import { describe, expect, it } from 'vitest';
import { callServiceEntry } from '../../src/runtime/net/call-service.js';
import type { NetOptions } from '../../src/runtime/net/net.js';
import { traceQuote } from '../../src/runtime/net/trace.js';
import {
  webSocketClose,
  webSocketIsConnected,
  webSocketIsError,
  webSocketIsMessage,
  webSocketOpen,
  webSocketSendMessage,
} from '../../src/runtime/net/websocket.js';
import { runProgram } from '../helpers/run.js';
import { FakeRuntime, testScope } from './fake-runtime.js';
import { closedPort, httpServer, sleep, wsServer } from './servers.js';

const { serve, defer } = testScope();

function traced(options: Partial<NetOptions> = {}): { rt: FakeRuntime; lines: string[] } {
  const lines: string[] = [];
  const rt = new FakeRuntime({ ...options, trace: (l) => lines.push(l) }, ['OnSuccess', 'OnError', 'OnMsg']);
  defer(() => rt.net.close());
  return { rt, lines };
}

describe('traceQuote', () => {
  it('JSON-quotes, and cuts after 200 characters with …', () => {
    expect(traceQuote('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(traceQuote('a'.repeat(200))).toBe(`"${'a'.repeat(200)}"`);
    expect(traceQuote('a'.repeat(201))).toBe(`"${'a'.repeat(200)}…"`);
    expect(traceQuote('😀'.repeat(200))).toBe(`"${'😀'.repeat(200)}"`);
    expect(traceQuote('😀'.repeat(201))).toBe(`"${'😀'.repeat(200)}…"`);
    expect(traceQuote('b'.repeat(1_000_000))).toHaveLength(203);
  });
});

describe('HTTP lines', () => {
  it('request, reply, body sizes, after --map', async () => {
    const s = await serve(httpServer((req, res, body) => res.end(`${req.method}:${body}`)));
    const { rt, lines } = traced({ maps: [['http://aoz.test/', `${s.origin}/`]] });
    await rt.callService('get', 'http://aoz.test/get.php', 'a=1', 'OnSuccess');
    await rt.callService('post', 'http://aoz.test/post.php', 'b = 2', 'OnSuccess');
    await rt.callService('patch', `${s.origin}/j`, '{"k":"é"}', 'OnSuccess', '', 'application/json');
    await rt.callService('head', `${s.origin}/h`, '', 'OnSuccess');
    expect(lines).toEqual([
      `http> GET ${s.origin}/get.php?a=1`,
      `http< 200 GET ${s.origin}/get.php?a=1 (4 bytes)`,
      `http> POST ${s.origin}/post.php (3 bytes application/x-www-form-urlencoded)`,
      `http< 200 POST ${s.origin}/post.php (8 bytes)`,
      `http> PATCH ${s.origin}/j (10 bytes application/json)`,
      `http< 200 PATCH ${s.origin}/j (16 bytes)`,
      `http> HEAD ${s.origin}/h`,
      `http< 200 HEAD ${s.origin}/h (0 bytes)`,
    ]);
  });

  it('redirect hops, error statuses and transport failures', async () => {
    const s = await serve(
      httpServer((req, res) => {
        if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
        else if (req.url === '/b') res.writeHead(303, { location: '/c?x=1' }).end();
        else if (req.url === '/missing') res.writeHead(404).end('nope');
        else res.end('done');
      }),
    );
    const port = await closedPort();
    const { rt, lines } = traced({ allowNet: [`127.0.0.1:${s.port}`, `127.0.0.1:${port}`] });
    await rt.callService('post', `${s.origin}/a`, 'x=1', 'OnSuccess');
    await rt.callService('get', `${s.origin}/missing`, '', 'OnSuccess', 'OnError');
    await rt.callService('get', `http://127.0.0.1:${port}/`, '', 'OnSuccess', 'OnError');
    await rt.callService('get', 'http://169.254.169.254/', '', 'OnSuccess', 'OnError');
    expect(lines).toEqual([
      `http> POST ${s.origin}/a (3 bytes application/x-www-form-urlencoded)`,
      `http> GET ${s.origin}/b (redirect)`,
      `http> GET ${s.origin}/c?x=1 (redirect)`,
      `http< 200 POST ${s.origin}/a (4 bytes)`,
      `http> GET ${s.origin}/missing`,
      `http< 404 GET ${s.origin}/missing (4 bytes)`,
      `http> GET http://127.0.0.1:${port}/`,
      `http! GET http://127.0.0.1:${port}/ REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
      'http> GET http://169.254.169.254/',
      `http! GET http://169.254.169.254/ DENIED: 169.254.169.254:80 is not allowed by --allow-net (allowed: 127.0.0.1:${s.port}, 127.0.0.1:${port})`,
    ]);
  });

  it('asynchronous requests trace the same lines; a throwing sink changes nothing', async () => {
    const s = await serve(httpServer((_req, res) => res.end('ok')));
    const rt = new FakeRuntime({
      trace: () => {
        throw new Error('sink broken');
      },
    });
    defer(() => rt.net.close());
    rt.run(callServiceEntry, 'get', s.origin, '', 'OnSuccess', 'OnError', '', 1);
    await rt.until(() => rt.released === 1);
    expect(rt.events).toHaveLength(1);
  });
});

describe('WebSocket lines', () => {
  it('open, connected, sent, received (cut), close by the peer', async () => {
    const s = await serve(
      wsServer((c) => {
        c.on('message', (m) => {
          c.send(`echo: ${String(m)}`);
          c.send('z'.repeat(300));
          setTimeout(() => c.close(1000, 'bye "now"'), 20);
        });
      }),
    );
    const { rt, lines } = traced();
    rt.run(webSocketOpen, 1, `${s.url}/chat`);
    await rt.until(() => webSocketIsConnected.run(rt, [1]) === 1);
    rt.run(webSocketSendMessage, 1, 'hi\n"there"');
    await rt.until(() => webSocketIsConnected.run(rt, [1]) === 0);
    expect(lines).toEqual([
      `ws 1 open ${s.url}/chat`,
      'ws 1 connected',
      'ws 1 > "hi\\n\\"there\\""',
      'ws 1 < "echo: hi\\n\\"there\\""',
      `ws 1 < "${'z'.repeat(200)}…"`,
      'ws 1 close 1000 "bye \\"now\\""',
    ]);
  });

  it('errors, and a close by the program or at the end of the session', async () => {
    const s = await serve(wsServer());
    const port = await closedPort();
    const { rt, lines } = traced();
    rt.run(webSocketOpen, 3, `ws://127.0.0.1:${port}/`);
    await rt.until(() => webSocketIsError.run(rt, [3]) === 1);
    rt.run(webSocketOpen, 1, s.url);
    await rt.until(() => webSocketIsConnected.run(rt, [1]) === 1);
    rt.run(webSocketClose, 1);
    rt.run(webSocketOpen, 2, s.url);
    await rt.until(() => webSocketIsConnected.run(rt, [2]) === 1);
    await rt.net.close();
    expect(lines).toEqual([
      `ws 3 open ws://127.0.0.1:${port}/`,
      `ws 3 error REFUSED: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
      `ws 1 open ${s.url}/`,
      'ws 1 connected',
      'ws 1 close 1000 ""',
      `ws 2 open ${s.url}/`,
      'ws 2 connected',
      'ws 2 close 1000 ""',
    ]);
    expect(webSocketIsMessage.run).toBeDefined();
  });
});

describe('through a program (Session)', () => {
  it('a golden-comparable trace of a program using Call Service and WebSocket event procedures', async () => {
    const http = await serve(httpServer((req, res) => res.end(`reply to ${req.url}`)));
    const sockets = await serve(
      wsServer((c) => {
        c.on('message', (m) => {
          c.send(`echo ${String(m)}`);
          setTimeout(() => c.close(1000, 'done'), 10);
        });
      }),
    );
    const lines: string[] = [];
    const program = [
      'Call Service "get", "http://aoz.test/q", "n=1", "GOT"',
      'WebSocket On Message 1, "ONMSG"',
      'WebSocket On Close 1, "ONCLOSE"',
      'WebSocket On Error 1, "ONERR"',
      'WebSocket Open 1, "wss://sock.test/v3/channel_1"',
      'While Not WebSocket Is Connected(1) : Wait 0.01 : Wend',
      'WebSocket Send Message 1, "ping"',
      'Do : Wait 0.01 : If Closed Then Exit',
      'Loop',
      'Print "end"',
      'Procedure GOT[S$, R$] : Print S$; " "; R$ : End Proc',
      'Procedure ONMSG[M$] : Print "message "; M$ : End Proc',
      'Procedure ONCLOSE[C, R$] : Shared Closed : Closed = True : Print "closed"; C; " "; R$ : End Proc',
      'Procedure ONERR[E$] : Print "error "; E$ : End Proc',
      '',
    ].join('\n');
    const r = await runProgram(program, {
      net: {
        maps: [
          ['http://aoz.test/', `${http.origin}/`],
          ['wss://sock.test/', `${sockets.url}/`],
        ],
        trace: (l) => lines.push(l),
        allowNet: ['aoz.test'],
      },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('200 reply to /q?n=1\nmessage echo ping\nclosed 1000 done\nend\n');
    expect(r.exit).toBe(0);
    expect(lines).toEqual([
      `http> GET ${http.origin}/q?n=1`,
      `http< 200 GET ${http.origin}/q?n=1 (15 bytes)`,
      `ws 1 open ${sockets.url}/v3/channel_1`,
      'ws 1 connected',
      'ws 1 > "ping"',
      'ws 1 < "echo ping"',
      'ws 1 close 1000 "done"',
    ]);
    await sleep(10);
  });
});
