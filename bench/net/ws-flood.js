const N = Number(process.argv[3] || 50000);

// A flood: after "go" the server sends N messages as fast as it can; a plain ws client adds them
// up (the server's address is the first argument, N the second).
import WebSocket from 'ws';

const ws = new WebSocket(`${process.argv[2]}/flood?n=${N}`);
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
let C = 0;
let K = 0;
const t = performance.now();
await new Promise((resolve) => {
  ws.on('message', (data) => {
    C += Number(String(data));
    K += 1;
    if (K === N) resolve();
  });
  ws.send('go');
});
console.log(`elapsed ${(performance.now() - t) / 1000}`);
console.log(`checksum ${C}`);
ws.close();
