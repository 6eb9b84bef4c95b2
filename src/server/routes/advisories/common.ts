import { notFound } from '../../../errors.ts';
import { compileRow, type CompiledAdvisory } from '../../../advisories/compiled.ts';
import { findAdvisory } from '../../../advisories/store.ts';
import type { AppDeps } from '../../deps.ts';
import { problems } from '../../schemas/index.ts';

export { lookupDeps } from '../../advisory-summaries.ts';

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 128, description: 'The advisory id (SYN-2025-0001, GHSA-…)' } },
} as const;

/** An OSV document in a request body; its rules are checked by the advisory domain, each refusal listed. */
export const osvBody = { type: 'object', additionalProperties: true, description: 'An OSV advisory (https://ossf.github.io/osv-schema/)' } as const;

export const writeRefusals = problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503);

/** One advisory by id, compiled (from the cache when its revision is current). */
export async function advisoryById(deps: AppDeps, id: string): Promise<CompiledAdvisory> {
  const row = await findAdvisory(deps.db.kysely, id);
  if (!row) throw notFound('advisory_not_found', `No advisory with the id ${id}`);
  const hit = deps.advisories.get(Number(row.seq), Number(row.revision));
  if (hit) return hit;
  const compiled = compileRow(row);
  deps.advisories.set(compiled);
  return compiled;
}
