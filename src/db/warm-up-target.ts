import type { Db } from './users.ts';

/** The most downloaded package that is shown (has a live version): what a warm-up asks for. */
export async function warmUpTarget(db: Db): Promise<{ name: string; version: string } | undefined> {
  const row = await db
    .selectFrom('packages')
    .select(['name', 'latest_version'])
    .where('latest_version', 'is not', null)
    .orderBy('downloads', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row && row.latest_version !== null ? { name: row.name, version: row.latest_version } : undefined;
}
