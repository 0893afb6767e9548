/**
 * The bounded request queue (DESIGN §7): per origin, at most `limit` requests are handed to undici
 * at once (the connection cap plus `maxQueuedRequests` waiting in undici's pool). A Call Service
 * beyond that waits for a slot — the statement suspends, asynchronous ones included — instead of
 * queueing without bound or failing. Slots are granted in request order.
 */

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly granted: (release: Release) => void;
}

export class OriginSlots {
  private readonly inUse = new Map<string, number>();
  private readonly waiting = new Map<string, Set<Waiter>>();

  constructor(readonly limit: number) {}

  /** Requests of `origin` holding a slot. */
  inFlight(origin: string): number {
    return this.inUse.get(origin) ?? 0;
  }

  /** A slot now, or undefined when the origin's slots are all taken (or others wait before us). */
  tryAcquire(origin: string): Release | undefined {
    if (this.inFlight(origin) >= Math.max(1, this.limit) || (this.waiting.get(origin)?.size ?? 0) > 0) {
      return undefined;
    }
    return this.take(origin);
  }

  /** Wait for a slot: `granted` runs once with it (never after `clear()`); returns the cancel function. */
  wait(origin: string, granted: (release: Release) => void): () => void {
    const waiter: Waiter = { granted };
    let set = this.waiting.get(origin);
    if (!set) {
      set = new Set();
      this.waiting.set(origin, set);
    }
    set.add(waiter);
    return () => {
      const s = this.waiting.get(origin);
      if (!s?.delete(waiter)) return;
      if (s.size === 0) this.waiting.delete(origin);
    };
  }

  /** Forget every waiter (the session is closing). Slots still held are released by their owners. */
  clear(): void {
    this.waiting.clear();
  }

  private take(origin: string): Release {
    this.inUse.set(origin, this.inFlight(origin) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = this.inFlight(origin) - 1;
      if (n > 0) this.inUse.set(origin, n);
      else this.inUse.delete(origin);
      this.grantNext(origin);
    };
  }

  private grantNext(origin: string): void {
    const set = this.waiting.get(origin);
    if (!set || this.inFlight(origin) >= Math.max(1, this.limit)) return;
    const first = set.values().next();
    if (first.done) return;
    set.delete(first.value);
    if (set.size === 0) this.waiting.delete(origin);
    first.value.granted(this.take(origin));
  }
}
