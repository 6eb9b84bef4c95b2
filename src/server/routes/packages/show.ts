import { notFound } from '../../../errors.ts';
import { findPackage, liveVersions, packageOwners } from '../../../db/packages.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { packageView } from '../../views/package.ts';
import { nameParams } from './params.ts';

export const showPackage = defineRoute({
  method: 'GET',
  url: '/packages/:name',
  limit: 'read',
  schema: { summary: 'A package with all its versions', tags: ['packages'], params: nameParams },
  async handler(deps, request) {
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    // A package whose every version was deleted keeps its name reserved but is not shown.
    if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
    const [owners, versions] = await Promise.all([packageOwners(deps.db.kysely, pkg.id), liveVersions(deps.db.kysely, pkg.id)]);
    return packageView(baseUrl(deps, request), pkg, owners, versions);
  },
});
