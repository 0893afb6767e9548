#!/usr/bin/env node
// The shipped CLI is one esbuild bundle (dist/), built by `npm ci` through the prepare script.
let main;
try {
  ({ main } = await import('../dist/aozrun.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write('aozrun: the command is not built yet: run `npm ci` (or `npm run build`) first\n');
  process.exit(1);
}
try {
  await main(process.argv);
} catch (e) {
  // Never a JavaScript stack trace for the user (AOZRUN_DEBUG=1 shows it).
  process.stderr.write(`aozrun: internal error: ${e instanceof Error ? e.message : e}\n`);
  if (process.env.AOZRUN_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
