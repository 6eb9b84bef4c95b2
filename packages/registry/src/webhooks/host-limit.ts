/**
 * At most `perHost` deliveries in flight to one host from this process, so one slow receiver cannot
 * take every delivery slot and a burst of events does not hit one receiver with the whole pool.
 * (A dozen lines; a general semaphore library would add a dependency for less.)
 */
export type HostLimit = <T>(host: string, run: () => Promise<T>) => Promise<T>;

export function createHostLimit(perHost: number): HostLimit {
  const active = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  const release = (host: string) => {
    const next = waiting.get(host)?.shift();
    if (next) return next();
    const left = (active.get(host) ?? 1) - 1;
    if (left === 0) active.delete(host);
    else active.set(host, left);
    if (waiting.get(host)?.length === 0) waiting.delete(host);
  };
  return async (host, run) => {
    const n = active.get(host) ?? 0;
    if (n < perHost) active.set(host, n + 1);
    else await new Promise<void>((resolve) => (waiting.get(host) ?? waiting.set(host, []).get(host)!).push(resolve));
    try {
      return await run();
    } finally {
      release(host);
    }
  };
}
