/**
 * What the warm-up (warm-requests.ts) asks for before the registry listens. For each package whose
 * document was built (the most downloaded, warm-documents.ts): its document, its latest version's, and
 * that version's tarball. Then the tarballs downloaded most over the last two days, within a quarter
 * of the blob cache: after a restart those are asked for again at once, and each would otherwise be
 * read from storage (a file, or a GET to S3) while the first clients wait behind it. Fetching a
 * tarball keeps its row and holds its bytes, as for a client, without counting a download.
 */
import { dayBefore } from '../db/package-popularity.ts';
import { recentlyDownloadedVersions } from '../db/recent-downloads.ts';
import { MAX_HELD_BLOB_BYTES } from '../storage/index.ts';
import { API_PREFIX } from './app.ts';
import type { AppDeps } from './deps.ts';
import type { WarmedPackage } from './warm-documents.ts';

/** Days of downloads that choose the tarballs (today and yesterday): what was asked for just before the restart. */
const RECENT_DAYS = 2;
const RECENT_TARBALLS = 2_000;

const versionPath = (name: string, version: string) => `${API_PREFIX}/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;

/**
 * Before every ROUTED_EVERY-th of them comes one answered by Fastify's routing rather than the front
 * path (one request in nine): clients and load balancers send such requests too from the first second
 * (health checks, absent packages), and the code both share (node:http's response, the socket's
 * writes) was deoptimised by the first of them when the warm-up had trained it on the front path's
 * answers alone (Node 24, --trace-deopt).
 */
const ROUTED_EVERY = 8;
const routed = [`${API_PREFIX}/health/live`, `${API_PREFIX}/packages/warm-up-absent`] as const;

/** The warm-up's paths: the warmed packages' first, then the recent downloads' tarballs; routed ones among them. */
export async function warmPaths(deps: AppDeps, warmed: readonly WarmedPackage[]): Promise<string[]> {
  return withRouted(await answeredPaths(deps, warmed));
}

function withRouted(paths: readonly string[]): string[] {
  const mixed: string[] = [];
  for (const [i, path] of paths.entries()) {
    if (i % ROUTED_EVERY === 0) mixed.push(routed[(i / ROUTED_EVERY) % routed.length]!);
    mixed.push(path);
  }
  return mixed;
}

async function answeredPaths(deps: AppDeps, warmed: readonly WarmedPackage[]): Promise<string[]> {
  const paths = new Set<string>();
  for (const { name, latestVersion } of warmed) {
    const version = versionPath(name, latestVersion);
    paths
      .add(`${API_PREFIX}/packages/${encodeURIComponent(name)}`)
      .add(version)
      .add(`${version}/tarball`);
  }
  const budget = deps.config.limits.blobCacheBytes / 4;
  if (budget <= 0) return [...paths];
  const since = dayBefore(deps.now(), RECENT_DAYS - 1);
  const recent = await recentlyDownloadedVersions(deps.db.kysely, { since, limit: RECENT_TARBALLS, maxSize: MAX_HELD_BLOB_BYTES });
  let bytes = 0;
  for (const { name, version, size } of recent) {
    bytes += size;
    if (bytes > budget) break;
    paths.add(`${versionPath(name, version)}/tarball`);
  }
  return [...paths];
}
