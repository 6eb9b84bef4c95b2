/**
 * The package document (GET /packages/{name}) as the document cache keeps it: built once per
 * version stamp of its row, for one base URL. The route serves it; the start warms the most
 * downloaded ones (warm-documents.ts) with the same function, so a warmed body is the served body.
 */
import { liveVersions, packageOwners } from '../../../db/packages.ts';
import { readDistTags } from '../../../db/dist-tags.ts';
import type { PackageRow } from '../../../db/schema.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';
import type { AppDeps } from '../../deps.ts';
import { packageView } from '../../views/package.ts';
import { weakEtag } from '../../etag.ts';

/** What the document depends on in its row: publish, delete, metadata and advisory changes move updated_at; download flushes move downloads. */
export const packageStamp = (pkg: PackageRow) => `${pkg.updated_at}|${pkg.downloads}|${pkg.latest_version}|${pkg.locked_at}`;

/** The document's JSON, from the cache when it was built from this very row. */
export async function packageDocument(deps: AppDeps, base: string, pkg: PackageRow): Promise<string> {
  const key = `package:${base}:${pkg.id}`;
  const stamp = packageStamp(pkg);
  const cached = deps.documents.get(key, stamp);
  if (cached !== undefined) return cached;
  const [owners, versions, distTags] = await Promise.all([
    packageOwners(deps.db.kysely, pkg.id),
    liveVersions(deps.db.kysely, pkg.id),
    readDistTags(deps.db.kysely, pkg.id, pkg.latest_version),
  ]);
  const advisories = await advisorySummaries(
    deps,
    pkg.name,
    versions.map((v) => v.version),
  );
  const body = JSON.stringify(packageView(base, { pkg, owners, versions, distTags, advisories }));
  deps.documents.set(key, stamp, body);
  return body;
}

/**
 * The document's tag and JSON as last served from this very row object. A kept row (generation-rows.ts)
 * is the same object until any write, and the document depends only on it and the base URL, so a hot
 * package costs neither its stamp, nor the tag's memo lookup, nor the document cache's.
 */
const servedFrom = new WeakMap<PackageRow, { base: string; etag: string; body?: string; length?: number }>();

/** A document as kept for answering at once: its tag, its JSON and that JSON's length in bytes. */
export interface KeptAnswer {
  etag: string;
  body: string;
  length: number;
}

/** The weak ETag of the document for `pkg` at `base` (its stamp's hash). */
export function packageEtag(base: string, pkg: PackageRow): string {
  const served = servedFrom.get(pkg);
  if (served !== undefined && served.base === base) return served.etag;
  const etag = weakEtag(`${base}|${packageStamp(pkg)}`);
  servedFrom.set(pkg, { base, etag });
  return etag;
}

/** packageDocument, kept on the row object once built (after packageEtag, which every request asks first). */
export async function servedPackageDocument(deps: AppDeps, base: string, pkg: PackageRow): Promise<string> {
  const served = servedFrom.get(pkg);
  if (served?.body !== undefined && served.base === base) return served.body;
  const body = await packageDocument(deps, base, pkg);
  if (served !== undefined && served.base === base) {
    served.body = body;
    served.length = Buffer.byteLength(body);
  }
  return body;
}

/** The document servedPackageDocument kept on the row object for `base`, if it has one (after packageEtag). */
export function keptPackageDocument(base: string, pkg: PackageRow): KeptAnswer | undefined {
  const served = servedFrom.get(pkg);
  return served !== undefined && served.base === base && served.body !== undefined ? (served as KeptAnswer) : undefined;
}
