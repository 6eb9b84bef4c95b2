import { notFound } from '../../../../../core/src/errors.ts';
import { compileRow, type CompiledAdvisory } from '../../../advisories/compiled.ts';
import { advisoriesByAlias, findAdvisory } from '../../../advisories/store.ts';
import type { AdvisoryRow } from '../../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { problems } from '../../schemas/index.ts';

export { lookupDeps } from '../../advisory-summaries.ts';

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 128, description: 'The advisory id (SYN-2025-0001, GHSA-…)' } },
} as const;

/** An OSV document in a request body; its rules are checked by the advisory domain, each refusal listed. */
export const osvBody = {
  type: 'object',
  additionalProperties: true,
  description: 'An OSV advisory (https://ossf.github.io/osv-schema/)',
} as const;

export const writeRefusals = problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503);

/** How many advisories an alias lookup lists at most (one CVE is rarely named by more than two). */
export const ALIAS_MATCHES_MAX = 20;

/** One advisory by id, compiled (from the cache when its revision is current). */
export async function advisoryById(deps: AppDeps, id: string): Promise<CompiledAdvisory> {
  const row = await findAdvisory(deps.db.kysely, id);
  if (!row) throw notFound('advisory_not_found', `No advisory with the id ${id}`);
  return compiled(deps, row);
}

/**
 * By id, else by alias (CVE-…, GHSA-…, any case): the advisory, or the several that name the alias,
 * or a 404 saying neither matched.
 */
export async function advisoryByIdOrAlias(deps: AppDeps, id: string): Promise<CompiledAdvisory | CompiledAdvisory[]> {
  const row = await findAdvisory(deps.db.kysely, id);
  if (row) return compiled(deps, row);
  const rows = await advisoriesByAlias(deps.db.kysely, id, ALIAS_MATCHES_MAX);
  if (rows.length === 0) throw notFound('advisory_not_found', `No advisory has the id or alias ${id}`);
  return rows.length === 1 ? compiled(deps, rows[0]!) : rows.map((r) => compiled(deps, r));
}

function compiled(deps: AppDeps, row: AdvisoryRow): CompiledAdvisory {
  const hit = deps.advisories.get(Number(row.seq), Number(row.revision));
  if (hit) return hit;
  const compiled = compileRow(row);
  deps.advisories.set(compiled);
  return compiled;
}
