/**
 * Package metadata for the resolver: from the registry (keeping a copy of each document in the
 * cache), or, offline, from those copies only.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpSource } from '../../resolver/http-source.ts';
import type { PackageSource } from '../../resolver/source.ts';
import { userError } from '../errors.ts';
import { readBody, send } from '../transport.ts';

const MAX_METADATA_BYTES = 32 * 1024 * 1024;
import type { Store } from './store.ts';
import { writeFileAtomic } from '../../files.ts';

const metadataDir = (store: Store, registry: string) =>
  join(store.root, 'metadata', createHash('sha256').update(registry).digest('hex').slice(0, 16));

const fileFor = (store: Store, registry: string, name: string) => join(metadataDir(store, registry), `${encodeURIComponent(name)}.json`);

/** Reads `GET /packages/{name}` and keeps each successful answer for offline use. */
export function cachingSource(store: Store, registry: string, options: { headers: Record<string, string>; timeoutMs: number }): PackageSource {
  return httpSource({
    registry,
    headers: options.headers,
    async fetch(input, init) {
      // Metadata reads go through the client's transport: timeouts, retries, no token across origins.
      const response = await send(String(input), { headers: init?.headers as Record<string, string>, timeoutMs: options.timeoutMs });
      // Read here, bounded in time and size, so httpSource parses only what arrived in full.
      const bytes = await readBody(response, { idleMs: options.timeoutMs, maxBytes: MAX_METADATA_BYTES, what: `Metadata from ${registry}` });
      if (response.status !== 200 || !new URL(String(input)).pathname.startsWith('/api/v1/packages/')) {
        const empty = [204, 205, 304].includes(response.status) || bytes.length === 0;
        return new Response(empty ? null : new Uint8Array(bytes), { status: response.status, headers: response.headers });
      }
      const text = bytes.toString('utf8');
      const name = decodeURIComponent(String(input).split('/').pop()!);
      const path = fileFor(store, registry, name);
      await writeFileAtomic(path, text);
      return new Response(text, { status: 200, headers: response.headers });
    },
  });
}

/** Resolves from cached documents only; a package never fetched is an error that names it. */
export function offlineSource(store: Store, registry: string): PackageSource {
  return httpSource({
    registry,
    async fetch(input) {
      const name = decodeURIComponent(String(input).split('/').pop()!);
      try {
        return new Response(await readFile(fileFor(store, registry, name)), { status: 200 });
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
