/**
 * The contracts shared by the playground (src/playground/server.ts) and the interop peers
 * (PHP café, Python relay): the same assertions run against each server. Call these inside a
 * `describe` block; they register `it` cases.
 */
import { afterEach, expect, it } from 'vitest';
import { type RawData, WebSocket } from 'ws';
import { CAFE_MENU } from '../../src/playground/server.js';

export const CAFE_PATH = '/tutos/get_post/get.php';
const ITEMS = ['coffee', 'chocolate', 'croissant'] as const;
const WAIT_MS = 5000;

async function text(res: Response): Promise<string> {
  return await res.text();
}

function expectOneLine(body: string): void {
  expect(body.length).toBeGreaterThan(0);
  expect(body).not.toMatch(/[\r\n]/);
}

function expectNotOnMenu(res: Response, body: string, item: string | null): void {
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type') ?? '').toMatch(/^text\/plain/);
  expectOneLine(body);
  expect(body).toContain('not on the menu');
  if (item !== null) expect(body).toContain(item);
}

/** The café of the chapter's first program; `base()` is e.g. `http://127.0.0.1:PORT`. */
export function cafeContract(base: () => string): void {
  const cafe = (query = '') => `${base()}${CAFE_PATH}${query === '' ? '' : `?${query}`}`;
  const post = (body: string, query = '') =>
    fetch(cafe(query), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('serves each known item by GET with one friendly line', async () => {
    for (const item of ITEMS) {
      const res = await fetch(cafe(`request=${item}`));
      const body = await text(res);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;\s*charset=utf-8$/i);
      expectOneLine(body);
      expect(body).toBe(CAFE_MENU[item]);
      expect(body.toLowerCase()).toContain(item);
    }
  });

  it('compares case-insensitively after trimming', async () => {
    for (const [query, item] of [
      ['request=%20CoFFee%20', 'coffee'],
      ['request=CHOCOLATE', 'chocolate'],
      ['request=%09Croissant%0A', 'croissant'],
      ['request=+coffee+', 'coffee'],
    ] as const) {
      const res = await fetch(cafe(query));
      expect(res.status, query).toBe(200);
      expect(await text(res)).toBe(CAFE_MENU[item]);
    }
  });

  it('answers 404 naming an unknown item', async () => {
    const res = await fetch(cafe('request=tea'));
    expectNotOnMenu(res, await text(res), 'tea');
    const res2 = await fetch(cafe(`request=${encodeURIComponent('  Green Tea ')}`));
    expectNotOnMenu(res2, await text(res2), 'Green Tea');
  });

  it('answers 404 when the request is missing or empty', async () => {
    for (const query of ['', 'request=', 'request=%20%20', 'other=coffee']) {
      const res = await fetch(cafe(query));
      expectNotOnMenu(res, await text(res), null);
    }
  });

  it('keeps the 404 sentence on one line whatever the item holds', async () => {
    const res = await fetch(cafe(`request=${encodeURIComponent('tea\r\nX-Injected: 1')}`));
    const body = await text(res);
    expectNotOnMenu(res, body, 'tea');
    expect(res.headers.get('x-injected')).toBeNull();
  });

  it('serves by POST from a form body', async () => {
    const res = await post('request=croissant');
    expect(res.status).toBe(200);
    expect(await text(res)).toBe(CAFE_MENU['croissant']);
    const res2 = await post('request=%20Chocolate%20&other=1');
    expect(res2.status).toBe(200);
    expect(await text(res2)).toBe(CAFE_MENU['chocolate']);
  });

  it('answers 404 by POST for an unknown or missing item', async () => {
    const res = await post('request=pizza');
    expectNotOnMenu(res, await text(res), 'pizza');
    const res2 = await post('');
    expectNotOnMenu(res2, await text(res2), null);
  });

  it('accepts the query on POST; the body wins over the query', async () => {
    const res = await post('', 'request=coffee');
    expect(res.status).toBe(200);
    expect(await text(res)).toBe(CAFE_MENU['coffee']);
    const res2 = await post('request=croissant', 'request=tea');
    expect(res2.status).toBe(200);
    expect(await text(res2)).toBe(CAFE_MENU['croissant']);
  });

  it('answers 405 to other methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(cafe('request=coffee'), { method });
      await res.arrayBuffer();
      expect(res.status, method).toBe(405);
    }
  });
}

// ------------------------------------------------------------------ WebSocket relay

export interface Received {
  data: string | Buffer;
  binary: boolean;
}

