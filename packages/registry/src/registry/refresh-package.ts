import { chooseLatest } from './choose-latest.ts';
import { explicitLatest, pruneDistTags } from '../db/dist-tags.ts';
import { liveVersions } from '../db/packages.ts';
import { indexPackage, unindexPackage } from '../db/search-index.ts';
import type { Db } from '../db/users.ts';
import { nextStamp } from './package-stamp.ts';

/**
 * Recomputes `latest`, and the package's metadata and search entry from the version that is latest
 * (after a publish of an older version they stay; after the latest is deleted they come from the
 * next). Called after every publish and delete, inside their transaction. Tags naming a version
 * that is no longer live are removed here, so a deletion takes its tags with it.
 */
export async function refreshPackage(trx: Db, dialect: 'sqlite' | 'postgres', packageId: number, change: { now: string }): Promise<void> {
  if (dialect === 'postgres') {
    // Concurrent publishes (or deletes) of one package would each compute `latest` from a snapshot
    // without the others' versions, and the last to commit would win. Holding the row lock first
    // makes the read below see every version committed before ours. NO KEY: the versions' foreign
    // keys hold KEY SHARE locks on this row, which FOR UPDATE would deadlock against.
    await trx.selectFrom('packages').select('id').where('id', '=', packageId).forNoKeyUpdate().execute();
  }
  const versions = await liveVersions(trx, packageId);
  await pruneDistTags(trx, packageId);
  const latest = chooseLatest(versions, await explicitLatest(trx, packageId));
  const update: Record<string, unknown> = { latest_version: latest, updated_at: await nextStamp(trx, packageId, change.now) };
  const row = versions.find((v) => v.version === latest);
  if (row) {
    const { description, keywords, author, license, homepage, repository } = row;
    Object.assign(update, { description, keywords, author, license, homepage, repository });
  }
  const pkg = await trx.updateTable('packages').set(update).where('id', '=', packageId).returningAll().executeTakeFirstOrThrow();
  if (latest === null) {
    await unindexPackage(trx, dialect, packageId);
    return;
  }
  await indexPackage(trx, dialect, {
    packageId,
    name: pkg.name,
    keywords: JSON.parse(pkg.keywords) as string[],
    description: pkg.description,
    author: pkg.author,
  });
}
