/**
 * One package from the primary: its current document, the versions this mirror lacks (version
 * document and verified tarball each), then everything applied in one transaction.
 */
import type { RegistryDatabase } from '../../db/database.ts';
import type { BlobStore } from '../../storage/index.ts';
import { canonicalName } from '../../../../core/src/names.ts';
import { asPackage, asVersion, type UpstreamPackage } from '../documents.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import { downloadVerified } from '../tarball-fetch.ts';
import type { UpstreamClient } from '../upstream-client.ts';
import { applyPackage, type MirroredVersion } from './apply-package.ts';

export interface MirrorPackageDeps {
  db: RegistryDatabase;
  store: BlobStore;
  client: UpstreamClient;
  maxTarballBytes: number;
  publisherId: number;
  now: () => Date;
}

/** What one package cost: versions added and tarball bytes downloaded. */
export interface PackageOutcome {
  versions: number;
  bytes: number;
}

export async function mirrorPackage(deps: MirrorPackageDeps, name: string): Promise<PackageOutcome> {
  const answer = await deps.client.getJson(`/packages/${encodeURIComponent(name)}`);
  const doc = answer === null ? null : asPackage(answer, name);
  if (answer !== null && !doc) throw badAnswer(deps, `/packages/${name}`);
  const known = await knownVersions(deps.db, name);
  const added: MirroredVersion[] = [];
  let bytes = 0;
  // One version at a time within a package; packages themselves run side by side (sync.ts).
  for (const entry of doc?.versions.filter((v) => !known.has(v.version)) ?? []) {
    const mirrored = await fetchVersion(deps, doc!, entry.version);
    added.push(mirrored);
    bytes += mirrored.size;
  }
  await applyPackage(deps.db, { name, doc, added, publisherId: deps.publisherId, now: deps.now().toISOString() });
  return { versions: added.length, bytes };
}

async function knownVersions(db: RegistryDatabase, name: string): Promise<Set<string>> {
  const rows = await db.kysely
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select('versions.version')
    .where('packages.canonical_name', '=', canonicalName(name))
    .execute();
  return new Set(rows.map((r) => r.version));
}

async function fetchVersion(deps: MirrorPackageDeps, doc: UpstreamPackage, version: string): Promise<MirroredVersion> {
  const path = `/packages/${encodeURIComponent(doc.name)}/${encodeURIComponent(version)}`;
  const vdoc = asVersion(await deps.client.getJson(path), doc.name, version);
  if (!vdoc) throw badAnswer(deps, path);
  const stored = await downloadVerified(
    { store: deps.store, client: deps.client, maxBytes: deps.maxTarballBytes },
    { name: doc.name, version, integrity: vdoc.integrity, checksum: vdoc.checksum },
  );
  if (!stored) throw badAnswer(deps, `${path}/tarball`);
  return {
    version,
    ...stored,
    dependencies: (vdoc.dependencies ?? {}) as Record<string, string>,
    description: typeof vdoc.description === 'string' ? vdoc.description : null,
    keywords: Array.isArray(vdoc.keywords) ? (vdoc.keywords as string[]) : [],
    publishedAt: String(vdoc.published_at),
  };
}

const badAnswer = (deps: MirrorPackageDeps, path: string) =>
  new UpstreamUnavailableError(
    deps.client.baseUrl,
    'bad_answer',
    `the primary's answer to GET ${path} is missing or not the document asked for`,
  );
