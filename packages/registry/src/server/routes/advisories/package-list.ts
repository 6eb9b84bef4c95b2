import { notFound } from '../../../../../core/src/errors.ts';
import { compileRow } from '../../../advisories/compiled.ts';
import { findingsFor } from '../../../advisories/match.ts';
import { advisoriesOfPackage } from '../../../advisories/store.ts';
import { findPackage, liveVersions } from '../../../db/packages.ts';
import { sortNewestFirst } from '../../views/package.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { advisoryListingView } from '../../views/advisory.ts';
import { packageAdvisorySchema } from '../../schemas/advisories.ts';
import { nameParams } from '../packages/params.ts';

/** A package has at most this many advisories listed (far more than any has). */
const LISTED = 1_000;

export const packageAdvisoriesRoute = defineRoute({
  method: 'GET',
  url: '/packages/:name/advisories',
  limit: 'read',
  schema: {
    summary: "A package's advisories, newest first, withdrawn ones included, each with the live versions it affects",
    tags: ['advisories'],
    params: nameParams,
    response: {
      200: json('The advisories', {
        type: 'object',
        required: ['name', 'advisories'],
        properties: {
          name: { type: 'string' },
          advisories: {
            type: 'array',
            items: packageAdvisorySchema,
          },
        },
      }),
      ...problems(400, 404, 414, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
    const [rows, versions] = await Promise.all([
      advisoriesOfPackage(deps.db.kysely, pkg.canonical_name, LISTED),
      liveVersions(deps.db.kysely, pkg.id),
    ]);
    const base = baseUrl(deps, request);
    const advisories = rows.map((row) => {
      const compiled = deps.advisories.get(Number(row.seq), Number(row.revision)) ?? compileRow(row);
      deps.advisories.set(compiled);
      // Withdrawn advisories are listed, but affect nothing.
      const affected = sortNewestFirst(versions)
        .filter((v) => findingsFor([compiled], pkg.canonical_name, v.version).length > 0)
        .map((v) => v.version);
      return { ...advisoryListingView(base, compiled), affected_versions: affected };
    });
    return { name: pkg.name, advisories };
  },
});
