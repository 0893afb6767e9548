/**
 * The chapter's two programs, unchanged, against servers this project did not write, by --map
 * alone: the same transcripts as against the playground (samples/doc/*.expect) must come out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playTranscript } from '../golden/run.js';
import { parseTranscript } from '../golden/transcript.js';
import {
  hasPhp,
  hasPythonWebsockets,
  type Peer,
  PHP_PACKAGE,
  PYTHON_WEBSOCKETS_PACKAGE,
  startPhpCafe,
  startPythonRelay,
} from './peers.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function playSample(name: string, maps: [string, string][]) {
  const t = parseTranscript(readFileSync(join(ROOT, `samples/doc/${name}.expect`), 'utf8'));
  const r = await playTranscript(t, {
    file: `samples/doc/${name}.aoz`,
    source: readFileSync(join(ROOT, `samples/doc/${name}.aoz`), 'utf8'),
    maps,
  });
  expect(r.stdout).toBe(t.steps.flatMap((s) => (s.kind === 'output' ? [s.text] : [])).join(''));
  expect(r.problem ?? 'ok').toBe('ok');
  expect(r.exit).toBe(t.exit);
}

if (!hasPhp())
  console.warn(`interop: skipping the PHP café tests (install the Debian package ${PHP_PACKAGE})`);
describe.skipIf(!hasPhp())('the café program against PHP (php -S)', () => {
  let php: Peer | null;
  beforeAll(async () => {
    php = await startPhpCafe();
  });
  afterAll(async () => {
    await php?.close();
  });

  it('prints the same transcript as against the playground', async () => {
    await playSample('call-service', [['http://aoz-studio.online', php!.url]]);
    await playSample('call-service-tidy', [['http://aoz-studio.online', php!.url]]);
  });
});

if (!hasPythonWebsockets()) {
  console.warn(
    `interop: skipping the Python relay tests (install the Debian package ${PYTHON_WEBSOCKETS_PACKAGE})`,
  );
}
describe.skipIf(!hasPythonWebsockets())('the WebSocket program against Python websockets', () => {
  let relay: Peer | null;
  beforeAll(async () => {
    relay = await startPythonRelay();
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('prints the same transcript as against the playground', async () => {
    await playSample('websocket', [['wss://demo.websocket.me', relay!.url]]);
    await playSample('websocket-tidy', [['wss://demo.websocket.me', relay!.url]]);
  });
});
