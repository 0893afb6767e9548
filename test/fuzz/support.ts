/**
 * Shared pieces of the property tests: run counts and seeds, the real vocabulary of the language,
 * and a generator of syntactically valid AOZ programs.
 *
 * Runs are reproducible: every property has a fixed seed. FUZZ_RUNS=N runs N cases per property
 * instead of the defaults; FUZZ_SEED=S explores other cases. A failure prints its shrunk
 * counterexample, seed and path: `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz -t
 * '<test name>'` replays it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import type { JitMode } from '../../src/interpreter/jit.js';
import type { BuiltinEntry, ParamSpec } from '../../src/interpreter/runtime-api.js';
import { KEYWORDS } from '../../src/lexer/tokens.js';
import { builtins, check, Session } from '../../src/session.js';
import { type Ran, runProgram } from '../helpers/run.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20251126);
const PATH = process.env['FUZZ_PATH'];

/** The number of cases of a property: its default, or FUZZ_RUNS. */
export function runs(defaultRuns: number): number {
  const n = Number(process.env['FUZZ_RUNS']);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : defaultRuns;
}

/**
 * fast-check parameters: a fixed seed, offset per property so that they do not draw the same cases.
 * A replay (FUZZ_PATH) takes FUZZ_SEED as the exact seed that the failure printed.
 */
export function params(defaultRuns: number, offset: number): fc.Parameters<unknown> {
  return {
    seed: PATH ? SEED : SEED + offset,
    numRuns: runs(defaultRuns),
    ...(PATH ? { path: PATH } : {}),
  };
}

/** A vitest timeout for a property whose default runs take about `ms`, scaled with FUZZ_RUNS. */
export function timeoutFor(defaultRuns: number, ms: number): number {
  return Math.max(ms, Math.ceil((ms * runs(defaultRuns)) / defaultRuns)) + 30_000;
}

// ---------------------------------------------------------------------------------------------
// The vocabulary

/** Structural keywords as the lexer spells them ("else if", "end proc"). */
export const keywordSpellings: readonly string[] = [...KEYWORDS.keys()];

/** Every instruction and function name of the tables ("wait key", "left$"). */
export const builtinSpellings: readonly string[] = [...builtins().vocabulary.names()];

// biome-ignore format: a compact list
export const operatorSpellings: readonly string[] = [
  '+', '-', '*', '/', '^', '=', '<>', '!=', '<', '>', '<=', '>=', '=<', '=>', '<<', '>>', '&', '|', '(', ')',
  '[', ']', ',', ';', ':', '.', '#', '$', '%', '@', '?', '\\', "'", '//', '/*', '*/', '"', '“', '”',
];

// biome-ignore format: a compact list
export const identifierSpellings: readonly string[] = [
  'A', 'B', 'I', 'X#', 'S$', 'NAME$', 'A1', 'a_b', '_x', 'N(0)', 'N(', 'A$(1,2)', 'P[1]', 'P[', 'L1:',
  'LBL:', 'PRINTFOOT', 'Procedure1', 'End1', 'X@',
];

// biome-ignore format: a compact list
export const literalSpellings: readonly string[] = [
  '0', '1', '42', '-7', '3.5', '.5', '1.', '2.0', '1e3', '010', '$FF', '$', '%101', '%', '%2', '99999999999',
  '1.7976931348623157e308', '""', '"abc"', '"a b: c"', '"unclosed', '“typographic”', '"\\"', '"x" "y"',
];

// ---------------------------------------------------------------------------------------------
// Valid programs

/**
 * Where a statement is generated: nesting depth left, loops around it (for Exit and counters),
 * the top-level chunk of the main program (for forward Gotos), and the procedure (-1: main program,
 * -2: a Gosub subroutine, -3: the procedure Q).
 */
interface Ctx {
  readonly depth: number;
  readonly loops: number;
  readonly chunk: number;
  readonly chunks: number;
  readonly proc: number;
}

interface ProcDef {
  readonly name: string;
  readonly params: readonly string[];
  readonly returns: 'num' | 'str';
}

