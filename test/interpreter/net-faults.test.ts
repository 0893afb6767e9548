/**
 * Network failures as a BASIC program sees them (acceptance of the foundation): the error
 * procedure gets "508" and a readable reply that starts with a class word, and the program goes
 * on — no crash, no unhandled rejection. The full fault matrix is in test/net/.
 */
import type { LookupFunction } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram } from '../helpers/run.js';

let server: Server;
let port = 0;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  // Announces 100 bytes, sends 5, then closes the connection.
  server = createServer((socket) => {
    socket.once('data', () => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await new Promise((r) => server.close(r));
});

const noSuchHost: LookupFunction = (hostname, _options, callback) => {
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  (callback as (e: Error) => void)(err);
};

describe('Call Service when the network fails', () => {
  it('calls the error procedure with 508 and a class word, then goes on', async () => {
    const src = [
      'Call Service "get", "http://127.0.0.1:1/", "", "OK", "KO"',
      'Call Service "get", "http://no-such-host.example/", "", "OK", "KO"',
      `Call Service "get", "http://127.0.0.1:${port}/", "", "OK", "KO"`,
      'Print "still running"',
      'Procedure OK[S$, R$] : Print "success?! "; S$ : End Proc',
      'Procedure KO[S$, R$] : Print S$; " "; R$ : End Proc',
    ].join('\n');
    const r = await runProgram(src, { net: { lookup: noSuchHost } });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('508 REFUSED: 127.0.0.1:1 refused the connection (ECONNREFUSED)');
    expect(lines[1]).toMatch(/^508 DNS: no-such-host\.example could not be resolved \(ENOTFOUND\)$/);
    expect(lines[2]).toMatch(/^508 RESET: /);
    expect(lines[3]).toBe('still running');
    expect(r.exit).toBe(0);
    expect(rejections).toEqual([]);
  });

  it('without an error procedure, the failure is a runtime error at the Call Service line', async () => {
    const r = await runProgram('Print "a"\nCall Service "get", "http://127.0.0.1:1/"\nPrint "b"');
    expect(r.stdout).toBe('a\n');
    expect(r.stderr).toMatch(
      /^Error: The request has failed, status: 508 REFUSED.* at line 2, column 1 in test\.aoz/,
    );
    expect(r.exit).toBe(1);
  });

  it('reports an unknown procedure name at the Call Service line, before any I/O', async () => {
    const r = await runProgram('Call Service "get", "http://127.0.0.1:1/", "", "NOPE"');
    expect(r.stderr).toMatch(/^Error: Procedure not found: NOPE at line 1, column 1/);
    expect(r.exit).toBe(1);
  });
});
