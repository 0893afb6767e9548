/** The maths family (aoz-facts §9) through real programs. */
import { describe, expect, it } from 'vitest';
import { MersenneTwister } from '../../src/runtime/maths.js';
import { failsWith, outputOf } from '../helpers/run.js';

const lines = (...l: string[]) => l.join('\n');

describe('angles (§9.1)', () => {
  it('are in degrees by default in AOZ mode', async () => {
    expect(
      await outputOf(
        lines(
          'Print Sin(45)',
          'Print Sin(90) : Print Cos(0) : Print Cos(60)',
          'Print Tan(45)',
          'Print Is Degree; Is Radian',
        ),
      ),
    ).toBe(' 0.7071067811865475\n 1\n 1\n 0.5000000000000001\n 0.9999999999999999\n 1 0\n');
  });

  it('switch with Radian and Degree', async () => {
    expect(
      await outputOf(
        lines(
          'Radian : Print Tan(Pi#/8) : Print Sin(Pi#/2) : Print Is Degree; Is Radian',
          'If Is Radian Then Print "radians"',
          'Degree : Print Tan(45) : If Is Degree Then Print "degrees"',
        ),
      ),
    ).toBe(' 0.41421356237309503\n 1\n 0 1\nradians\n 0.9999999999999999\ndegrees\n');
  });

  it('inverse functions answer in the current unit', async () => {
    expect(
      await outputOf(
        lines(
          'A#=Sin(45) : Print ASin(A#)',
          'A#=Cos(45) : Print ACos(A#)',
          'Print Tan(2) : Print ATan(0.03492082)',
          'Radian : Print ASin(1) : Print ATan(1)',
        ),
      ),
    ).toBe(
      ' 44.99999999999999\n 45\n 0.03492076949174773\n 2.0000028903849714\n 1.5707963267948966\n 0.7853981633974483\n',
    );
  });

  it('hyperbolic functions convert their argument from degrees too', async () => {
    expect(
      await outputOf(
        lines(
          'Print HSin(45) : Print HCos(45) : Print HTan(45)',
          'Radian : Print HSin(1) : Print HCos(0) : Print HTan(0)',
        ),
      ),
    ).toBe(' 0.8686709614860095\n 1.3246090892520057\n 0.6557942026326724\n 1.1752011936438014\n 1\n 0\n');
  });

  it('ASin and ACos outside [-1, 1] are an Illegal function call (NaN, §9.6)', async () => {
    await failsWith('Print ASin(2)', 'illegal_function_call');
    await failsWith('Print ACos(-1.5)', 'illegal_function_call');
  });
});

describe('Exp, Ln, Log, Sqr (§9.5)', () => {
  it('compute as AOZ does, Log with its truncated constant', async () => {
    expect(
      await outputOf(
        lines(
          'Print Exp(1) : Print Exp(0)',
          'Print Ln(10) : A#=Ln(100) : Print A#',
          'Print Log(10) : Print Log(100) : Print Log(1)',
          'Print Sqr(25) : Print Sqr(11.1111) : Print Sqr(0)',
        ),
      ),
    ).toBe(
      ' 2.718281828459045\n 1\n 2.302585092994046\n 4.605170185988092\n 0.9999999999999981\n 1.9999999999999962\n 0\n 5\n 3.33333166666625\n 0\n',
    );
  });

  it('Ln(0) and Log(0) are -Infinity without an error', async () => {
    expect(await outputOf('Print Ln(0) : Print Log(0)')).toBe('-Infinity\n-Infinity\n');
  });

  it('NaN (and, as in the R2 runtime, +Infinity) is an Illegal function call', async () => {
    await failsWith('Print Sqr(-1)', 'illegal_function_call');
    await failsWith('Print Ln(-1)', 'illegal_function_call');
    await failsWith('Print Log(-10)', 'illegal_function_call');
    await failsWith('Print Exp(1000)', 'illegal_function_call');
  });
});

describe('Abs, Int, Sgn, Pi#, Rad, Odd, Even, Min, Max (§9.4, §9.5)', () => {
  it('Int truncates toward zero', async () => {
    expect(await outputOf('Print Int(3.9999) : Print Int(-1.1) : Print Int(-0.5) : Print Int(7)')).toBe(
      ' 3\n-1\n 0\n 7\n',
    );
  });

  it('Abs, Sgn and Pi#', async () => {
    expect(
      await outputOf('Print Abs(-1),Abs(1) : Print Abs(-2.5) : Print Sgn(-3);Sgn(0);Sgn(0.5) : Print Pi#'),
    ).toBe(' 1   1\n 2.5\n-1 0 1\n 3.141592653589793\n');
  });

  it('Rad is x*180/π, as AOZ computes it', async () => {
    expect(await outputOf('Print Rad(Pi#) : Print Rad(1)')).toBe(' 180\n 57.29577951308232\n');
  });

  it('Odd and Even give the truth values 1 and 0', async () => {
    expect(
      await outputOf(
        lines(
          'For F=0 To 6 : Print Odd(F); : Next : Print',
          'For F=0 To 6 : Print Even(F); : Next : Print',
          'Print Odd(-3);Even(-4);Odd(1.5);Even(1.5)',
          'If Odd(7) Then Print "odd"',
        ),
      ),
    ).toBe(' 0 1 0 1 0 1 0\n 1 0 1 0 1 0 1\n 1 1 1 0\nodd\n');
  });

  it('Min and Max of numbers', async () => {
    expect(await outputOf('Print Min(3,-2);Max(3,-2);Min(1.5,1.25)')).toBe('-2 3 1.25\n');
  });
});

