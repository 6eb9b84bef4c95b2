/**
 * Names no new package may take: words of the API's paths, and names easy to mistake for a popular
 * package (`a1pha` beside `alpha`, the usual shape of typosquatting). Only new names are checked,
 * look-alikes only against the most downloaded packages, and the owners of the popular package may
 * still publish such a name themselves.
 */
import { badRequest, RegistryError } from '../../../core/src/errors.ts';
import { canonicalName, newNameRefusal, type PackageName } from '../../../core/src/names.ts';
import { lookalikeOf } from '../../../core/src/names/skeleton.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import { popularPackages } from '../db/popular-packages.ts';
import type { Db } from '../db/users.ts';
import { checkNotReserved } from './reserved-names.ts';

export async function vetNewPackageName(db: Db, userId: number, name: PackageName): Promise<void> {
  if (await findPackage(db, name)) return;
  const refusal = newNameRefusal(name);
  if (refusal) throw badRequest('name_reserved', `${refusal}; choose another name`);
  // Reserved by an admin: 403, the same code (the fix is the same: another name).
  await checkNotReserved(db, name);
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
