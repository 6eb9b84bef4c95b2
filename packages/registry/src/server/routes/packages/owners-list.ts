import { notFound } from '../../../../../core/src/errors.ts';
import { findPackage } from '../../../db/packages.ts';
import { listOwners } from '../../../db/owners.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { ownersSchema } from '../../schemas/owners.ts';
import { nameParams } from './params.ts';

export const listOwnersRoute = defineRoute({
  method: 'GET',
  url: '/packages/:name/owners',
  limit: 'read',
  schema: {
    summary: 'The owners of a package and since when',
    tags: ['owners'],
    params: nameParams,
    response: { 200: json('The owners', ownersSchema), ...problems(400, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
    return { name: pkg.name, owners: await listOwners(deps.db.kysely, pkg.id) };
  },
});
