/**
 * Refuses a new package name that is easy to mistake for a popular one (`a1pha` beside `alpha`), the
 * usual shape of typosquatting. Only new names are checked, only against the most downloaded
 * packages, and the owners of the popular package may still publish such a name themselves.
 */
import { RegistryError } from '../errors.ts';
import { canonicalName } from '../names.ts';
import { lookalikeOf } from '../names/skeleton.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import { popularPackages } from '../db/popular-packages.ts';
import type { Db } from '../db/users.ts';

export async function refuseLookalikeName(db: Db, userId: number, name: string): Promise<void> {
  if (await findPackage(db, name)) return;
  const popular = lookalikeOf(name, canonicalName(name), await popularPackages(db));
  if (!popular || (await isOwner(db, popular.id, userId))) return;
  throw new RegistryError(
    409,
    'name_lookalike',
    `"${name}" is too easily mistaken for the popular package "${popular.name}" (0/o, 1/l/i, rn/m and separators ` +
      'look alike); choose a clearly different name. Owners of that package may publish it.',
    { data: { similar_to: popular.name } },
  );
}
