const N = 5000000;
// Float maths dominated by Sqr and Sin (in radians, as in the other languages).
let S = 0;
for (let I = 1; I <= N; I++) {
  S = S + Math.sqrt(I) * Math.sin(I);
}
// The checksum: the sum to 3 decimals, made positive and an integer for every dialect.
console.log(`checksum ${Math.floor(Math.abs(S) * 1000)}`);
