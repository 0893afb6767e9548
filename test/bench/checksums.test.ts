/**
 * The benchmarks of `npm run bench` (bench/, scripts/bench.mjs) compare like with like: every
 * variant of a program, in every language, prints the same checksum. Checked here at small sizes
 * (each benchmark's testSize), with every implementation that is installed; a missing interpreter
 * is skipped with a notice. aozrun runs each program with each tier (AOZRUN_JIT=auto, never,
 * always). No timings are asserted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  available,
  checksumOf,
  IMPLEMENTATIONS,
  type Implementation,
  ROOT,
} from '../../scripts/bench/impls.mjs';
import {
  fileOf,
  NET_CASES,
  type NetServer,
  netClients,
  runNetClient,
  startServer,
} from '../../scripts/bench/net.mjs';
import { BENCHMARKS, programAt, sizeIn } from '../../scripts/bench/programs.mjs';
import { runOnce } from '../../scripts/bench/run.mjs';

const built = existsSync(join(ROOT, 'dist/aozrun.js'));
if (!built) console.warn('bench checksums: skipping aozrun (not built: run `npm run build`)');

const aozrun = IMPLEMENTATIONS.find((i) => i.id === 'aozrun')!;
const implementations: Implementation[] = [
  ...IMPLEMENTATIONS,
  {
    ...aozrun,
    id: 'aozrun-jit-always',
    label: 'aozrun (AOZRUN_JIT=always)',
    env: () => ({ ...process.env, AOZRUN_JIT: 'always' }),
  },
];
/** '' when the implementation can run here, else why not (shown in the skipped test's name). */
function skipReason(impl: Implementation): string {
  if (impl.ext === 'aoz' && !built) return ' (skipped: aozrun is not built)';
  if (!available(impl)) return ` (skipped: ${impl.binary} is not installed, Debian package ${impl.pkg})`;
  return '';
}
for (const impl of implementations) {
  if (!available(impl)) console.warn(`bench checksums: ${impl.label}${skipReason(impl)}`);
}

async function checksum(argv: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runOnce(argv, { env: env ?? process.env, cwd: ROOT, timeoutMs: 30_000 });
  const sum = checksumOf(`${r.stdout}\n${r.stderr}`);
  if (r.code !== 0 || sum.value === undefined) {
    throw new Error(
      `${argv.join(' ')}: exit ${r.code ?? r.signal}, ${sum.error ?? ''}\n${r.stdout}\n${r.stderr}`,
    );
  }
  return sum.value;
}

describe.each(BENCHMARKS)('bench/$name', (b) => {
  let expected: string;
  beforeAll(async () => {
    expected = await checksum([process.execPath, programAt(b.name, 'js', b.testSize)]);
  });

  it('sets the same size on the first line of every variant', () => {
    for (const ext of new Set(IMPLEMENTATIONS.map((i) => i.ext)))
      expect(sizeIn(b.name, ext), ext).toBe(b.size);
  });

  for (const impl of implementations.filter((i) => i.id !== 'js')) {
    const why = skipReason(impl);
    (why ? it.skip : it)(`${impl.label} prints the checksum of the JavaScript variant${why}`, async () => {
      const got = await checksum(impl.command(programAt(b.name, impl.ext, b.testSize)), impl.env?.());
      expect(got).toBe(expected);
    });
  }
});

describe.skipIf(!built)('bench/net', () => {
  let server: NetServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it.each(NET_CASES)('$name: the AOZ client sets the size the bench reports', (c) => {
    expect(sizeIn(fileOf(c), 'aoz')).toBe(c.size);
  });

  const small: Record<string, number> = { http: 20, 'ws-echo': 5, 'ws-flood': 300, latency: 5 };
  it.each(NET_CASES)(
    '$name: the AOZ client and the plain JavaScript one print the same checksum',
    async (c) => {
      const sums: string[] = [];
      for (const client of netClients(c, server.port)) {
        const r = await runNetClient(c, client, server, small[c.name]!);
        expect(r.error, client.label).toBeUndefined();
        sums.push(r.checksum!);
      }
      expect(sums[0]).toBe(sums[1]);
    },
  );
});

describe.skipIf(!built)('scripts/bench.mjs', () => {
  it('runs a quick round of one benchmark and prints its table', async () => {
    const r = await runOnce(
      [process.execPath, 'scripts/bench.mjs', '--quick', '--no-doc', '--only', 'fib,startup'],
      {
        cwd: ROOT,
        timeoutMs: 60_000,
      },
    );
    expect(r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fib\s/m);
    expect(r.stdout).toContain('geomean vs JS');
    expect(r.stdout).toContain('node -e 0');
  }, 60_000);
});
