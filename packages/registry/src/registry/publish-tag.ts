/**
 * What a publish does to dist-tags, in its transaction, after the version row is written and before
 * refreshPackage recomputes `latest`:
 * - with `?tag=X` (X other than latest): X points at the new version, and `latest` stays where it was
 *   (npm's `publish --tag`). If the new version would otherwise become latest, `latest` is pinned to
 *   its current version with an explicit tag.
 * - with `?tag=latest`: the new version is latest, pre-release or not.
 * - without a tag: the automatic rule applies (a pre-release never becomes latest while a release
 *   exists); if `latest` is pinned and the new version is a higher release, the pin moves to it.
 */
import semver from 'semver';
import { isPrerelease, type DistTag } from '../../../core/src/names.ts';
import { explicitLatest, findDistTag, LATEST_TAG, upsertDistTag } from '../db/dist-tags.ts';
import { liveVersions } from '../db/packages.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import { chooseLatest } from './choose-latest.ts';
import { checkTagRoom, lockPackage } from './dist-tags.ts';
import type { Actor } from './publisher.ts';

export interface PublishTagChange {
  dialect: 'sqlite' | 'postgres';
  package: { id: number; name: string };
  version: string;
  tag: DistTag | undefined;
  actor: Actor;
  now: string;
}

export async function applyPublishTag(trx: Db, change: PublishTagChange): Promise<void> {
  await lockPackage(trx, change.dialect, change.package.id);
  const pinned = await explicitLatest(trx, change.package.id);
  if (change.tag === undefined) {
    if (pinned !== null && !isPrerelease(change.version) && semver.gt(change.version, pinned)) {
      await setTag(trx, change, LATEST_TAG, change.version, pinned);
    }
    return;
  }
  if (change.tag !== LATEST_TAG && pinned === null) await keepLatest(trx, change);
  const existing = await findDistTag(trx, change.package.id, change.tag);
  if (!existing) await checkTagRoom(trx, change.package);
  await setTag(trx, change, change.tag, change.version, existing?.version ?? null);
}

/** Pins `latest` to its current version when the new version would otherwise take it. */
async function keepLatest(trx: Db, change: PublishTagChange): Promise<void> {
  const row = await trx.selectFrom('packages').select('latest_version').where('id', '=', change.package.id).executeTakeFirstOrThrow();
  const current = row.latest_version;
  // A package with no live version yet takes the new one as latest: every shown package has one.
  if (current === null) return;
  const next = chooseLatest(await liveVersions(trx, change.package.id), null);
  if (next !== current) await setTag(trx, change, LATEST_TAG, current, null);
}

async function setTag(trx: Db, change: PublishTagChange, tag: string, version: string, previous: string | null): Promise<void> {
  await upsertDistTag(trx, { packageId: change.package.id, tag, version, at: change.now, by: change.actor.username });
  await recordAudit(trx, {
    action: 'tag',
    actor: change.actor,
    package: change.package,
    version,
    details: { tag, previous, via: 'publish' },
    at: change.now,
  });
}
