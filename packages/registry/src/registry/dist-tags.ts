/**
 * Dist-tags: named pointers to versions (`latest`, `beta`, `next`). Owners set and remove them; each
 * change takes the package row lock, moves the package (so cached documents change), and is audited
 * in its own transaction. `latest` always exists and cannot be removed; see choose-latest.ts.
 */
import { badRequest, conflict, forbidden, notFound, RegistryError } from '../../../core/src/errors.ts';
import { parseDistTag, type DistTag } from '../../../core/src/names.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { PackageRow } from '../db/schema.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import { countDistTags, findDistTag, LATEST_TAG, readDistTags, upsertDistTag } from '../db/dist-tags.ts';
import type { Db } from '../db/users.ts';
import { refreshPackage } from './refresh-package.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './publisher.ts';

/** The most dist-tags one package may hold (an explicit `latest` counts). */
export const MAX_DIST_TAGS = 100;

export interface DistTagDeps {
  db: RegistryDatabase;
  now: () => Date;
}

/** A tag from a request; a malformed one is a 400 that says what a tag may be. */
export function distTagFrom(input: unknown): DistTag {
  const parsed = parseDistTag(input);
  if (!parsed.ok) throw badRequest('invalid_tag', `${parsed.message[0]!.toUpperCase()}${parsed.message.slice(1)}`);
  return parsed.value;
}

/**
 * On PostgreSQL, waits for the package row lock, so two changes of one package's tags (or a tag
 * change and a publish or delete) run one after the other and each reads what the other wrote.
 * NO KEY: versions' foreign keys hold KEY SHARE locks, which FOR UPDATE would deadlock against.
 */
export async function lockPackage(trx: Db, dialect: 'sqlite' | 'postgres', packageId: number): Promise<void> {
  if (dialect === 'postgres') await trx.selectFrom('packages').select('id').where('id', '=', packageId).forNoKeyUpdate().execute();
}

/** The package, if it is shown, the actor owns it and the token may change its tags; then locked. */
async function ownedPackage(trx: Db, deps: DistTagDeps, actor: Actor, name: string): Promise<PackageRow> {
  const pkg = await findPackage(trx, name);
  if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
  if (!(await isOwner(trx, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot change its dist-tags; ask one of its owners`);
  }
  if (!actor.allows('dist-tags', pkg.name)) {
    throw forbidden(
      'token_scope',
      `This API token may not change the dist-tags of ${pkg.name}: it needs the "dist-tags" scope for that package`,
    );
  }
  await lockPackage(trx, deps.db.dialect, pkg.id);
  return pkg;
}

/** A package's tags, `latest` included; a package that is not shown is not found. */
export async function listDistTags(db: Db, name: string): Promise<Record<string, string>> {
  const pkg = await findPackage(db, name);
  if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
  return readDistTags(db, pkg.id, pkg.latest_version);
}

/** The tags after a change, read inside its transaction. */
async function tagsNow(trx: Db, packageId: number): Promise<Record<string, string>> {
  const row = await trx.selectFrom('packages').select('latest_version').where('id', '=', packageId).executeTakeFirstOrThrow();
  return readDistTags(trx, packageId, row.latest_version);
}

/** Refuses a new tag past the limit; moving an existing tag is always allowed. */
export async function checkTagRoom(trx: Db, pkg: { id: number; name: string }): Promise<void> {
  if ((await countDistTags(trx, pkg.id)) >= MAX_DIST_TAGS) {
    throw conflict(
      'too_many_tags',
      `${pkg.name} already has ${MAX_DIST_TAGS} dist-tags, the most a package may have; remove one first (synapse pkg dist-tag rm ${pkg.name} TAG)`,
    );
  }
}

/** Points `tag` at a live, non-yanked version. Setting a tag to where it already points changes nothing. */
export async function setDistTag(
  deps: DistTagDeps,
  actor: Actor,
  change: { name: string; tag: DistTag; version: string },
): Promise<Record<string, string>> {
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await ownedPackage(trx, deps, actor, change.name);
    const row = await trx
      .selectFrom('versions')
      .select(['version', 'yanked_at'])
      .where('package_id', '=', pkg.id)
      .where('version', '=', change.version)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row)
      throw notFound(
        'version_not_found',
        `${pkg.name} has no version ${change.version}; tag one of its versions (synapse pkg versions ${pkg.name})`,
      );
    if (row.yanked_at !== null) {
      throw conflict(
        'version_yanked',
        `${pkg.name}@${row.version} is yanked, so no tag may point at it; unyank it first, or tag another version`,
      );
    }
    const existing = await findDistTag(trx, pkg.id, change.tag);
    if (existing?.version === row.version) return tagsNow(trx, pkg.id);
    if (!existing) await checkTagRoom(trx, pkg);
    const now = deps.now().toISOString();
    await upsertDistTag(trx, { packageId: pkg.id, tag: change.tag, version: row.version, at: now, by: actor.username });
    await refreshPackage(trx, deps.db.dialect, pkg.id, { now });
    await recordAudit(trx, {
      action: 'tag',
      actor,
      package: { id: pkg.id, name: pkg.name },
      version: row.version,
      details: { tag: change.tag, previous: existing?.version ?? null },
      at: now,
    });
    return tagsNow(trx, pkg.id);
  });
}

/** Removes a tag other than `latest`. */
export async function removeDistTag(
  deps: DistTagDeps,
  actor: Actor,
  change: { name: string; tag: DistTag },
): Promise<Record<string, string>> {
  if (change.tag === LATEST_TAG) {
    throw new RegistryError(
      400,
      'latest_tag_required',
      'Every package has a latest tag, so it cannot be removed; point it at another version instead (PUT .../dist-tags/latest, or synapse pkg dist-tag add NAME@VERSION latest)',
    );
  }
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await ownedPackage(trx, deps, actor, change.name);
    const existing = await findDistTag(trx, pkg.id, change.tag);
    if (!existing)
      throw notFound('tag_not_found', `${pkg.name} has no dist-tag ${change.tag}; list its tags with synapse pkg dist-tag ls ${pkg.name}`);
    const now = deps.now().toISOString();
    await trx.deleteFrom('dist_tags').where('package_id', '=', pkg.id).where('tag', '=', change.tag).execute();
    await refreshPackage(trx, deps.db.dialect, pkg.id, { now });
    await recordAudit(trx, {
      action: 'untag',
      actor,
      package: { id: pkg.id, name: pkg.name },
      version: existing.version,
      details: { tag: change.tag },
      at: now,
    });
    return tagsNow(trx, pkg.id);
  });
}