/** Procedures of every generated program; a procedure may only call those after it (no recursion). */
const PROCS: readonly ProcDef[] = [
  { name: 'P0', params: ['PA', 'PB$'], returns: 'num' },
  { name: 'P1', params: ['PA'], returns: 'num' },
  { name: 'PS$', params: ['PA', 'PB$'], returns: 'str' },
];
const SUBS = ['SUB1', 'SUB2'];
const LOOP_VARS = ['I', 'J', 'K'];

/** Numbers that make interesting edge cases, including ones that overflow or are out of bounds. */
const intLit = fc
  .oneof(
    { arbitrary: fc.integer({ min: -3, max: 12 }), weight: 6 },
    {
      arbitrary: fc.constantFrom(0, 255, 1000, 65535, 99999, 2147483647, -2147483648, 4294967296),
      weight: 1,
    },
  )
  .map((n) => String(n));
const floatLit = fc.constantFrom('0.5', '2.5', '3.14159', '0.1', '1.0', '1000000.5');
/** Array indexes: mostly in bounds (N(5), W$(3)), sometimes just outside. */
const index = fc.integer({ min: -1, max: 6 }).map(String);
const smallLit = fc.integer({ min: -2, max: 40 }).map(String);
const strLit = fc.constantFrom(
  '""',
  '"abc"',
  '"Hello World"',
  '" x "',
  '"A"',
  '"123"',
  '"-4.5"',
  '"a,b"',
  '"é€😀"',
);

/** The entries a generated program may use: no waiting, no network, the generic argument form. */
function usable(e: BuiltinEntry): boolean {
  if (e.waits || /^(websocket|call service)/i.test(e.name)) return false;
  // Assignment forms (`Left$(v$, n) = x$`) are not the generic `Name args` form.
  if (e.kind === 'instruction' && e.syntax?.startsWith(`${e.name}(`)) return false;
  const allowed =
    e.kind === 'function' ? ['number', 'string', 'any'] : ['number', 'string', 'any', 'variable', 'array'];
  return e.params.every((p) => allowed.includes(p.type));
}

const entries = builtins().entries.filter(usable);
const hasInstruction = (name: string) => builtins().instruction(name) !== undefined;
const hasFunction = (name: string) => builtins().function(name) !== undefined;
const numFunctions = entries.filter((e) => e.kind === 'function' && e.returns !== 'string');
const strFunctions = entries.filter((e) => e.kind === 'function' && e.returns === 'string');
const instructions = entries.filter((e) => e.kind === 'instruction');

export const generatorVocabulary = {
  numFunctions: numFunctions.map((e) => e.name),
  strFunctions: strFunctions.map((e) => e.name),
  instructions: instructions.map((e) => e.name),
};

function numVars(ctx: Ctx): string[] {
  const proc = PROCS[ctx.proc];
  return ['A', 'B', 'C', 'X#', 'Y#', ...(proc ? proc.params.filter((p) => !p.endsWith('$')) : [])];
}

function strVars(ctx: Ctx): string[] {
  const proc = PROCS[ctx.proc];
  return ['S$', 'T$', ...(proc ? proc.params.filter((p) => p.endsWith('$')) : [])];
}

function callableProcs(ctx: Ctx): ProcDef[] {
  return ctx.proc >= 0 ? PROCS.slice(ctx.proc + 1) : [...PROCS];
}

const memo = new Map<string, fc.Arbitrary<string>>();
function cached(key: string, make: () => fc.Arbitrary<string>): fc.Arbitrary<string> {
  let a = memo.get(key);
  if (!a) {
    a = make();
    memo.set(key, a);
  }
  return a;
}

function key(kind: string, ctx: Ctx, d: number): string {
  return `${kind}:${ctx.depth}:${ctx.loops}:${ctx.chunk}:${ctx.chunks}:${ctx.proc}:${d}`;
}

function join(parts: readonly fc.Arbitrary<string>[], sep: string): fc.Arbitrary<string> {
  return fc.tuple(...parts).map((xs) => xs.join(sep));
}

