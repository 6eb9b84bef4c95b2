import { RegistryError } from '../errors.ts';
import type { PackageInfo, PackageSource, PackageVersionInfo } from './source.ts';

export interface HttpSourceOptions {
  /** Registry base URL, e.g. `https://registry.synapse.dev`. */
  registry: string;
  /** Extra request headers (an Authorization token for private packages). */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

interface VersionDocument {
  version?: unknown;
  yanked?: unknown;
  dependencies?: unknown;
  integrity?: unknown;
  tarball_url?: unknown;
}

function toVersion(doc: VersionDocument): PackageVersionInfo | null {
  if (typeof doc.version !== 'string') return null;
  const dependencies: Record<string, string> = {};
  if (doc.dependencies && typeof doc.dependencies === 'object') {
    for (const [name, range] of Object.entries(doc.dependencies)) if (typeof range === 'string') dependencies[name] = range;
  }
  return {
    version: doc.version,
    dependencies,
    yanked: doc.yanked === true,
    ...(typeof doc.tarball_url === 'string' ? { tarball: doc.tarball_url } : {}),
    ...(typeof doc.integrity === 'string' ? { integrity: doc.integrity } : {}),
  };
}

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
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, Promise<PackageInfo | null>>();

  async function fetchPackage(name: string): Promise<PackageInfo | null> {
    const url = `${base}/api/v1/packages/${encodeURIComponent(name)}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json', ...options.headers } });
    } catch (cause) {
      throw new RegistryError(503, 'registry_unreachable', `Could not reach ${base} for package ${name}`, { cause });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      throw new RegistryError(502, 'registry_error', `${url} answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`);
    }
    const body = (await response.json()) as { name?: unknown; versions?: unknown };
    if (!Array.isArray(body.versions)) {
      throw new RegistryError(502, 'registry_error', `${url} returned metadata without a versions list`);
    }
    const versions = (body.versions as VersionDocument[]).map(toVersion).filter((v) => v !== null);
    return { name: typeof body.name === 'string' ? body.name : name, versions };
  }

  return {
    getPackage(name) {
      let pending = cache.get(name);
      if (!pending) cache.set(name, (pending = fetchPackage(name)));
      return pending;
    },
  };
}
