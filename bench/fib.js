const N = 32;
// Recursive procedures: the naive Fibonacci, every call a function call with a parameter and a
// value given back, used inside an expression.
function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
console.log(`checksum ${fib(N)}`);
