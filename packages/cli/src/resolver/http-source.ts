import { RegistryError } from '../../../core/src/errors.ts';
import { readBody, send } from '../transport.ts';
import { parsePackageName, parseRange, parseVersion } from '../../../core/src/names.ts';
import { MAX_DEPENDENCIES_PER_VERSION, MAX_VERSIONS_PER_PACKAGE } from '../../../core/src/resolver/solver.ts';
import { closeNames, namesIn, similarNameQueries } from '../../../core/src/resolver/similar.ts';
import { parseDeprecation, parseVersionLifecycle } from '../../../core/src/resolver/lifecycle.ts';
import type { PackageInfo, PackageSource, PackageVersionInfo } from '../../../core/src/resolver/source.ts';

export interface HttpSourceOptions {
  /** Registry base URL, e.g. `https://registry.synapse.dev`. */
  registry: string;
  /** Extra request headers (an Authorization token for private packages). */
  headers?: Record<string, string>;
  /** How a document is fetched; defaults to a plain GET through the client's transport. */
  get?: Getter;
}

/** An answer read in full (the getter bounds its size and time), or a thrown error for no answer. */
export interface Fetched {
  status: number;
  contentType: string | null;
  etag: string | null;
  text: string;
}

export type Getter = (url: string, headers: Record<string, string>) => Promise<Fetched>;

// Far above any package document (thousands of versions); what the transport refuses past.
const MAX_METADATA_BYTES = 32 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/** One GET through the client's transport (timeouts, retries, no token across origins), read in full. */
export async function getWhole(url: string, headers: Record<string, string>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Fetched> {
  const answer = await send(url, { headers, timeoutMs });
  const bytes = await readBody(answer, { idleMs: timeoutMs, maxBytes: MAX_METADATA_BYTES, what: `Metadata from ${new URL(url).origin}` });
  return { status: answer.status, contentType: answer.header('content-type'), etag: answer.header('etag'), text: bytes.toString('utf8') };
}

interface VersionDocument {
  version?: unknown;
  yanked?: unknown;
  yank_reason?: unknown;
  deprecation?: unknown;
  advisories?: unknown;
  dependencies?: unknown;
  integrity?: unknown;
  tarball_url?: unknown;
}

/**
 * One version from the registry's answer, or null when it is unusable: metadata is untrusted, so
 * a bad version, a bad dependency name or range, or too many dependencies drop the whole version
 * (installing it without one of its dependencies would be worse than not offering it).
 */
function toVersion(doc: VersionDocument): PackageVersionInfo | null {
  if (typeof doc !== 'object' || doc === null || !parseVersion(doc.version).ok) return null;
  const dependencies: Record<string, string> = {};
  if (doc.dependencies !== undefined && doc.dependencies !== null) {
    if (typeof doc.dependencies !== 'object' || Array.isArray(doc.dependencies)) return null;
    const entries = Object.entries(doc.dependencies);
    if (entries.length > MAX_DEPENDENCIES_PER_VERSION) return null;
    for (const [name, range] of entries) {
      if (!parsePackageName(name).ok || !parseRange(range).ok) return null;
      dependencies[name] = range as string;
    }
  }
  return {
    version: doc.version as string,
    dependencies,
    yanked: doc.yanked === true,
    ...(typeof doc.tarball_url === 'string' ? { tarball: doc.tarball_url } : {}),
    ...(typeof doc.integrity === 'string' ? { integrity: doc.integrity } : {}),
    ...parseVersionLifecycle(doc),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isOk = (status: number) => status >= 200 && status < 300;

/**
 * Reads package metadata from a registry's `GET /api/v1/packages/{name}`. Each name is fetched
 * at most once for the life of the source (use one source per resolution, or per command); the
 * resolver asks for several names at once, so fetches overlap.
 *
 * @example
 * const source = httpSource({ registry: 'https://registry.synapse.dev' });
 * const { packages } = await resolve({ root: { dependencies: { http: '^2.0.0' } }, source });
 */
export function httpSource(options: HttpSourceOptions): PackageSource {
  const base = options.registry.replace(/\/+$/, '');
  const get = options.get ?? ((url, headers) => getWhole(url, headers));
  const headers = { accept: 'application/json', ...options.headers };
  const cache = new Map<string, Promise<PackageInfo | null>>();

  async function fetchPackage(name: string): Promise<PackageInfo | null> {
    const url = `${base}/api/v1/packages/${encodeURIComponent(name)}`;
    let answer: Fetched;
    try {
      answer = await get(url, headers);
    } catch (cause) {
      throw new RegistryError(503, 'registry_unreachable', `Could not reach ${base} for package ${name}`, { cause });
    }
    if (answer.status === 404) {
      // A registry says "no such package" in JSON (a problem document); an HTML page means the URL
      // is some other server, which must not read as "the package does not exist".
      if (!isJsonObject(parseJson(answer.text))) {
        const type = answer.contentType?.split(';')[0] || 'no content type';
        throw new RegistryError(
          400,
          'not_a_registry',
          `${base} does not look like a Synapse registry: GET ${url} answered 404 ${type}, not a problem document`,
        );
      }
      return null;
    }
    if (!isOk(answer.status)) {
      const detail = answer.text;
      throw new RegistryError(502, 'registry_error', `${url} answered ${answer.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`);
    }
    const parsed = parseJson(answer.text);
    const body = (isJsonObject(parsed) ? parsed : {}) as { name?: unknown; versions?: unknown; deprecation?: unknown };
    if (!Array.isArray(body.versions)) {
      throw new RegistryError(502, 'registry_error', `${url} returned metadata without a versions list`);
    }
    if (body.versions.length > MAX_VERSIONS_PER_PACKAGE) {
      throw new RegistryError(
        502,
        'registry_error',
        `${url} lists ${body.versions.length} versions; at most ${MAX_VERSIONS_PER_PACKAGE} are accepted`,
      );
    }
    const versions = (body.versions as VersionDocument[]).map(toVersion).filter((v) => v !== null);
    return { name: typeof body.name === 'string' ? body.name : name, versions, deprecation: parseDeprecation(body.deprecation) };
  }

  /** "Did you mean": names from the registry's search that are a few edits away; best-effort. */
  async function similarNames(name: string): Promise<readonly string[]> {
    const found = await Promise.all(
      similarNameQueries(name).map(async (query) => {
        try {
          const answer = await get(`${base}/api/v1${query}`, headers);
          return isOk(answer.status) ? namesIn(parseJson(answer.text)) : [];
        } catch {
          return [];
        }
      }),
    );
    return closeNames(
      name,
      found.flat().filter((n) => parsePackageName(n).ok),
    );
  }

  return {
    getPackage(name) {
      let pending = cache.get(name);
      if (!pending) cache.set(name, (pending = fetchPackage(name)));
      return pending;
    },
    similarNames,
  };
}
