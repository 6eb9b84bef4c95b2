/**
 * Package metadata for the resolver: from the registry (keeping a copy of each document in the
 * cache), or, offline, from those copies only.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getWhole, httpSource } from '../resolver/http-source.ts';
import type { PackageSource } from '../../../core/src/resolver/source.ts';
import { userError } from '../errors.ts';
import type { Store } from './store.ts';
import { writeFileAtomic } from '../../../core/src/files.ts';

const metadataDir = (store: Store, registry: string) =>
  join(store.root, 'metadata', createHash('sha256').update(registry).digest('hex').slice(0, 16));

const fileFor = (store: Store, registry: string, name: string) => join(metadataDir(store, registry), `${encodeURIComponent(name)}.json`);

/**
 * Reads `GET /packages/{name}` and keeps each successful answer for offline use. A kept document is
 * revalidated with its ETag: a 304 answers from the copy, without the registry sending it again.
 */
export function cachingSource(
  store: Store,
  registry: string,
  options: { headers: Record<string, string>; timeoutMs: number },
): PackageSource {
  return httpSource({
    registry,
    headers: options.headers,
    async get(url, headers) {
      if (!new URL(url).pathname.startsWith('/api/v1/packages/')) return getWhole(url, headers, options.timeoutMs);
      const path = fileFor(store, registry, decodeURIComponent(url.split('/').pop()!));
      const etag = await readFile(`${path}.etag`, 'utf8').catch(() => null);
      let answer = await getWhole(url, etag ? { ...headers, 'if-none-match': etag } : headers, options.timeoutMs);
      if (answer.status === 304) {
        const kept = await readFile(path, 'utf8').catch(() => null);
        if (kept !== null) return { ...answer, status: 200, text: kept };
        // The copy went missing since: ask for the whole document.
        answer = await getWhole(url, headers, options.timeoutMs);
      }
      if (answer.status !== 200) return answer;
      // The old ETag goes first: a crash between the two writes leaves a copy without one, never a
      // copy with the ETag of another version of the document.
      await rm(`${path}.etag`, { force: true });
      await writeFileAtomic(path, answer.text);
      if (answer.etag) await writeFileAtomic(`${path}.etag`, answer.etag);
      return answer;
    },
  });
}

/** Resolves from cached documents only; a package never fetched is an error that names it. */
export function offlineSource(store: Store, registry: string): PackageSource {
  return httpSource({
    registry,
    async get(url) {
      const name = decodeURIComponent(url.split('/').pop()!);
      try {
        return { status: 200, contentType: 'application/json', etag: null, text: await readFile(fileFor(store, registry, name), 'utf8') };
      } catch {
        throw userError(
          'offline_missing',
          `--offline: no cached metadata for ${name} from ${registry}`,
          'Run the command once without --offline so the cache holds it.',
        );
      }
    },
  });
}

/** The cached copy of a package document, or null when none was kept (for --offline tag lookups). */
export async function cachedDocument(store: Store, registry: string, name: string): Promise<string | null> {
  return readFile(fileFor(store, registry, name), 'utf8').catch(() => null);
}
