/** What the deprecation routes share: the request body's documentation and the documents they answer with. */
import type { FastifyRequest } from 'fastify';
import { notFound, validationError } from '../../../../../core/src/errors.ts';
import { findLiveVersion, findPackage, liveVersions, packageOwners } from '../../../db/packages.ts';
import { readDistTags } from '../../../db/dist-tags.ts';
import { parseDeprecationRequest, type DeprecationRequest } from '../../../registry/deprecation-request.ts';
import { DEPRECATION_REASONS, LIFECYCLE_MESSAGE_MAX } from '../../../../../core/src/lifecycle-rules.ts';
import { baseUrl } from '../../base-url.ts';
import type { AppDeps } from '../../deps.ts';
import { packageView } from '../../views/package.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';
import { versionDocument as renderVersion } from './version-document.ts';

/**
 * Documented, not checked by the schema: parseDeprecationRequest checks every field and says
 * which values are allowed (the schema's own messages do not), and nothing is coerced.
 */
export const deprecationBody = {
  type: 'object',
  description: 'reason is required; message and replacement may be left out or null',
  properties: {
    reason: { description: `Required. Why: one of ${DEPRECATION_REASONS.join(', ')}`, examples: ['renamed'] },
    message: {
      description: `What users should know or do, at most ${LIFECYCLE_MESSAGE_MAX} printable characters on one line`,
      examples: ['Moved to a new name'],
    },
    replacement: { description: 'The name of another existing package to use instead', examples: ['new-name'] },
  },
} as const;

export function readDeprecationBody(request: FastifyRequest): DeprecationRequest {
  const parsed = parseDeprecationRequest(request.body);
  if (!parsed.ok) throw validationError(parsed.errors, parsed.errors.map((e) => e.message).join('; '));
  return parsed.value;
}

/** The package document as GET /packages/{name} shows it after the change. */
export async function packageDocument(deps: AppDeps, request: FastifyRequest, name: string) {
  const pkg = await findPackage(deps.db.kysely, name);
  if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
  const [owners, versions, distTags] = await Promise.all([
    packageOwners(deps.db.kysely, pkg.id),
    liveVersions(deps.db.kysely, pkg.id),
    readDistTags(deps.db.kysely, pkg.id, pkg.latest_version),
  ]);
  const advisories = await advisorySummaries(
    deps,
    pkg.name,
    versions.map((v) => v.version),
  );
  return packageView(baseUrl(deps, request), { pkg, owners, versions, distTags, advisories });
}

/** The version document as GET /packages/{name}/{version} shows it after the change. */
export async function versionDocument(deps: AppDeps, request: FastifyRequest, name: string, version: string) {
  const row = await findLiveVersion(deps.db, name, version);
  if (!row) throw notFound('version_not_found', `${name}@${version} does not exist`);
  return renderVersion(deps, baseUrl(deps, request), row.package_name, row);
}
