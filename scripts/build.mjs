// Builds the shipped CLI (docs/architecture.md, "Start-up"):
// - dist/aozrun.js: one esbuild ESM bundle (unbundled, chevrotain's ~700 modules alone cost ~350 ms
//   of start-up), undici and ws split into chunks loaded only when a program uses the network.
//   bin/aozrun.js runs it.
// - dist/aozrun.blob: a Node start-up snapshot of the same code (src/cli/snapshot.ts), with
//   dist/net/{undici,ws}.cjs beside it, and dist/aozrun.blob.node, the stamp naming the node that
//   built it. bin/aozrun runs the blob when that same node is the one on the PATH. A blob only
//   works with the node binary that built it: when it cannot be built, the build says so on one
//   line and succeeds (bin/aozrun then runs bin/aozrun.js).
// AOZRUN_NO_SNAPSHOT=1 skips the blob.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Optional native speed-ups of ws that we do not ship.
  external: ['bufferutil', 'utf-8-validate'],
  define: { AOZRUN_VERSION: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(dist, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { aozrun: 'src/cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  banner: {
    // Bundled CommonJS modules (undici, ws, commander) call require() for Node built-ins.
    js: "import { createRequire as __aozCreateRequire } from 'node:module'; const require = __aozCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
});

if (process.env.AOZRUN_NO_SNAPSHOT) {
  console.log('aozrun: start-up snapshot skipped (AOZRUN_NO_SNAPSHOT); bin/aozrun runs the plain bundle');
} else {
  try {
    await buildSnapshot();
  } catch (e) {
    rmSync(join(dist, 'aozrun.blob'), { force: true });
    rmSync(join(dist, 'aozrun.blob.node'), { force: true });
    // esbuild's errors say what went wrong in their first entry; others on their first line.
    const why = e?.errors?.[0]?.text ?? firstLine(String(e instanceof Error ? e.message : e));
    console.log(`aozrun: start-up snapshot not built (${why}); bin/aozrun runs the plain bundle`);
  }
}

/**
 * The snapshot's code is a CommonJS bundle: `node --build-snapshot` runs its entry as a script
 * whose require() knows only Node's built-in modules. Hence:
 * - undici and ws come from their own bundles beside the blob, loaded on first use
 *   (src/cli/external.ts); they are not in the snapshot's heap;
 * - commander's require of child_process (used only for executable subcommands, which aozrun has
 *   none of) is deferred to first use: node does not vouch for that module in a snapshot (it warns).
 */
async function buildSnapshot() {
  const lazy = {
    name: 'aozrun-snapshot',
    setup(b) {
      b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]commander[\\/]/.test(args.importer)
          ? { path: 'child_process', namespace: 'aozrun-lazy' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'aozrun-lazy' }, (args) => ({
        contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:${args.path}')[key] });`,
        loader: 'js',
      }));
      b.onResolve({ filter: /^(undici|ws)$/ }, (args) => ({ path: args.path, namespace: 'aozrun-external' }));
      b.onLoad({ filter: /.*/, namespace: 'aozrun-external' }, (args) => ({
        contents: `module.exports = require('./src/cli/external.ts').external(${JSON.stringify(args.path)});`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
  await build({
    ...common,
    entryPoints: ['src/cli/snapshot.ts'],
    outfile: 'dist/aozrun-snapshot.cjs',
    format: 'cjs',
    plugins: [lazy],
    // import.meta only serves where AOZRUN_VERSION is undefined, which it never is in a bundle.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  for (const name of ['undici', 'ws']) {
    await build({
      ...common,
      stdin: { contents: `module.exports = require('${name}');`, resolveDir: root },
      outfile: `dist/net/${name}.cjs`,
      format: 'cjs',
    });
  }

  // The blob records V8's flags: build it without the caller's NODE_OPTIONS (bin/aozrun runs it
  // only when NODE_OPTIONS is empty).
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const blob = join(dist, 'aozrun.blob');
  const made = spawnSync(
    process.execPath,
    ['--snapshot-blob', blob, '--build-snapshot', join(dist, 'aozrun-snapshot.cjs')],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  if (made.status !== 0 || !existsSync(blob)) {
    throw new Error(firstLine(made.stderr) || made.error?.message || `node exited with ${made.status}`);
  }
  // Node warns about modules whose state may not survive a snapshot: keep them out (see above).
  if (made.stderr.trim()) process.stderr.write(made.stderr);
  // A blob that does not start is no better than none.
  const tried = spawnSync(process.execPath, ['--snapshot-blob', blob, '--', '--version'], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (tried.status !== 0 || tried.stdout.trim() !== pkg.version) {
    throw new Error(`the blob does not start: ${firstLine(tried.stderr) || `exit ${tried.status}`}`);
  }
  // The stamp, written last: the node that built the blob (bin/aozrun compares it with the node
  // on the PATH: same file, not changed since).
  writeFileSync(join(dist, 'aozrun.blob.node'), `${process.execPath}\n${process.version}\n`);
}

function firstLine(text) {
  return (text ?? '').trim().split('\n')[0] ?? '';
}
