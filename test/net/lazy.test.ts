import { describe, expect, it, vi } from 'vitest';

describe('start-up cost', () => {
  it('importing the net table and creating Net loads neither undici nor ws', async () => {
    const loaded: string[] = [];
    vi.doMock('undici', async (original) => {
      loaded.push('undici');
      return original();
    });
    vi.doMock('ws', async (original) => {
      loaded.push('ws');
      return original();
    });
    const { netTable } = await import('../../src/runtime/net/index.js');
    const { Net } = await import('../../src/runtime/net/net.js');
    const net = new Net({ connectTimeoutMs: 5 });
    expect(netTable.length).toBe(12);
    expect(net.options.connectTimeoutMs).toBe(5);
    expect(net.options.headersTimeoutMs).toBe(30_000);
    await net.close();
    expect(loaded).toEqual([]);
    // first use loads them
    const net2 = new Net();
    await net2.dispatcher();
    await net2.webSocketClass();
    expect(loaded.sort()).toEqual(['undici', 'ws']);
    await net2.close();
    vi.doUnmock('undici');
    vi.doUnmock('ws');
  });

  it('every entry has a name, a one-line doc, and unique names', async () => {
    const { netTable } = await import('../../src/runtime/net/index.js');
    const names = netTable.map((e) => e.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(netTable.map((e) => e.name)).toEqual([
      'Call Service',
      'WebSocket Open',
      'WebSocket Close',
      'WebSocket Send Message',
      'WebSocket Is Connected',
      'WebSocket Is Message',
      'WebSocket Message$',
      'WebSocket Is Error',
      'WebSocket Error$',
      'WebSocket On Message',
      'WebSocket On Close',
      'WebSocket On Error',
    ]);
    for (const e of netTable) {
      expect(e.doc).toMatch(/^[A-Z].*\.$/);
      expect(e.doc).not.toMatch(/\n/);
    }
  });
});
