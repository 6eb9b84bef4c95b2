import { latestVersion } from '../names.ts';
import { liveVersions } from '../db/packages.ts';
import { indexPackage, unindexPackage } from '../db/search-index.ts';
import type { Db } from '../db/users.ts';
import type { Manifest } from '../tarball/index.ts';

/**
 * Recomputes `latest` and, when the given manifest is the latest, the package's metadata and search
 * entry. Called after every publish and delete, inside their transaction.
 */
export async function refreshPackage(
  trx: Db,
  dialect: 'sqlite' | 'postgres',
  packageId: number,
  change: { manifest?: Manifest; now: string },
): Promise<void> {
  if (dialect === 'postgres') {
    // Concurrent publishes (or deletes) of one package would each compute `latest` from a snapshot
    // without the others' versions, and the last to commit would win. Holding the row lock first
    // makes the read below see every version committed before ours. NO KEY: the versions' foreign
    // keys hold KEY SHARE locks on this row, which FOR UPDATE would deadlock against.
    await trx.selectFrom('packages').select('id').where('id', '=', packageId).forNoKeyUpdate().execute();
  }
  const versions = await liveVersions(trx, packageId);
  const latest = latestVersion(versions.map((v) => v.version));
  const update: Record<string, unknown> = { latest_version: latest, updated_at: change.now };
  if (change.manifest && change.manifest.version === latest) {
    const m = change.manifest;
    Object.assign(update, {
      description: m.description,
      author: m.author,
      license: m.license,
      homepage: m.homepage,
      repository: m.repository,
      keywords: JSON.stringify(m.keywords),
    });
  }
  const pkg = await trx
    .updateTable('packages')
    .set(update)
    .where('id', '=', packageId)
    .returningAll()
    .executeTakeFirstOrThrow();
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