function args(e: BuiltinEntry, ctx: Ctx, d: number, small: boolean): fc.Arbitrary<string> {
  const arg = (p: ParamSpec): fc.Arbitrary<string> => {
    switch (p.type) {
      case 'string':
        return strExpr(ctx, d);
      case 'number':
        return small ? smallNum(ctx, d) : numExpr(ctx, d);
      case 'any':
        // Min/Max give a string for strings: keep the type the caller expects.
        return e.kind === 'function' && e.returns !== 'string' ? numExpr(ctx, d) : strExpr(ctx, d);
      case 'variable':
        return p.name.endsWith('$') ? fc.constantFrom(...strVars(ctx)) : fc.constantFrom('A', 'B', 'C');
      case 'array':
        return p.name.endsWith('$') ? fc.constant('W$()') : fc.constant('N()');
    }
  };
  const required = e.params.filter((p) => !p.optional).length;
  const trailingOptional = e.params.every((p, i) => i < required || p.optional);
  // A syntax of its own (`Add v, e [, base To top]`): only the required arguments are generic.
  const max = e.syntax === undefined ? e.params.length : required;
  const count = trailingOptional ? fc.integer({ min: required, max }) : fc.constant(e.params.length);
  return count.chain((n) => (n === 0 ? fc.constant('') : join(e.params.slice(0, n).map(arg), ', ')));
}

/** A number for counts and positions of string functions: small, so strings stay small. */
function smallNum(ctx: Ctx, d: number): fc.Arbitrary<string> {
  return cached(key('small', ctx, d), () =>
    d <= 0
      ? smallLit
      : fc.oneof(
          { arbitrary: smallLit, weight: 3 },
          numExpr(ctx, d - 1).map((e) => `(${e}) Mod 40`),
        ),
  );
}

function procCall(p: ProcDef, ctx: Ctx, d: number): fc.Arbitrary<string> {
  return join(
    p.params.map((q) => (q.endsWith('$') ? strExpr(ctx, d) : numExpr(ctx, d))),
    ', ',
  ).map((a) => `${p.name}[${a}]`);
}

export function numExpr(ctx: Ctx, d: number): fc.Arbitrary<string> {
  return cached(key('num', ctx, d), () => {
    const atoms: fc.Arbitrary<string>[] = [
      intLit,
      intLit,
      floatLit,
      fc.constantFrom(...numVars(ctx)),
      fc.constantFrom(...numVars(ctx)),
      fc.constantFrom(...LOOP_VARS),
    ];
    if (d <= 0) return fc.oneof(...atoms);
    const sub = numExpr(ctx, d - 1);
    const str = strExpr(ctx, d - 1);
    const compound: fc.Arbitrary<string>[] = [
      fc.tuple(sub, fc.constantFrom('+', '-', '*'), sub).map(([a, op, b]) => `${a} ${op} ${b}`),
      fc
        .tuple(
          sub,
          fc.constantFrom('+', '-', '*', '/', 'Mod', '^', 'And', 'Or', 'Xor', '&', '|', '<<', '>>'),
          sub,
        )
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc
        .tuple(sub, fc.constantFrom('<', '>', '<=', '>=', '=', '<>'), sub)
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(str, fc.constantFrom('<', '>', '=', '<>'), str).map(([a, op, b]) => `(${a} ${op} ${b})`),
      sub.map((a) => `-(${a})`),
      fc.tuple(sub, sub).map(([a, b]) => `Not (${a} < ${b})`),
      fc.oneof(index, index, sub).map((i) => `N(${i})`),
      str.map((s) => `Len(${s})`),
    ];
    if (numFunctions.length > 0) {
      compound.push(
        fc
          .constantFrom(...numFunctions)
          .chain((e) =>
            args(e, ctx, d - 1, false).map((a) => (e.params.length === 0 ? e.name : `${e.name}(${a})`)),
          ),
      );
    }
    const procs = callableProcs(ctx).filter((p) => p.returns === 'num');
    if (procs.length > 0) compound.push(fc.constantFrom(...procs).chain((p) => procCall(p, ctx, d - 1)));
    if (ctx.proc === -1) compound.push(sub.map((a) => `Fn DBL(${a})`));
    if (hasFunction('Match')) compound.push(sub.map((a) => `Match(N(0), ${a})`));
    return fc.oneof(
      { arbitrary: fc.oneof(...atoms), weight: 2 },
      { arbitrary: fc.oneof(...compound), weight: 3 },
    );
  });
}

