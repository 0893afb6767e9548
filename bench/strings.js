const N = 1200000;
// String functions: Str$, concatenation, Mid$, Left$, Right$, Len, Instr and Asc.
// BASIC's Str$ puts a space before a number >= 0; positions are 1-based, 0 when absent.
let C = 0;
let R = '';
for (let I = 1; I <= N; I++) {
  const S = ` ${I}`;
  const T = `<${S}>${S.substr(1, 3)}`;
  C = C + T.length + (T.indexOf('>') + 1) + T.charCodeAt(T.length - 1);
  R = R + S.slice(0, 3);
  if (R.length > 200) {
    C = C + (R.indexOf('9 9') + 1);
    R = '';
  }
}
console.log(`checksum ${C}`);
