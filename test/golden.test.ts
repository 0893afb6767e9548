/**
 * Every sample with a transcript is a test: samples/<family>/NAME.aoz + NAME.expect.
 * `npm run golden:update` rewrites the transcripts from what the programs print now (review the
 * diff before committing it).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from '../src/playground/server.js';
import { playTranscript } from './golden/run.js';
import { formatTranscript, parseTranscript } from './golden/transcript.js';

const ROOT = join(import.meta.dirname, '..');
const UPDATE = process.env.GOLDEN_UPDATE === '1';

function samples(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return samples(p);
    return e.name.endsWith('.aoz') ? [p] : [];
  });
}

const all = samples(join(ROOT, 'samples')).filter((p) => {
  try {
    readFileSync(p.replace(/\.aoz$/, '.expect'));
    return true;
  } catch {
    return false;
  }
});

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground({ port: 0 });
});
afterAll(async () => {
  await playground.close();
});

/**
 * SHA-256 of the two code blocks of the documentation chapter (shared/seed/
 * exchanges-between-machines.md), artefacts included: the samples must stay byte for byte as printed.
 */
const CHAPTER = {
  'samples/doc/call-service.aoz': '01eb67173171d7964be0a33adb8d41adbc4af72a89500850f12930bc012bdd47',
  'samples/doc/websocket.aoz': '6253eda2efa769ef080378d14cb5099bc3e5223991924ef677e37fdb7f036167',
};

describe('the chapter programs', () => {
  for (const [file, sha] of Object.entries(CHAPTER)) {
    it(`${file} is the program as printed`, () => {
      expect(
        createHash('sha256')
          .update(readFileSync(join(ROOT, file)))
          .digest('hex'),
      ).toBe(sha);
    });
  }
});

describe('golden samples', () => {
  it('finds the samples', () => {
    expect(all.length).toBeGreaterThan(0);
  });

  for (const aoz of all) {
    const name = relative(ROOT, aoz);
    it(name, async () => {
      const expectPath = aoz.replace(/\.aoz$/, '.expect');
      const t = parseTranscript(readFileSync(expectPath, 'utf8'));
      const r = await playTranscript(t, {
        file: name,
        source: readFileSync(aoz, 'utf8'),
        maps: playground.maps,
        update: UPDATE,
      });
      if (UPDATE) {
        const stderr = r.stderr.split('\n');
        if (stderr[stderr.length - 1] === '') stderr.pop();
        writeFileSync(expectPath, formatTranscript({ ...t, steps: r.steps, stderr, exit: r.exit }));
        return;
      }
      const expectedOut = t.steps.flatMap((s) => (s.kind === 'output' ? [s.text] : [])).join('');
      expect(r.stdout).toBe(expectedOut);
      expect(r.problem ?? 'ok').toBe('ok');
      expect(r.stderr).toBe(t.stderr.map((l) => `${l}\n`).join(''));
      expect(r.exit).toBe(t.exit);
    });
  }
});
