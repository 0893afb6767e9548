/** Maths functions (aoz-facts §9): angles in degrees by default (AOZ mode), Rnd, Randomize, Fix. */
import { AozError } from '../interpreter/errors.js';
import {
  type Arg,
  type BuiltinEntry,
  ofOne,
  type Runtime,
  type StateKey,
} from '../interpreter/runtime-api.js';
import { FALSE, TRUE, toInteger, type Value } from '../interpreter/values.js';

/**
 * MT19937, the Mersenne Twister of Matsumoto and Nishimura (the standard 32-bit generator, seeded
 * with init_genrand), which AOZ switches to at `Randomize`.
 */
export class MersenneTwister {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output, 0..2^32-1. */
  int32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A float in [0, 1) made of 53 random bits from two outputs (genrand_res53). */
  real(): number {
    const a = this.int32() >>> 5;
    const b = this.int32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      let v = mt[(i + 397) % 624]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
}

interface MathsState {
  /** What Sin/Cos/Tan multiply their argument by: π/180 in degree mode (the AOZ default), 1 in radians. */
  factor: number;
  degree: boolean;
  /** Set by Randomize; until then Rnd uses Math.random (§9.3). */
  twister: MersenneTwister | undefined;
  /** What Rnd(0) returns. */
  last: number;
}

const MATHS: StateKey<MathsState> = {
  name: 'Maths',
  create: () => ({ factor: Math.PI / 180.0, degree: true, twister: undefined, last: 0 }),
};

/**
 * AOZ's checkNumber (R2 raoz.js 2850): NaN and +Infinity are an Illegal function call; -Infinity
 * passes, so Ln(0) and Log(0) give -Infinity (§9.5).
 */
function checked(fn: string, v: number): number {
  if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) throw new AozError('illegal_function_call', [fn]);
  return v;
}

/** Log is Ln times this truncated 1/ln(10): Log(10) = 0.9999999999999981 (§9.5). */
// biome-ignore lint/suspicious/noApproximativeNumericConstant: AOZ's own constant, not Math.LOG10E.
const LOG10_FACTOR = 0.434294481903251;

function minMax(a: Arg, b: Arg, pick: (c: number) => boolean): Value {
  if (typeof a !== typeof b) throw new AozError('type_mismatch');
  const x = a as Value;
  const y = b as Value;
  return pick(x < y ? -1 : x > y ? 1 : 0) ? x : y;
}

function rnd(rt: Runtime, ceiling: number, floor: number): number {
  const st = rt.state(MATHS);
  if (ceiling === 0 && floor === 0) return st.last;
  const r = st.twister ? st.twister.real() : Math.random();
  const range = ceiling - floor;
  // Integer bounds give an integer from floor to ceiling-1 (AOZ mode excludes the ceiling, §9.2).
  let v =
    Number.isInteger(ceiling) && Number.isInteger(floor) ? Math.floor(r * range + floor) : r * range + floor;
  if (v === 0) v = 0; // no -0 from a negative range
  st.last = v;
  return v;
}

/** A function of one number, also as `one` (runtime-api.ts). */
function unary(
  name: string,
  returns: 'float' | 'integer',
  param: string,
  doc: string,
  one: (rt: Runtime, x: number) => number,
): BuiltinEntry {
  return {
    name,
    kind: 'function',
    returns,
    params: [{ name: param, type: 'number' }],
    doc,
    ...ofOne(one),
  };
}

/** An angle function: the argument is converted from degrees in degree mode. */
function angleIn(name: string, fn: (x: number) => number): BuiltinEntry {
  return unary(
    name,
    'float',
    'angle',
    `${name} of an angle (degrees by default, radians after Radian).`,
    (rt, x) => checked(name, fn(x * rt.state(MATHS).factor)),
  );
}

/** An inverse function: the result is converted to degrees in degree mode. */
function angleOut(name: string, fn: (x: number) => number): BuiltinEntry {
  return unary(
    name,
    'float',
    'x',
    `${name} of a number, as an angle in degrees by default (radians after Radian).`,
    (rt, x) => checked(name, fn(x) / rt.state(MATHS).factor),
  );
}

function plain(name: string, doc: string, fn: (x: number) => number): BuiltinEntry {
  return unary(name, 'float', 'x', doc, (_rt, x) => checked(name, fn(x)));
}

