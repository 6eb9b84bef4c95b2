/** The three audit log routes answer alike: a page of entries, newest first, shown to one reader. */
import type { FastifyRequest } from 'fastify';
import { AUDIT_COUNT_CAP, readAudit, type AuditFilter } from '../../../db/audit-log.ts';
import type { AppDeps } from '../../deps.ts';
import { json, pageOf, ref } from '../../schemas/index.ts';
import { auditEntryView, type AuditReader } from '../../views/audit.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';

export const auditQuery = (extra: Record<string, object> = {}) => ({
  type: 'object',
  properties: { ...pagingProperties(), ...extra },
});

export const auditPageResponse = (description: string) =>
  json(description, {
    ...pageOf(ref('AuditEntry')),
    description: `Newest first; \`total\` counts at most ${AUDIT_COUNT_CAP.toLocaleString('en')} entries (the deepest page reachable)`,
  });

export async function auditPage(deps: AppDeps, request: FastifyRequest, filter: AuditFilter, reader: AuditReader) {
  const query = readPaging(request.query as Record<string, unknown>);
  const { total, rows } = await readAudit(deps.db.kysely, filter, window(query));
  return paged(
    query,
    total,
    rows.map((row) => auditEntryView(row, reader)),
  );
}