export function strExpr(ctx: Ctx, d: number): fc.Arbitrary<string> {
  return cached(key('str', ctx, d), () => {
    const atoms = [strLit, fc.constantFrom(...strVars(ctx))];
    if (d <= 0) return fc.oneof(...atoms);
    const sub = strExpr(ctx, d - 1);
    const compound: fc.Arbitrary<string>[] = [
      fc.tuple(sub, sub).map(([a, b]) => `${a} + ${b}`),
      fc.tuple(sub, sub).map(([a, b]) => `(${a} - ${b})`),
      fc.oneof(index, index, numExpr(ctx, d - 1)).map((i) => `W$(${i})`),
      numExpr(ctx, d - 1).map((n) => `Str$(${n})`),
    ];
    if (strFunctions.length > 0) {
      compound.push(
        fc
          .constantFrom(...strFunctions)
          .chain((e) =>
            args(e, ctx, d - 1, true).map((a) => (e.params.length === 0 ? e.name : `${e.name}(${a})`)),
          ),
      );
    }
    const procs = callableProcs(ctx).filter((p) => p.returns === 'str');
    if (procs.length > 0) compound.push(fc.constantFrom(...procs).chain((p) => procCall(p, ctx, d - 1)));
    if (ctx.proc === -1) compound.push(sub.map((a) => `Fn UP$(${a})`));
    return fc.oneof(
      { arbitrary: fc.oneof(...atoms), weight: 2 },
      { arbitrary: fc.oneof(...compound), weight: 2 },
    );
  });
}

function cond(ctx: Ctx): fc.Arbitrary<string> {
  return fc.oneof(
    numExpr(ctx, 2),
    fc
      .tuple(numExpr(ctx, 1), fc.constantFrom('<', '>', '=', '<>', '<=', '>='), numExpr(ctx, 1))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(numExpr(ctx, 1), fc.constantFrom('And', 'Or'), numExpr(ctx, 1))
      .map(([a, op, b]) => `(${a} > 0) ${op} (${b} < 5)`),
  );
}

function printList(ctx: Ctx): fc.Arbitrary<string> {
  const item = fc.oneof(numExpr(ctx, 2), strExpr(ctx, 2));
  return fc
    .tuple(
      fc.array(fc.tuple(item, fc.constantFrom(';', ',')), { maxLength: 4 }),
      fc.constantFrom('', ';', ','),
    )
    .map(([items, end]) => {
      if (items.length === 0) return 'Print';
      const body = items.map(([e, sep], i) => (i < items.length - 1 ? `${e}${sep} ` : e)).join('');
      return `Print ${body}${end}`;
    });
}

