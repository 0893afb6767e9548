/**
 * undici and ws in the start-up snapshot (scripts/build.mjs; docs/architecture.md, "Start-up").
 * They are not in the snapshot's heap (a program without networking never loads them), and the
 * snapshot's own `require` knows only Node's built-in modules, so they are loaded on first use
 * from their own bundles, dist/net/*.cjs, beside the blob.
 */
import { dirname, join, resolve } from 'node:path';

let blobDir: string | undefined;
let load: NodeJS.Require | undefined;

/**
 * Notes where the blob being run is (`node --snapshot-blob dist/aozrun.blob`), as an absolute
 * path: called when the snapshot starts, before the program could change anything.
 */
export function locateExternals(execArgv: readonly string[] = process.execArgv): void {
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const blob =
      a === '--snapshot-blob' ? execArgv[i + 1] : a.startsWith('--snapshot-blob=') ? a.slice(16) : undefined;
    if (blob !== undefined) blobDir = dirname(resolve(blob));
  }
}

/** The module `name`, from dist/net/NAME.cjs. */
export function external(name: 'undici' | 'ws'): unknown {
  if (load === undefined) {
    if (blobDir === undefined) locateExternals();
    if (blobDir === undefined) throw new Error('cannot find the directory of the start-up snapshot');
    // Not imported: node:module is not one of the modules a snapshot may hold (node warns).
    load = process.getBuiltinModule('node:module').createRequire(join(blobDir, 'aozrun.blob'));
  }
  return load(`./net/${name}.cjs`);
}
