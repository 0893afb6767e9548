/**
 * The entry of aozrun's start-up snapshot (scripts/build.mjs; docs/architecture.md, "Start-up").
 * `node --build-snapshot` evaluates this bundle once, at build time: every module is evaluated,
 * the parser constructed (Chevrotain's self-analysis), the instruction tables indexed, a small
 * program run (so the functions of a run are compiled), and the heap saved in dist/aozrun.blob.
 * `node --snapshot-blob dist/aozrun.blob -- ARGS` (bin/aozrun) then starts from that heap and only
 * runs the function given to setDeserializeMainFunction.
 *
 * Nothing here, nor at the top level of any module, may keep what it reads from
 * process.env/argv/stdout/stdin/cwd: at build time it would be frozen into the heap.
 */
import { Readable, Writable } from 'node:stream';
import { startupSnapshot } from 'node:v8';
import { Command, Option } from 'commander';
import { Session } from '../session.js';
import { locateExternals } from './external.js';
import { main } from './main.js';

/** Runs what a run runs, on streams of its own, so that V8 compiles it now rather than at each start. */
async function warmUp(): Promise<void> {
  const cli = new Command()
    .name('warm-up')
    .exitOverride()
    .argument('[file]')
    .option('-e, --eval <code>')
    .option('--map <FROM=TO>', 'map', (v: string, p: string[]) => [...p, v], [])
    .addOption(new Option('--color <when>').choices(['auto', 'always', 'never']).default('auto'))
    .action(() => undefined);
  cli.command('serve').option('--port <n>');
  cli.parse(['node', 'warm-up', '--map', 'a=b', '--color', 'never', 'file.aoz']);

  const ignore = new Writable({ write: (_chunk, _encoding, done) => done() });
  const source = [
    'Print "Hello" : Print "A"; 1, 2.5',
    'A$ = "x" + Str$(1 + 2 * 3) : B = Len(A$) : If A$ <> "" Then Print A$; B',
    'For I = 1 To 3 : Print I; : Next I : Print',
    'Procedure P[X] : Print X * 2 : End Proc',
  ].join('\n');
  const status = await new Session({
    file: 'warm-up',
    source,
    stdin: Readable.from([]),
    stdout: ignore,
    stderr: ignore,
    consoleMode: 'pipe',
    color: 'never',
    env: {},
  }).run();
  if (status !== 0) throw new Error(`the warm-up program ended with status ${status}`);
}

// The snapshot is taken once the event loop is empty, so after the warm-up's run.
warmUp().catch((e: unknown) => {
  process.stderr.write(`aozrun: the warm-up failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});

startupSnapshot.setDeserializeMainFunction(() => {
  locateExternals();
  // process.argv is [node, ...arguments] here (node took `--snapshot-blob FILE --`); main()
  // wants [node, script, ...arguments], as bin/aozrun.js gives it.
  const argv = [process.argv[0]!, 'aozrun', ...process.argv.slice(1)];
  main(argv).catch((e: unknown) => {
    // Never a JavaScript stack trace for the user (AOZRUN_DEBUG=1 shows it), as in bin/aozrun.js.
    process.stderr.write(`aozrun: internal error: ${e instanceof Error ? e.message : e}\n`);
    if (process.env['AOZRUN_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
});
