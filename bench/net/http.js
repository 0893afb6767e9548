const N = Number(process.argv[3] || 2000);

// Sequential requests with undici, each awaited with its body, to the bench's local server
// (its address is the first argument, N the second): what Call Service does for http.aoz.
import { request } from 'undici';

const base = process.argv[2];
let C = 0;
const get = async (i) => {
  const { statusCode, body } = await request(`${base}/n?i=${i}`);
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`status ${statusCode}`);
  return Number(text);
};
// One request first, so the connection is open before the timing.
C += await get(0);
const t = performance.now();
for (let I = 1; I <= N; I++) C += await get(I);
console.log(`elapsed ${(performance.now() - t) / 1000}`);
console.log(`checksum ${C}`);
