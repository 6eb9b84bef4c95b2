import { notFound } from '../../../../../core/src/errors.ts';
import { findPackage, liveVersions } from '../../../db/packages.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { versionListSchema } from '../../schemas/packages.ts';
import { sortNewestFirst, versionSummary } from '../../views/package.ts';
import { nameParams } from './params.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';
import { staleHeaders, upstreamPackage } from './upstream.ts';

export const listVersions = defineRoute({
  method: 'GET',
  url: '/packages/:name/versions',
  limit: 'read',
  schema: {
    summary: "A package's versions, newest first by SemVer precedence",
    tags: ['packages'],
    params: nameParams,
    response: {
      200: { ...json('The live versions', versionListSchema), headers: staleHeaders },
      ...problems(400, 404, 414, 429, 500, 502, 503),
    },
  },
  async handler(deps, request, reply) {
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    if (!pkg && deps.upstream) {
      const doc = await upstreamPackage(deps, request, reply, deps.upstream, name);
      return { name: doc.name, latest: doc.latest, versions: doc.versions };
    }
    // A package whose every version was deleted keeps its name reserved but is not shown.
    if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
    const base = baseUrl(deps, request);
    const versions = sortNewestFirst(await liveVersions(deps.db.kysely, pkg.id));
    const advisories = await advisorySummaries(
      deps,
      pkg.name,
      versions.map((v) => v.version),
    );
    return {
      name: pkg.name,
      latest: pkg.latest_version,
      versions: versions.map((v) => versionSummary(base, pkg.name, v, advisories(v.version))),
    };
  },
});
