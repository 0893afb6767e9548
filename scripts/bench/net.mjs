// The network benchmarks (bench/net/): a local HTTP + WebSocket server in a child process
// (bench/net/server.mjs), and clients written in AOZ (run by aozrun, with --map sending
// bench.test to the server) and in plain JavaScript (undici, ws). Each client times its own loop
// and prints `elapsed SECONDS`, so start-up and connecting are left out; the event latency is
// timed by the server.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { aozrunCommand, checksumOf, elapsedOf, ROOT } from './impls.mjs';
import { programAt } from './programs.mjs';
import { runOnce } from './run.mjs';

/**
 * name, what it measures, the size (N: on the first line of the AOZ client, an argument of the
 * JavaScript one) and whether it is a
 * latency case (the server's round-trip samples) or a rate case (N / elapsed).
 */
export const NET_CASES = [
  { name: 'http', title: 'sequential Call Service requests (vs. undici)', size: 2000, unit: 'requests' },
  { name: 'ws-echo', title: 'WebSocket echo round-trips (vs. ws)', size: 500, unit: 'round-trips' },
  {
    name: 'ws-flood',
    title: 'WebSocket messages received in a flood (vs. ws)',
    size: 50000,
    unit: 'messages',
  },
  { name: 'latency', title: 'event latency during a busy loop', size: 300, unit: 'messages', latency: true },
];

/** bench/FILE.aoz and bench/FILE.js of a case. */
export const fileOf = (c) => (c.latency ? 'net/ws-latency' : `net/${c.name}`);

/** Starts bench/net/server.mjs; resolves to { port, nextLatency(), close() }. */
export async function startServer() {
  const child = fork(join(ROOT, 'bench/net/server.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const latencies = [];
  let waiting;
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m) => {
      if (m.kind === 'ready') resolve(m.port);
      else if (m.kind === 'latency') {
        latencies.push(m);
        waiting?.();
      }
    });
  });
  return {
    port,
    /** The round-trip report of the next /tick connection to end (or undefined after 10 s). */
    async nextLatency() {
      if (latencies.length === 0) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          waiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiting = undefined;
      }
      return latencies.shift();
    },
    close() {
      child.disconnect();
      child.kill();
    },
  };
}

/** The clients of a case: aozrun running the .aoz, node running the .js. */
export function netClients(c, port) {
  const http = `http://127.0.0.1:${port}`;
  const ws = `ws://127.0.0.1:${port}`;
  const map = ['--map', `http://bench.test=${http}`, '--map', `ws://bench.test=${ws}`];
  const env = { ...process.env };
  delete env.AOZRUN_JIT;
  return [
    {
      id: 'aozrun',
      label: 'aozrun',
      argv: (size) => [...aozrunCommand(), ...map, programAt(fileOf(c), 'aoz', size)],
      env,
    },
    {
      id: 'js',
      label: c.name === 'http' ? 'undici' : c.latency ? 'ws (idle client)' : 'ws',
      // The JavaScript clients take N as an argument (a copy elsewhere would not find ws and undici).
      argv: (size) => [
        process.execPath,
        join(ROOT, `bench/${fileOf(c)}.js`),
        c.name === 'http' ? http : ws,
        String(size),
      ],
      env: process.env,
    },
  ];
}

/**
 * One run of a client: { ms (its own timing), checksum, samples (latency case), error }. The
 * whole run is bounded by a generous timeout.
 */
export async function runNetClient(c, client, server, size) {
  const r = await runOnce(client.argv(size), { env: client.env, cwd: ROOT, timeoutMs: 180_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  const sum = checksumOf(out);
  const result = { rssKB: r.rssKB, checksum: sum.value };
  if (r.code !== 0 || sum.error) {
    result.error = `exit ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}, ${sum.error ?? sum.value}: ${r.stderr.trim().slice(0, 300)}`;
  }
  if (c.latency) {
    const report = await server.nextLatency();
    if (!report) result.error ??= 'the server reported no round-trips';
    else {
      result.samples = report.samples;
      if (report.missing > 0) result.error ??= `${report.missing} ticks never came back`;
    }
  } else {
    result.ms = elapsedOf(out);
    if (result.ms === undefined) result.error ??= 'no "elapsed" line';
  }
  return result;
}
