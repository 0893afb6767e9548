const N = 5000000;
// A sieve of Eratosthenes: an array of flags, crossed out by the multiples of each prime up to
// the square root of N.
const F = new Array(N + 1).fill(0);
const R = Math.trunc(Math.sqrt(N));
let C = 0;
let H = 0;
for (let I = 2; I <= N; I++) {
  if (F[I] === 0) {
    C = C + 1;
    H = (H * 31 + I) % 1000003;
    if (I <= R) {
      for (let J = I * I; J <= N; J += I) {
        F[J] = 1;
      }
    }
  }
}
// The checksum: how many primes, and a hash of them in order.
console.log(`checksum ${C} ${H}`);