describe('Fix (§3.4, §9.4)', () => {
  it('sets the decimals of Print and Str$; Fix (2) with brackets works', async () => {
    expect(
      await outputOf(
        lines(
          'Fix (2) : Print Pi#',
          'Fix(-4) : Print Pi#',
          'Fix(16) : Print Pi#',
          'Fix 0 : Print Pi# : Fix 3 : Print 2/3 : Print 5 : Print -0.0001 : Print Str$(1.5)',
        ),
      ),
    ).toBe(' 3.14\n 3.1416e+0\n 3.141592653589793\n 3\n 0.667\n 5\n0.000\n 1.500\n');
  });
});

describe('Rnd and Randomize (§9.2, §9.3)', () => {
  it('Rnd(n) for an integer n gives every integer 0..n-1 and nothing else', async () => {
    const src = lines(
      'Dim SEEN(9) : BAD=0',
      'For I=1 To 3000',
      '  R#=Rnd(10)',
      '  If R#<0 Or R#>9 Or R#<>Int(R#) Then BAD=BAD+1 Else SEEN(R#)=SEEN(R#)+1',
      'Next I',
      'Print BAD',
      'MISSING=0 : For I=0 To 9 : If SEEN(I)=0 Then MISSING=MISSING+1',
      'Next I : Print MISSING',
      'ONE=0 : For I=1 To 100 : ONE=ONE+Rnd(1) : Next I : Print ONE',
    );
    expect(await outputOf(src)).toBe(' 0\n 0\n 0\n');
  });

  it('Rnd(x) for a fraction gives fractions in [0, x)', async () => {
    const src = lines(
      'BAD=0 : FRAC=0 : MX#=0',
      'For I=1 To 3000',
      '  R#=Rnd(2.5)',
      '  If R#<0 Or R#>=2.5 Then BAD=BAD+1',
      '  If R#<>Int(R#) Then FRAC=FRAC+1',
      '  If R#>MX# Then MX#=R#',
      'Next I',
      'Print BAD : Print FRAC>2900 : Print MX#>2',
    );
    expect(await outputOf(src)).toBe(' 0\n 1\n 1\n');
  });

  it('Rnd(floor, ceiling) gives floor..ceiling-1', async () => {
    const src = lines(
      'MN=99 : MX=-99',
      'For I=1 To 2000 : R=Rnd(5,10) : MN=Min(MN,R) : MX=Max(MX,R) : Next I',
      'Print MN;MX',
    );
    expect(await outputOf(src)).toBe(' 5 9\n');
  });

  it('Rnd(0) repeats the last value (0 before any)', async () => {
    expect(await outputOf('Print Rnd(0) : A#=Rnd(1000) : B#=Rnd(0) : Print A#=B# : Print Rnd(0)=A#')).toBe(
      ' 0\n 1\n 1\n',
    );
  });

  it('Randomize seed makes every following Rnd reproducible', async () => {
    const src = 'Randomize 42 : For I=1 To 5 : Print Rnd(1000); : Next : Print : Print Rnd(0.5)';
    const first = await outputOf(src);
    expect(await outputOf(src)).toBe(first);
    expect(
      await outputOf('Randomize 43 : For I=1 To 5 : Print Rnd(1000); : Next : Print : Print Rnd(0.5)'),
    ).not.toBe(first);
    // Within one run too: seeding again restarts the sequence.
    expect(
      await outputOf(
        'Randomize 7 : A=Rnd(100000) : B=Rnd(100000) : Randomize 7 : Print A=Rnd(100000);B=Rnd(100000)',
      ),
    ).toBe(' 1 1\n');
  });

  it('Randomize uses the standard MT19937 with 53-bit floats', async () => {
    // MT19937 seeded with init_genrand(42): the first genrand_res53 is 0.3745401188473625.
    expect(await outputOf('Randomize 42 : Print Rnd(0.5)')).toBe(' 0.18727005942368125\n');
  });

  it('without Randomize, runs differ (Math.random)', async () => {
    const src = 'For I=1 To 4 : Print Rnd(1000000000); : Next';
    expect(await outputOf(src)).not.toBe(await outputOf(src));
  });
});

describe('MersenneTwister', () => {
  it('gives the reference outputs of MT19937', () => {
    // The reference implementation's default seed 5489: first outputs 3499211612, 581869302.
    const mt = new MersenneTwister(5489);
    expect([mt.int32(), mt.int32()]).toEqual([3499211612, 581869302]);
    // 10000th output for seed 5489 (C++ std::mt19937 requirement): 4123659995.
    const m2 = new MersenneTwister(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = m2.int32();
    expect(v).toBe(4123659995);
  });
});
