import { notFound } from '../../../errors.ts';
import { findPackage, liveVersions } from '../../../db/packages.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { versionListSchema } from '../../schemas/packages.ts';
import { sortNewestFirst, versionSummary } from '../../views/package.ts';
import { nameParams } from './params.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';

export const listVersions = defineRoute({
  method: 'GET',
  url: '/packages/:name/versions',
  limit: 'read',
  schema: {
    summary: "A package's versions, newest first by SemVer precedence",
    tags: ['packages'],
    params: nameParams,
    response: { 200: json('The live versions', versionListSchema), ...problems(400, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    // A package whose every version was deleted keeps its name reserved but is not shown.
    if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
    const base = baseUrl(deps, request);
    const versions = sortNewestFirst(await liveVersions(deps.db.kysely, pkg.id));
    const advisories = await advisorySummaries(deps, pkg.name, versions.map((v) => v.version));
    return { name: pkg.name, latest: pkg.latest_version, versions: versions.map((v) => versionSummary(base, pkg.name, v, advisories(v.version))) };
  },
});
