import { notifyTarballsChanged } from '../db/pg-invalidation.ts';
import { forgetSearches } from './search-cache.ts';
import { conflict, forbidden, notFound } from '../../../core/src/errors.ts';
import type { DeletionConfig } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { BlobStore } from '../storage/index.ts';
import { blobReferenced, findPackage, isOwner } from '../db/packages.ts';
import { refreshPackage } from './refresh-package.ts';
import { recordAudit } from './audit.ts';
import { deleteVerdict } from './delete-policy.ts';
import type { Actor } from './publisher.ts';

export interface DeleteDeps {
  db: RegistryDatabase;
  store: BlobStore;
  config: { deletion: DeletionConfig };
  now: () => Date;
}

/**
 * Deletes a version: its row stays (marked deleted) so the number is never reused, and its blob goes
 * once the database no longer refers to it. Owners are held to the deletion policy (delete-policy.ts);
 * an admin may always delete, owner or not.
 */
export async function deleteVersion(deps: DeleteDeps, actor: Actor, name: string, version: string): Promise<void> {
  const checksum = await deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await findPackage(trx, name);
    if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
    const row = await trx
      .selectFrom('versions')
      .select(['id', 'checksum', 'published_at'])
      .where('package_id', '=', pkg.id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('version_not_found', `${pkg.name} has no version ${version}`);
    if (!actor.isAdmin && !(await isOwner(trx, pkg.id, actor.userId))) {
      throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot delete its versions`);
    }
    if (!actor.allows('delete', pkg.name)) {
      throw forbidden('token_scope', `This API token may not delete versions of ${pkg.name}: it needs the "delete" scope`);
    }
    const nowDate = deps.now();
    if (!actor.isAdmin) {
      const subject = { packageId: pkg.id, name: pkg.name, versionId: row.id, version, publishedAt: row.published_at };
      const verdict = await deleteVerdict(trx, deps.config.deletion, nowDate, subject);
      if (verdict.refusal) throw conflict(verdict.refusal, verdict.detail ?? `${pkg.name}@${version} cannot be deleted now`);
    }
    const now = nowDate.toISOString();
    await trx.updateTable('versions').set({ deleted_at: now }).where('id', '=', row.id).execute();
    // Other instances drop their cached lookup of it when this commits.
    await notifyTarballsChanged(trx, deps.db.dialect);
    await refreshPackage(trx, deps.db.dialect, pkg.id, { now });
    const details = actor.isAdmin ? { as_admin: true } : undefined;
    await recordAudit(trx, { action: 'delete', actor, package: { id: pkg.id, name: pkg.name }, version, details, at: now });
    return row.checksum;
  });
  forgetSearches(deps.db);
  if (!(await blobReferenced(deps.db.kysely, checksum))) await deps.store.remove(checksum);
}
