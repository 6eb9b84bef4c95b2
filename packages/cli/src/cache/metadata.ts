/**
 * Package metadata for the resolver: from the registry (keeping a copy of each document in the
 * cache), or, offline, from those copies only.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { httpSource } from '../resolver/http-source.ts';
import type { PackageSource } from '../../../core/src/resolver/source.ts';
import { userError } from '../errors.ts';
import { readBody, send } from '../transport.ts';

const MAX_METADATA_BYTES = 32 * 1024 * 1024;
import type { Store } from './store.ts';
import { writeFileAtomic } from '../../../core/src/files.ts';

const metadataDir = (store: Store, registry: string) =>
  join(store.root, 'metadata', createHash('sha256').update(registry).digest('hex').slice(0, 16));

const fileFor = (store: Store, registry: string, name: string) => join(metadataDir(store, registry), `${encodeURIComponent(name)}.json`);

/**
 * Reads `GET /packages/{name}` and keeps each successful answer for offline use. A kept document is
 * revalidated with its ETag: a 304 answers from the copy, without the registry sending it again.
 */
export function cachingSource(store: Store, registry: string, options: { headers: Record<string, string>; timeoutMs: number }): PackageSource {
  return httpSource({
    registry,
    headers: options.headers,
    async fetch(input, init) {
      const url = String(input);
      const headers = init?.headers as Record<string, string>;
      if (!new URL(url).pathname.startsWith('/api/v1/packages/')) return passThrough(await get(url, headers, options.timeoutMs));
      const path = fileFor(store, registry, decodeURIComponent(url.split('/').pop()!));
      const etag = await readFile(`${path}.etag`, 'utf8').catch(() => null);
      let answer = await get(url, etag ? { ...headers, 'if-none-match': etag } : headers, options.timeoutMs);
      if (answer.response.status === 304) {
        const kept = await readFile(path, 'utf8').catch(() => null);
        if (kept !== null) return new Response(kept, { status: 200, headers: answer.response.headers });
        // The copy went missing since: ask for the whole document.
        answer = await get(url, headers, options.timeoutMs);
      }
      if (answer.response.status !== 200) return passThrough(answer);
      const text = answer.bytes.toString('utf8');
      // The old ETag goes first: a crash between the two writes leaves a copy without one, never a
      // copy with the ETag of another version of the document.
      await rm(`${path}.etag`, { force: true });
      await writeFileAtomic(path, text);
      const fresh = answer.response.headers.get('etag');
      if (fresh) await writeFileAtomic(`${path}.etag`, fresh);
      return new Response(text, { status: 200, headers: answer.response.headers });
    },
  });
}

/** One GET through the client's transport (timeouts, retries, no token across origins), read in full. */
async function get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ response: Response; bytes: Buffer }> {
  const response = await send(url, { headers, timeoutMs });
  // Read here, bounded in time and size, so httpSource parses only what arrived in full.
  const bytes = await readBody(response, { idleMs: timeoutMs, maxBytes: MAX_METADATA_BYTES, what: `Metadata from ${new URL(url).origin}` });
  return { response, bytes };
}

function passThrough({ response, bytes }: { response: Response; bytes: Buffer }): Response {
  const empty = [204, 205, 304].includes(response.status) || bytes.length === 0;
  return new Response(empty ? null : new Uint8Array(bytes), { status: response.status, headers: response.headers });
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
