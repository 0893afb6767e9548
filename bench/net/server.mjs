// The local servers of the network benchmarks (scripts/bench/net.mjs forks this file, so the
// clients under test never share its event loop). One port on 127.0.0.1 serves:
//   HTTP GET /n?i=K           answers "K" (text/plain), for sequential Call Service requests
//   WS /echo                  sends every message back
//   WS /flood?n=M             on "go", sends "1" .. "M" (each k as k Mod 1000) as fast as it can
//   WS /tick?n=M&every=MS     sends "seq" every MS ms; the client sends each one back, and the
//                             server times send -> reply on its own clock
// It tells its parent its port ({ kind: 'ready', port }) and, for each /tick connection, the
// round-trip times in ms once M replies came back ({ kind: 'latency', samples, missing }).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  if (url.pathname === '/n') {
    const body = url.searchParams.get('i') ?? '0';
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});
server.keepAliveTimeout = 60_000;

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    const n = Number(url.searchParams.get('n') ?? '0');
    if (url.pathname === '/echo') echo(ws);
    else if (url.pathname === '/flood') flood(ws, n);
    else if (url.pathname === '/tick') tick(ws, n, Number(url.searchParams.get('every') ?? '10'));
    else ws.close(1008, 'unknown path');
  });
});

function echo(ws) {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

/** On "go": M messages, a batch at a time, the next batch once the last one was written. */
function flood(ws, m) {
  ws.once('message', () => {
    let k = 1;
    const batch = () => {
      const end = Math.min(m, k + 999);
      for (; k < end; k++) ws.send(String(k % 1000));
      const last = k++;
      ws.send(String(last % 1000), last < m ? () => setImmediate(batch) : undefined);
    };
    batch();
  });
}

function tick(ws, m, every) {
  const sent = new Map();
  const samples = [];
  let seq = 0;
  const timer = setInterval(() => {
    if (seq >= m) return;
    seq += 1;
    sent.set(String(seq), performance.now());
    ws.send(String(seq));
  }, every);
  ws.on('message', (data) => {
    const t = sent.get(data.toString());
    if (t === undefined) return;
    samples.push(performance.now() - t);
    if (samples.length === m) done();
  });
  ws.on('close', done);
  let reported = false;
  function done() {
    clearInterval(timer);
    if (reported) return;
    reported = true;
    process.send?.({ kind: 'latency', samples, missing: m - samples.length });
  }
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ kind: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
