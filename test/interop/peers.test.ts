/**
 * The interop peers themselves (PHP café, Python relay) checked with plain HTTP / ws clients,
 * against the same contract as the playground. A peer whose program is missing is skipped with
 * a notice naming the Debian package to install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cafeContract, RelayClient, relayContract } from './contract.js';
import {
  hasPhp,
  hasPythonWebsockets,
  type Peer,
  PHP_PACKAGE,
  PHP_PROGRAM,
  PYTHON_PROGRAM,
  PYTHON_WEBSOCKETS_PACKAGE,
  startPhpCafe,
  startPythonRelay,
} from './peers.js';

const php = hasPhp();
const python = hasPythonWebsockets();

if (!php) {
  console.warn(
    `interop: skipping the PHP café peer: "${PHP_PROGRAM}" not found ` +
      `(install the Debian package ${PHP_PACKAGE}: apt-get install ${PHP_PACKAGE})`,
  );
}
if (!python) {
  console.warn(
    `interop: skipping the Python relay peer: "${PYTHON_PROGRAM}" cannot import websockets ` +
      `(install the Debian package ${PYTHON_WEBSOCKETS_PACKAGE}: apt-get install ${PYTHON_WEBSOCKETS_PACKAGE})`,
  );
}

describe.skipIf(!php)(`PHP café peer (php -S; Debian ${PHP_PACKAGE})`, () => {
  let peer: Peer;
  beforeAll(async () => {
    const started = await startPhpCafe();
    if (!started) throw new Error('php disappeared between the check and the start');
    peer = started;
  });
  afterAll(async () => {
    await peer?.close();
  });

  cafeContract(() => peer.url);

  it('close() stops the server', async () => {
    const extra = await startPhpCafe();
    expect(extra).not.toBeNull();
    const res = await fetch(`${extra!.url}/tutos/get_post/get.php?request=coffee`);
    expect(res.status).toBe(200);
    await res.text();
    await extra!.close();
    await expect(fetch(`${extra!.url}/tutos/get_post/get.php`)).rejects.toThrow();
  });
});

describe.skipIf(!python)(`Python websockets relay peer (Debian ${PYTHON_WEBSOCKETS_PACKAGE})`, () => {
  let peer: Peer;
  beforeAll(async () => {
    const started = await startPythonRelay();
    if (!started) throw new Error('python websockets disappeared between the check and the start');
    peer = started;
  });
  afterAll(async () => {
    await peer?.close();
  });

  relayContract(() => peer.url);

  it('close() stops the relay and its connections', async () => {
    const extra = await startPythonRelay();
    expect(extra).not.toBeNull();
    const c = await RelayClient.open(`${extra!.url}/v3/channel_1`);
    await extra!.close();
    expect(await c.whenClosed(3000)).toBe(true);
    await expect(RelayClient.open(`${extra!.url}/v3/channel_1`)).rejects.toThrow();
  });
});