/** One statement that fits on one line (no block). */
function simple(ctx: Ctx): fc.Arbitrary<string> {
  return cached(key('simple', ctx, 0), () => {
    const n = numExpr(ctx, 2);
    const s = strExpr(ctx, 2);
    const choices: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [
      { arbitrary: fc.tuple(fc.constantFrom(...numVars(ctx)), n).map(([v, e]) => `${v} = ${e}`), weight: 16 },
      // Left$ keeps strings small whatever the loops do.
      {
        arbitrary: fc.tuple(fc.constantFrom(...strVars(ctx)), s).map(([v, e]) => `${v} = Left$(${e}, 200)`),
        weight: 10,
      },
      {
        arbitrary: fc.tuple(fc.oneof(index, index, numExpr(ctx, 1)), n).map(([i, e]) => `N(${i}) = ${e}`),
        weight: 4,
      },
      { arbitrary: fc.tuple(index, s).map(([i, e]) => `W$(${i}) = Left$(${e}, 200)`), weight: 2 },
      {
        arbitrary: fc.oneof(
          { arbitrary: printList(ctx), weight: 40 },
          { arbitrary: fc.constant('Input A'), weight: 1 },
        ),
        weight: 16,
      },
      {
        arbitrary: fc
          .tuple(fc.constantFrom('"###.##"', '"~~~"', '"+##"', '"#,###"', '"-##.#^^^"', '""'), n)
          .map(([f, e]) => `Print Using ${f}; ${e}`),
        weight: 2,
      },
      {
        arbitrary: fc.constantFrom(20, 23, 33, 34, 1, 9, 200).map((code) => `Error ${code}`),
        weight: 2,
      },
      // Short waits, also inside procedures called from expressions (the machine suspends there).
      { arbitrary: fc.constantFrom('Wait 0.001', 'Wait Vbl', 'Wait 0'), weight: 1 },
      { arbitrary: fc.constantFrom('A = Param', 'X# = Param#', 'S$ = Param$'), weight: 1 },
    ];
    if (ctx.proc === -1 || ctx.proc === -2) {
      // A procedure called without brackets, and by its name in a string.
      choices.push({ arbitrary: fc.constantFrom('Q', 'Proc Q', 'Proc "q"', 'Proc "Q"'), weight: 2 });
    }
    if (hasInstruction('Mid$')) {
      choices.push({
        arbitrary: fc
          .tuple(fc.constantFrom(...strVars(ctx)), smallNum(ctx, 1), fc.option(smallNum(ctx, 1)), s)
          .map(([v, a, b, e]) => `Mid$(${v}, ${a}${b === null ? '' : `, ${b}`}) = ${e}`),
        weight: 1,
      });
    }
    for (const name of ['Left$', 'Right$'].filter(hasInstruction)) {
      choices.push({
        arbitrary: fc
          .tuple(fc.constantFrom(...strVars(ctx)), smallNum(ctx, 1), s)
          .map(([v, a, e]) => `${name}(${v}, ${a}) = ${e}`),
        weight: 1,
      });
    }
    if (instructions.length > 0) {
      choices.push({
        arbitrary: fc
          .constantFrom(...instructions)
          .chain((e) => args(e, ctx, 1, false).map((a) => (a ? `${e.name} ${a}` : e.name))),
        weight: 8,
      });
    }
    const procs = callableProcs(ctx);
    if (procs.length > 0)
      choices.push({ arbitrary: fc.constantFrom(...procs).chain((p) => procCall(p, ctx, 1)), weight: 6 });
    choices.push({
      arbitrary: fc.integer({ min: 0, max: 100_000 }).map((k) => `REC[${k % 7 === 0 ? k : k % 30}]`),
      weight: 1,
    });
    if (ctx.proc === -1) {
      choices.push({ arbitrary: fc.constantFrom(...SUBS).map((l) => `Gosub ${l}`), weight: 4 });
      choices.push({
        arbitrary: fc.constantFrom(
          'Read A',
          'Read S$',
          'Read X#, T$',
          'Restore',
          'Restore DATA2',
          'Restore L0',
        ),
        weight: 2,
      });
      // On needs an integer-typed selector (aoz-facts §6.7).
      choices.push({
        arbitrary: fc
          .tuple(
            fc.oneof(index, fc.constantFrom('A', 'B', 'C')),
            fc.constantFrom('Gosub SUB1, SUB2', 'Proc Q, Q', 'Gosub SUB2'),
          )
          .map(([i, t]) => `On ${i} ${t}`),
        weight: 1,
      });
      if (ctx.chunk < ctx.chunks - 1) {
        const later = fc.integer({ min: ctx.chunk + 1, max: ctx.chunks - 1 });
        choices.push({ arbitrary: later.map((k) => `Goto L${k}`), weight: 2 });
        choices.push({ arbitrary: later.map((k) => `Goto "l${k}"`), weight: 1 });
        choices.push({
          arbitrary: fc
            .tuple(
              fc.oneof(index, fc.constantFrom('A', 'B', 'C')),
              fc.array(later, { minLength: 1, maxLength: 3 }),
            )
            .map(([i, ks]) => `On ${i} Goto ${ks.map((k) => `L${k}`).join(', ')}`),
          weight: 1,
        });
      }
    }
    if (ctx.proc >= 0) {
      const ret = PROCS[ctx.proc]!.returns === 'str' ? s : n;
      choices.push({ arbitrary: fc.constant('Goto PX'), weight: 1 });
      choices.push({ arbitrary: ret.map((e) => `Pop Proc[${e}]`), weight: 1 });
    }
    if (ctx.loops > 0) {
      choices.push({
        arbitrary: fc.integer({ min: 1, max: ctx.loops }).map((k) => (k === 1 ? 'Exit' : `Exit ${k}`)),
        weight: 2,
      });
      choices.push({
        arbitrary: fc
          .tuple(cond(ctx), fc.integer({ min: 1, max: ctx.loops }))
          .map(([c, k]) => (k === 1 ? `Exit If ${c}` : `Exit If ${c}, ${k}`)),
        weight: 2,
      });
    }
    const all = fc.oneof(...choices);
    return fc.oneof(
      { arbitrary: all, weight: 20 },
      { arbitrary: all.map((st) => `Trap ${st}`), weight: 2 },
      {
        arbitrary: fc
          .tuple(cond(ctx), all, fc.option(all, { nil: undefined }))
          .map(([c, a, b]) => (b === undefined ? `If ${c} Then ${a}` : `If ${c} Then ${a} Else ${b}`)),
        weight: 4,
      },
    );
  });
}

