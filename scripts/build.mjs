// Builds the shipped CLI: one esbuild bundle (unbundled, chevrotain's ~700 modules alone cost
// ~350 ms of start-up). undici and ws are split into chunks loaded only when a program uses the
// network.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { aozrun: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Optional native speed-ups of ws that we do not ship.
  external: ['bufferutil', 'utf-8-validate'],
  define: { AOZRUN_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Bundled CommonJS modules (undici, ws, commander) call require() for Node built-ins.
    js: "import { createRequire as __aozCreateRequire } from 'node:module'; const require = __aozCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
