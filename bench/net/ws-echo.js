const N = Number(process.argv[3] || 500);

// WebSocket round-trips with a plain ws client: send a message, wait for the echo, add it up, send
// the next (the server's address is the first argument, N the second).
import WebSocket from 'ws';

const ws = new WebSocket(`${process.argv[2]}/echo`);
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
const next = () => new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
let C = 0;
const t = performance.now();
for (let I = 1; I <= N; I++) {
  ws.send(` ${I}`);
  C += Number(await next());
}
console.log(`elapsed ${(performance.now() - t) / 1000}`);
console.log(`checksum ${C}`);
ws.close();