/** Statements, blocks included, as lines. */
function statements(ctx: Ctx): fc.Arbitrary<string[]> {
  const one: fc.Arbitrary<string[]> = simple(ctx).map((s) => [s]);
  if (ctx.depth <= 0) return fc.array(one, { maxLength: 4 }).map((xs) => xs.flat());
  const inner = { ...ctx, depth: ctx.depth - 1 };
  const inLoop = { ...inner, loops: ctx.loops + 1 };
  const body = (c: Ctx) => statements(c);
  const counter = `R${ctx.loops + 1}`;
  const blocks: fc.Arbitrary<string[]>[] = [
    fc
      .tuple(
        cond(ctx),
        body(inner),
        fc.array(fc.tuple(cond(ctx), body(inner)), { maxLength: 2 }),
        fc.option(body(inner)),
      )
      .map(([c, then, elifs, other]) => [
        `If ${c}`,
        ...then,
        ...elifs.flatMap(([c2, b]) => [`Else If ${c2}`, ...b]),
        ...(other ? ['Else', ...other] : []),
        'End If',
      ]),
    fc
      .tuple(
        fc.integer({ min: -2, max: 4 }),
        fc.integer({ min: -2, max: 4 }),
        fc.constantFrom('', ' Step 1', ' Step 2', ' Step -1'),
        body(inLoop),
      )
      .map(([a, b, step, xs]) => {
        const v = LOOP_VARS[ctx.loops]!;
        return [`For ${v} = ${a} To ${b}${step}`, ...xs, `Next ${v}`];
      }),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), body(inLoop))
      .map(([k, xs]) => [
        `${counter} = 0`,
        'Repeat',
        `${counter} = ${counter} + 1`,
        ...xs,
        `Until ${counter} >= ${k}`,
      ]),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), body(inLoop))
      .map(([k, xs]) => [
        `${counter} = 0`,
        `While ${counter} < ${k}`,
        `${counter} = ${counter} + 1`,
        ...xs,
        'Wend',
      ]),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), body(inLoop))
      .map(([k, xs]) => [
        `${counter} = 0`,
        'Do',
        `${counter} = ${counter} + 1`,
        `Exit If ${counter} > ${k}`,
        ...xs,
        'Loop',
      ]),
  ];
  const item = fc.oneof({ arbitrary: one, weight: 3 }, { arbitrary: fc.oneof(...blocks), weight: 1 });
  return fc.array(item, { maxLength: 4 }).map((xs) => xs.flat());
}

const DEPTH = 2;

/**
 * A syntactically valid program: a main program in chunks (labels L0.. for forward Gotos), Gosub
 * subroutines and an error handler after End, Data, and procedures P0, P1, PS$ and REC.
 */
