const N = 7000;
// Array sorting: a fixed-seed generator fills an array, an insertion sort orders it.
const A = new Array(N + 1).fill(0);
let X = 1;
for (let I = 1; I <= N; I++) {
  X = (X * 75 + 74) % 65537;
  A[I] = X;
}
// A[0] is a sentinel below every value, so the inner loop needs a single test.
A[0] = -1;
for (let I = 2; I <= N; I++) {
  const V = A[I];
  let J = I - 1;
  while (A[J] > V) {
    A[J + 1] = A[J];
    J = J - 1;
  }
  A[J + 1] = V;
}
// The checksum: a hash of the sorted array (which also checks the order).
let C = 0;
for (let I = 1; I <= N; I++) {
  C = (C * 31 + A[I]) % 1000003;
}
console.log(`checksum ${C}`);
