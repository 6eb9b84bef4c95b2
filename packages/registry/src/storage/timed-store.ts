/**
 * A blob store that reports how long each operation took and whether it failed (for metrics), by
 * backend. A refusal of the caller's input (a RegistryError under 500, e.g. a tarball past the size
 * limit or a range past the end) is not a storage failure. `open` is timed until the blob can be read,
 * not until it has been sent.
 */
import { RegistryError } from '../../../core/src/errors.ts';
import type { BlobStore } from './blob-store.ts';

export type TimedOp = 'stage' | 'commit' | 'open' | 'remove' | 'exists' | 'ping' | 'download_url';
export type OnStorageOp = (backend: string, op: TimedOp, ms: number, failed: boolean) => void;

export function timedStore(store: BlobStore, onOp: OnStorageOp): BlobStore {
  const timed =
    <A extends unknown[], R>(op: TimedOp, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      try {
        const result = await fn(...args);
        onOp(store.kind, op, performance.now() - start, false);
        return result;
      } catch (error) {
        const refused = error instanceof RegistryError && error.status < 500;
        onOp(store.kind, op, performance.now() - start, !refused);
        throw error;
      }
    };
  return {
    kind: store.kind,
    list: () => store.list(),
    stage: timed('stage', (input, options) => store.stage(input, options)),
    commit: timed('commit', (staged) => store.commit(staged)),
    open: timed('open', (key, range) => store.open(key, range)),
    remove: timed('remove', (key) => store.remove(key)),
    exists: timed('exists', (key) => store.exists(key)),
    ping: timed('ping', () => store.ping()),
    downloadUrl: timed('download_url', (key, options) => store.downloadUrl(key, options)),
  };
}