/** A test client that records every message it receives. */
export class RelayClient {
  readonly inbox: Received[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, binary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.inbox.push({ data: binary ? buf : buf.toString('utf8'), binary });
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
    ws.on('error', () => {});
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  static open(url: string): Promise<RelayClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new RelayClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => {
        reject(new Error(`unexpected response ${res.statusCode}`));
        req.destroy();
      });
    });
  }

  /** The text messages received so far. */
  texts(): string[] {
    return this.inbox.map((m) => (typeof m.data === 'string' ? m.data : `<binary ${m.data.length}>`));
  }

  /** Waits until at least `count` messages arrived. */
  async waitFor(count: number, timeoutMs = WAIT_MS): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length < count) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`expected ${count} message(s), got ${JSON.stringify(this.texts())}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.inbox;
  }

  send(data: string | Buffer): void {
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
    }
  }

  /** Resolves when the connection is closed (by either side). */
  whenClosed(timeoutMs = WAIT_MS): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}

/** The HTTP status answered to a WebSocket handshake (101 when it succeeded). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    ws.on('error', (err) => reject(err));
  });
}

/** The relay of the chapter's second program; `base()` is e.g. `ws://127.0.0.1:PORT`. */
export function relayContract(base: () => string): void {
  const clients: RelayClient[] = [];
  const open = async (path: string) => {
    const c = await RelayClient.open(`${base()}${path}`);
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('relays to the other clients of the channel, not back to a sender without notify_self', async () => {
    const a = await open('/v3/channel_1?api_key=demo-key');
    const b = await open('/v3/channel_1?api_key=demo-key');
    a.send('HELLO');
    expect((await b.waitFor(1)).map((m) => m.data)).toEqual(['HELLO']);
    expect(b.inbox[0]!.binary).toBe(false);
    // B answers; the relay keeps each connection's order, so had A been sent its own HELLO,
    // it would arrive before this reply.
    b.send('reply from b');
    await a.waitFor(1);
    expect(a.texts()).toEqual(['reply from b']);
    expect(b.texts()).toEqual(['HELLO']);
  });

  it('sends the message back to a sender with notify_self (the chapter’s URL form)', async () => {
    const a = await open('/v3/channel_1?api_key=oCdCMcMPQpbv&notify_self');
    const b = await open('/v3/channel_1');
    a.send('HELLO');
    await a.waitFor(1);
    await b.waitFor(1);
    expect(a.texts()).toEqual(['HELLO']);
    expect(b.texts()).toEqual(['HELLO']);
  });

  it('accepts notify_self with a value and anywhere in the query', async () => {
    const a = await open('/v3/notify-value?notify_self=1&api_key=x');
    a.send('one');
    await a.waitFor(1);
    expect(a.texts()).toEqual(['one']);
  });

  it('keeps channels independent', async () => {
    const a = await open('/v3/channel_1');
    const b = await open('/v3/channel_1');
    const c = await open('/v3/channel_2?notify_self');
    a.send('for channel 1');
    await b.waitFor(1);
    c.send('for channel 2');
    await c.waitFor(1);
    expect(c.texts()).toEqual(['for channel 2']);
    b.send('ack');
    await a.waitFor(1);
    expect(a.texts()).toEqual(['ack']);
    expect(b.texts()).toEqual(['for channel 1']);
  });

  it('relays binary messages as binary, unchanged', async () => {
    const a = await open('/v3/binary');
    const b = await open('/v3/binary');
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    a.send(bytes);
    const [m] = await b.waitFor(1);
    expect(m!.binary).toBe(true);
    expect(Buffer.compare(m!.data as Buffer, bytes)).toBe(0);
  });

  it('relays messages in order', async () => {
    const a = await open('/v3/ordered');
    const b = await open('/v3/ordered');
    const sent = Array.from({ length: 50 }, (_, i) => `message ${i}`);
    for (const s of sent) a.send(s);
    await b.waitFor(sent.length);
    expect(b.texts()).toEqual(sent);
  });

  it('carries on when a client vanishes', async () => {
    const a = await open('/v3/vanish');
    const b = await open('/v3/vanish');
    const gone = await open('/v3/vanish');
    gone.ws.terminate(); // drops the TCP connection without a closing handshake
    a.send('still there?');
    await b.waitFor(1);
    b.send('yes');
    await a.waitFor(1);
    expect(a.texts()).toEqual(['yes']);
    const late = await open('/v3/vanish');
    a.send('and a newcomer');
    await late.waitFor(1);
    expect(late.texts()).toEqual(['and a newcomer']);
  });

  it('refuses WebSocket handshakes outside /v3/<channel> with 404', async () => {
    expect(await upgradeStatus(`${base()}/`)).toBe(404);
    expect(await upgradeStatus(`${base()}/chat/channel_1`)).toBe(404);
    expect(await upgradeStatus(`${base()}/v3/`)).toBe(404);
    expect(await upgradeStatus(`${base()}/v3`)).toBe(404);
    expect(await upgradeStatus(`${base()}/v3/channel_1`)).toBe(101);
  });
}