export const mathsTable: readonly BuiltinEntry[] = [
  {
    name: 'Fix',
    kind: 'instruction',
    params: [{ name: 'n', type: 'number' }],
    doc: 'Decimals shown by Print and Str$ for non-integral numbers: n digits, -n in exponential form, 16 as JavaScript prints.',
    run(rt, [n]) {
      rt.fix = n as number;
      return undefined;
    },
  },
  {
    name: 'Degree',
    kind: 'instruction',
    params: [],
    doc: 'Angles in degrees from now on (the default).',
    run(rt) {
      const st = rt.state(MATHS);
      st.factor = Math.PI / 180.0;
      st.degree = true;
      return undefined;
    },
  },
  {
    name: 'Radian',
    kind: 'instruction',
    params: [],
    doc: 'Angles in radians from now on.',
    run(rt) {
      const st = rt.state(MATHS);
      st.factor = 1.0;
      st.degree = false;
      return undefined;
    },
  },
  {
    name: 'Is Degree',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'True when angles are in degrees.',
    run: (rt) => (rt.state(MATHS).degree ? TRUE : FALSE),
  },
  {
    name: 'Is Radian',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'True when angles are in radians.',
    run: (rt) => (rt.state(MATHS).degree ? FALSE : TRUE),
  },
  // AOZ checks neither Sin nor Cos (only infinite arguments give NaN); we check every maths
  // result so that NaN never escapes (docs/compatibility.md).
  angleIn('Sin', Math.sin),
  angleIn('Cos', Math.cos),
  angleIn('Tan', Math.tan),
  // The hyperbolic functions convert their argument from degrees too, as AOZ does (§9.1).
  angleIn('HSin', Math.sinh),
  angleIn('HCos', Math.cosh),
  angleIn('HTan', Math.tanh),
  angleOut('ASin', Math.asin),
  angleOut('ACos', Math.acos),
  angleOut('ATan', Math.atan),
  plain('Sqr', 'The square root.', Math.sqrt),
  plain('Exp', 'e to the power x.', Math.exp),
  plain('Ln', 'The natural logarithm (Ln(0) is -Infinity).', Math.log),
  plain(
    'Log',
    'The base-10 logarithm, as AOZ computes it (Log(10) = 0.9999999999999981).',
    (x) => Math.log(x) * LOG10_FACTOR,
  ),
  unary('Abs', 'float', 'x', 'The absolute value.', (_rt, x) => Math.abs(x)),
  unary('Int', 'integer', 'x', 'The integer part, truncated toward zero (Int(-1.5) = -1 in AOZ).', (_rt, x) =>
    toInteger(x),
  ),
  {
    name: 'Sgn',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'x', type: 'number' }],
    doc: 'The sign: -1, 0 or 1.',
    run(_rt, [x]) {
      const v = x as number;
      return v === 0 ? 0 : v < 0 ? -1 : 1;
    },
  },
  {
    name: 'Pi#',
    kind: 'function',
    returns: 'float',
    params: [],
    doc: 'π, 3.141592653589793.',
    run: () => Math.PI,
  },
  {
    name: 'Rad',
    kind: 'function',
    returns: 'float',
    params: [{ name: 'angle', type: 'number' }],
    // The name says "to radians" but AOZ computes x*180/π (§9.5).
    doc: 'x * 180 / π (as AOZ computes it, despite the name).',
    run: (_rt, [x]) => ((x as number) * 180) / Math.PI,
  },
  {
    name: 'Odd',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'n', type: 'number' }],
    doc: 'True (1) when n is odd.',
    run: (_rt, [n]) => ((n as number) % 2 !== 0 ? TRUE : FALSE),
  },
  {
    name: 'Even',
    kind: 'function',
    returns: 'integer',
    params: [{ name: 'n', type: 'number' }],
    doc: 'True (1) when n is even.',
    run: (_rt, [n]) => ((n as number) % 2 === 0 ? TRUE : FALSE),
  },
  {
    name: 'Rnd',
    kind: 'function',
    returns: 'float',
    params: [
      { name: 'n', type: 'number' },
      { name: 'ceiling', type: 'number', optional: true },
    ],
    syntax: 'Rnd(n) | Rnd(floor, ceiling)',
    doc: 'A random number: 0..n-1 for an integer n, [0, n) for a fraction, the last one for 0; floor..ceiling-1.',
    run: (rt, [a, b]) => (b === undefined ? rnd(rt, a as number, 0) : rnd(rt, b as number, a as number)),
  },
  {
    name: 'Randomize',
    kind: 'instruction',
    params: [{ name: 'seed', type: 'number', optional: true }],
    doc: 'Seed a Mersenne Twister for every following Rnd (the same seed, the same numbers); no seed: the clock.',
    run(rt, [s]) {
      rt.state(MATHS).twister = new MersenneTwister(s === undefined ? Date.now() : (s as number));
      return undefined;
    },
  },
  {
    name: 'Min',
    kind: 'function',
    returns: 'argument',
    params: [
      { name: 'a', type: 'any' },
      { name: 'b', type: 'any' },
    ],
    doc: 'The smaller of two numbers (or strings).',
    run: (_rt, [a, b]) => minMax(a, b, (c) => c < 0),
  },
  {
    name: 'Max',
    kind: 'function',
    returns: 'argument',
    params: [
      { name: 'a', type: 'any' },
      { name: 'b', type: 'any' },
    ],
    doc: 'The larger of two numbers (or strings).',
    run: (_rt, [a, b]) => minMax(a, b, (c) => c > 0),
  },
  {
    name: 'True',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The truth value 1 (AOZ mode).',
    run: () => TRUE,
  },
  {
    name: 'False',
    kind: 'function',
    returns: 'integer',
    params: [],
    doc: 'The truth value 0.',
    run: () => FALSE,
  },
];