export function program(): fc.Arbitrary<string> {
  const main = fc
    .integer({ min: 1, max: 3 })
    .chain((chunks) =>
      fc.tuple(
        ...Array.from({ length: chunks }, (_, chunk) =>
          statements({ depth: DEPTH, loops: 0, chunk, chunks, proc: -1 }).map((lines) => [
            `L${chunk}:`,
            ...lines,
          ]),
        ),
      ),
    );
  const sub = statements({ depth: 1, loops: 0, chunk: 0, chunks: 0, proc: -2 });
  const procs = PROCS.map((p, i) => {
    const ctx: Ctx = { depth: DEPTH - 1, loops: 0, chunk: 0, chunks: 0, proc: i };
    const ret = p.returns === 'str' ? strExpr(ctx, 1) : numExpr(ctx, 1);
    return fc
      .tuple(statements(ctx), ret)
      .map(([body, r]) => [`Procedure ${p.name}[${p.params.join(', ')}]`, ...body, 'PX:', `End Proc[${r}]`]);
  });
  // Q: no parameters, for `Q`, `Proc "Q"` and `On ... Proc`; it may call P0, P1 and PS$.
  const q = statements({ depth: 1, loops: 0, chunk: 0, chunks: 0, proc: -3 });
  const handler = fc.constantFrom('Resume Next', 'Resume Next', 'Resume Next', 'Resume L0', 'End');
  return fc
    .tuple(fc.boolean(), main, sub, sub, fc.tuple(...procs), q, handler, fc.constantFrom('  ', '', '\t'))
    .map(([onError, chunks, sub1, sub2, procLines, qLines, resume, indent]) => {
      const lines = [
        'Dim N(5), W$(3)',
        'Global N(), W$()',
        'Def Fn DBL(Z) = Z * 2',
        'Def Fn UP$(Z$) = Upper$(Z$) + "!"',
        ...(onError ? ['On Error Goto ERRH'] : []),
        ...chunks.flat(),
        'End',
        'SUB1:',
        ...sub1,
        'Return',
        'SUB2:',
        ...sub2,
        'Return',
        'ERRH:',
        'Print "error"; Errn',
        resume,
        'Data 1, 2.5, "three", -4, "", 6',
        'DATA2:',
        'Data A + 1, S$ + "!", 7 / 2, Len(T$)',
        ...procLines.flat(),
        'Procedure Q',
        ...qLines,
        'End Proc',
        'Procedure REC[D]',
        'If D > 0 Then REC[D - 1]',
        'End Proc[D]',
      ];
      return `${lines.map((l) => (/^[A-Z]+\d*:$/.test(l) ? l : indent + l)).join('\n')}\n`;
    });
}

/** Characters that matter to the lexer, to splice into valid programs. */
const spliced = fc.constantFrom(
  '"',
  '“',
  '”',
  ':',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  '$',
  '#',
  '%',
  '@',
  "'",
  '/',
  '*',
  '/*',
  '*/',
  '//',
  '\\',
  '=',
  '<',
  '>',
  '-',
  '+',
  '.',
  '0',
  '9',
  'A',
  '_',
  'Rem ',
  'If ',
  'End If',
  'Next',
  'Loop',
  'Wend',
  'Until 1',
  'End Proc',
  'Procedure Q',
  'Else',
  'For I=1 To 2',
  'Exit',
  'Goto L0',
  'L9:',
  '\u0000',
  '\u00a0',
  '\ufeff',
  '\ud800',
  '😀',
);

/** A valid program with a few random edits: inserted, deleted or duplicated text, swapped lines. */
export function mutations(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      base,
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 40 }),
          fc.constantFrom('insert', 'delete', 'duplicate', 'swap'),
          spliced,
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([src, edits]) => {
      let s = src;
      for (const [at, len, op, text] of edits) {
        const i = at % (s.length + 1);
        if (op === 'insert') s = s.slice(0, i) + text + s.slice(i);
        else if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
        else if (op === 'duplicate') s = s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
        else {
          const lines = s.split('\n');
          const a = at % lines.length;
          const b = (at + len) % lines.length;
          [lines[a], lines[b]] = [lines[b]!, lines[a]!];
          s = lines.join('\n');
        }
      }
      return s;
    });
}

