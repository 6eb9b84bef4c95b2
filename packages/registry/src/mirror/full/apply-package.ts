/**
 * Makes one package here what the primary's document says, in one transaction: new versions (their
 * tarballs already verified and stored), with the primary's publish dates; yanks and deprecations as
 * they stand; versions gone from the primary deleted; dist-tags replaced. Applying the same document
 * twice changes nothing, so a page replayed after an interruption is harmless.
 */
import { notifyTarballsChanged } from '../../db/pg-invalidation.ts';
import { canonicalName } from '../../../../core/src/names.ts';
import type { RegistryDatabase } from '../../db/database.ts';
import { findPackage } from '../../db/packages.ts';
import { recordDependencies } from '../../db/version-dependencies.ts';
import type { Db } from '../../db/users.ts';
import { refreshPackage } from '../../registry/refresh-package.ts';
import type { UpstreamPackage, UpstreamVersionEntry } from '../documents.ts';

/** A version new here: its tarball stored, its metadata from the primary's version document. */
export interface MirroredVersion {
  version: string;
  checksum: string;
  integrity: string;
  size: number;
  dependencies: Record<string, string>;
  description: string | null;
  keywords: string[];
  publishedAt: string;
}

export interface ApplyInput {
  name: string;
  /** Null: the primary no longer shows the package (every version deleted). */
  doc: UpstreamPackage | null;
  added: MirroredVersion[];
  /** The account mirrored versions are recorded as published by. */
  publisherId: number;
  now: string;
}

export async function applyPackage(db: RegistryDatabase, input: ApplyInput): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const pkg = await findPackage(trx, input.name);
    if (!input.doc && !pkg) return;
    const packageId = pkg?.id ?? (await insertPackage(trx, input.doc!, input.now));
    const doc = input.doc;
    for (const v of input.added) await insertVersion(trx, { packageId, doc: doc!, publisherId: input.publisherId }, v);
    const listed = new Set(doc?.versions.map((v) => v.version) ?? []);
    for (const entry of doc?.versions ?? []) await applyLifecycle(trx, packageId, entry);
    const live = await trx
      .selectFrom('versions')
      .select(['id', 'version'])
      .where('package_id', '=', packageId)
      .where('deleted_at', 'is', null)
      .execute();
    const gone = live.filter((v) => !listed.has(v.version)).map((v) => v.id);
    if (gone.length > 0) {
      await trx.updateTable('versions').set({ deleted_at: input.now }).where('id', 'in', gone).execute();
      // Instances serving this mirror drop their cached lookups of those versions at commit.
      await notifyTarballsChanged(trx, db.dialect);
    }
    await replaceDistTags(trx, packageId, doc, input.now);
    await refreshPackage(trx, db.dialect, packageId, { now: input.now });
  });
}

async function insertPackage(trx: Db, doc: UpstreamPackage, now: string): Promise<number> {
  const row = await trx
    .insertInto('packages')
    .values({
      name: doc.name,
      canonical_name: canonicalName(doc.name),
      keywords: '[]',
      created_at: typeof doc.created_at === 'string' ? doc.created_at : now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

async function insertVersion(
  trx: Db,
  at: { packageId: number; doc: UpstreamPackage; publisherId: number },
  v: MirroredVersion,
): Promise<void> {
  const { packageId, doc } = at;
  const inserted = await trx
    .insertInto('versions')
    .values({
      package_id: packageId,
      version: v.version,
      checksum: v.checksum,
      integrity: v.integrity,
      size: v.size,
      dependencies: JSON.stringify(v.dependencies),
      keywords: JSON.stringify(v.keywords),
      description: v.description,
      author: text(doc.author),
      license: text(doc.license),
      homepage: text(doc.homepage),
      repository: text(doc.repository),
      published_by: at.publisherId,
      published_at: v.publishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordDependencies(trx, Number(inserted.id), v.dependencies);
}

interface Deprecation {
  reason: string;
  message: string | null;
  replacement: string | null;
  deprecated_at: string;
  deprecated_by: string | null;
}

async function applyLifecycle(trx: Db, packageId: number, entry: UpstreamVersionEntry): Promise<void> {
  const deprecation = (entry.deprecation ?? null) as Deprecation | null;
  await trx
    .updateTable('versions')
    .set({
      yanked_at: entry.yanked ? text(entry.yanked_at) : null,
      yank_reason: entry.yanked ? text(entry.yank_reason) : null,
      yanked_by: entry.yanked ? text(entry.yanked_by) : null,
      deprecation_reason: deprecation?.reason ?? null,
      deprecation_message: deprecation?.message ?? null,
      deprecation_replacement: deprecation?.replacement ?? null,
      deprecated_at: deprecation?.deprecated_at ?? null,
      deprecated_by: deprecation?.deprecated_by ?? null,
    })
    .where('package_id', '=', packageId)
    .where('version', '=', entry.version)
    .where('deleted_at', 'is', null)
    .execute();
}

async function replaceDistTags(trx: Db, packageId: number, doc: UpstreamPackage | null, now: string): Promise<void> {
  await trx.deleteFrom('dist_tags').where('package_id', '=', packageId).execute();
  const tags = Object.entries((doc?.dist_tags ?? {}) as Record<string, string>);
  const listed = new Set(doc?.versions.map((v) => v.version) ?? []);
  for (const [tag, version] of tags) {
    if (!listed.has(version)) continue;
    await trx.insertInto('dist_tags').values({ package_id: packageId, tag, version, updated_at: now, updated_by: 'mirror' }).execute();
  }
}
