/**
 * One piece of work per key at a time: callers asking for a key already in flight share its promise,
 * so twenty requests for the same missing package make one upstream request.
 *
 * @example
 * const once = createCoalescer();
 * const doc = await once.run(`package:${name}`, () => fetchFromUpstream(name));
 */
export interface Coalescer {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys in flight now (bounded by the requests in flight). */
  readonly size: number;
}

export function createCoalescer(): Coalescer {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = inFlight.get(key);
      if (running !== undefined) return running as Promise<T>;
      const started = work().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
