const N = 15000000;
// Loops and integer arithmetic: a counted loop with arithmetic, a comparison and a wrap.
let S = 0;
let K = 0;
for (let I = 1; I <= N; I++) {
  const A = I * 3 + 7;
  const B = A - I * 2;
  S = S + B - I + K;
  K = K + 1;
  if (K === 13) K = 0;
  if (S > 1000000) S = S - 1000000;
}
console.log(`checksum ${S}`);
