const N = Number(process.argv[3] || 300);

// Event latency, the floor: a plain ws client, idle, sends each numbered message of the server
// straight back (the server times the round-trip; its address is the first argument, N the second).
import WebSocket from 'ws';

const ws = new WebSocket(`${process.argv[2]}/tick?every=10&n=${N}`);
let K = 0;
ws.on('message', (data) => {
  ws.send(String(data));
  K += 1;
  if (K === N) {
    console.log(`checksum ${K}`);
    ws.close();
  }
});
