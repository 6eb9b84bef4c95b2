import type { VersionRow } from '../../../db/schema.ts';
import { deleteVerdict } from '../../../registry/delete-policy.ts';
import type { AppDeps } from '../../deps.ts';
import { versionView } from '../../views/package.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';

/**
 * The version document (GET /packages/{name}/{version}, yank, unyank): the version view plus whether
 * an owner may delete it now, and the advisories that affect it. Only here: the verdict costs two indexed
 * queries and changes with time.
 */
export async function versionDocument(deps: AppDeps, base: string, name: string, row: VersionRow) {
  return (await versionDocumentUntil(deps, base, name, row)).document;
}

/** The version document and until when the clock alone cannot change it (its delete verdict). */
export async function versionDocumentUntil(deps: AppDeps, base: string, name: string, row: VersionRow) {
  const [verdict, advisories] = await Promise.all([
    deleteVerdict(deps.db.kysely, deps.config.deletion, deps.now(), {
      packageId: row.package_id,
      name,
      versionId: row.id,
      version: row.version,
      publishedAt: row.published_at,
    }),
    advisorySummaries(deps, name, [row.version]),
  ]);
  const document = {
    ...versionView(base, name, row, advisories(row.version)),
    deletable_until: verdict.deletableUntil,
    delete_refusal: verdict.refusal,
  };
  return { document, holdsUntil: verdict.holdsUntil };
}
