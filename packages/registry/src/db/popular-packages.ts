import type { Db } from './users.ts';

/** How many of the most downloaded packages a new name is compared with. */
export const POPULAR_NAMES_LIMIT = 1_000;

/** The most downloaded packages (at most POPULAR_NAMES_LIMIT), for look-alike checks. */
export async function popularPackages(db: Db): Promise<{ id: number; name: string; canonical_name: string }[]> {
  return db
    .selectFrom('packages')
    .select(['id', 'name', 'canonical_name'])
    .orderBy('downloads', 'desc')
    .orderBy('id')
    .limit(POPULAR_NAMES_LIMIT)
    .execute();
}