export const mutated = mutations(program());

const SAMPLES = joinPath(import.meta.dirname, '..', '..', 'samples');

/** The sample programs (every .aoz file under samples/) that do not use the network: real programs. */
export const samplePrograms: readonly string[] = readdirSync(SAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.aoz'))
  .sort()
  .map((f) => readFileSync(joinPath(SAMPLES, f), 'utf8'))
  .filter((src) => !/call service|websocket/i.test(src));

// ---------------------------------------------------------------------------------------------
// What every source must give

const sink = new Writable({ write: (_chunk, _enc, done) => done() });
const noInput = new PassThrough();

/**
 * `check(source)` returns diagnostics and never throws; the diagnostics are well formed, point
 * inside the source, and print (with the source line and caret) without throwing either.
 * Returns the error messages, for properties that expect none.
 */
export function checkSane(source: string): string[] {
  const started = performance.now();
  const checked = check(source);
  const elapsed = performance.now() - started;
  if (elapsed > 3000) throw new Error(`check() took ${Math.round(elapsed)} ms`);
  const lines = source.split(/\r\n|\r|\n/).length;
  const errors: string[] = [];
  for (const d of checked.diagnostics) {
    if (d.severity !== 'error' && d.severity !== 'warning')
      throw new Error(`bad severity ${String(d.severity)}`);
    if (typeof d.message !== 'string' || d.message.length === 0) throw new Error('empty diagnostic message');
    const { line, column } = d.pos;
    if (
      !(Number.isInteger(line) && line >= 1 && line <= lines + 1 && Number.isInteger(column) && column >= 1)
    ) {
      throw new Error(
        `diagnostic outside the source (${lines} lines): line ${line}, column ${column}: ${d.message}`,
      );
    }
    if (/internal error/i.test(d.message)) throw new Error(`internal error diagnostic: ${d.message}`);
    if (d.severity === 'error') errors.push(`${line}:${column} ${d.message}`);
  }
  if ((checked.program === null) !== errors.length > 0) {
    throw new Error(`program ${checked.program ? 'compiled' : 'rejected'} with ${errors.length} error(s)`);
  }
  const session = new Session({
    file: 'fuzz.aoz',
    source,
    stdin: noInput,
    stdout: sink,
    stderr: sink,
  });
  session.report(checked.diagnostics);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// How every run must end

const LIMIT_MS = 200;
/** Far beyond LIMIT_MS: reaching it means the run does not stop. */
const HANG_MS = 10_000;

export async function runBounded(
  source: string,
  consoleMode: 'pipe' | 'terminal' = 'pipe',
  jit?: JitMode,
): Promise<Ran> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no end after ${HANG_MS} ms (time limit ${LIMIT_MS} ms)`)),
      HANG_MS,
    );
  });
  try {
    return await Promise.race([
      runProgram(source, {
        timeoutMs: LIMIT_MS,
        eofGraceMs: 20,
        consoleMode,
        color: 'always',
        ...(jit ? { jit } : {}),
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcomes a run may have (DESIGN §8); anything else throws with what happened. */
export function expectSaneEnd(r: Ran, source: string): void {
  const problems: string[] = [];
  if (/internal error/i.test(r.stderr)) problems.push('Internal error');
  if (/\bat .*\.(js|ts):\d+/.test(r.stderr)) problems.push('JavaScript stack trace');
  if (![0, 1, 124].includes(r.exit)) problems.push(`exit status ${r.exit}`);
  if (r.exit === 1 && !/^Error: .+ at line \d+, column \d+ in test\.aoz$/m.test(r.stderr)) {
    problems.push('runtime error without its position');
  }
  const lines = source.split('\n');
  for (const [, l, c] of r.stderr.matchAll(/ at line (\d+), column (\d+) in test\.aoz$/gm)) {
    const line = lines[Number(l) - 1];
    if (line === undefined || Number(c) < 1 || Number(c) > line.length + 1) {
      problems.push(`position outside the source: line ${l}, column ${c}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${problems.join(', ')}; exit ${r.exit}; stderr:\n${r.stderr.slice(0, 2000)}`);
  }
}
