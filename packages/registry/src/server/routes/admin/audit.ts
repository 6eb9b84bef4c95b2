import { badRequest, notFound } from '../../../../../core/src/errors.ts';
import { findPackage } from '../../../db/packages.ts';
import { findUserByUsername } from '../../../db/users.ts';
import type { AuditFilter } from '../../../db/audit-log.ts';
import { AUDIT_ACTIONS } from '../../../registry/audit.ts';
import type { AppDeps } from '../../deps.ts';
import { defineRoute } from '../../route.ts';
import { problems } from '../../schemas/index.ts';
import { auditPage, auditPageResponse, auditQuery } from './audit-page.ts';
import { requireAdmin } from './require-admin.ts';

export const adminAuditRoute = defineRoute({
  method: 'GET',
  url: '/admin/audit',
  limit: 'read',
  schema: {
    summary: 'Every audit entry, newest first, optionally of one action, package or user (admins; a session)',
    tags: ['admin'],
    security: [{ bearer: [] }],
    querystring: auditQuery({
      action: { description: `Only this action: ${AUDIT_ACTIONS.join(', ')}`, examples: ['publish'] },
      package: { description: 'Only entries about this package', examples: ['left-pad'] },
      user: { description: 'Only entries this user made or that are about them', examples: ['alice'] },
    }),
    response: { 200: auditPageResponse('A page of audit entries'), ...problems(400, 401, 403, 404, 429, 500, 503) },
  },
  async handler(deps, request) {
    const actor = await requireAdmin(deps, request);
    const filter = await readFilter(deps, request.query as Record<string, unknown>);
    return auditPage(deps, request, filter, actor);
  },
});

/** One value of a filter, or undefined; repeated or empty is a 400. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw badRequest('invalid_query_parameter', `${name} takes one value; leave it out to see every entry`, { data: { parameter: name } });
  }
  return value;
}

async function readFilter(deps: AppDeps, query: Record<string, unknown>): Promise<AuditFilter> {
  const filter: AuditFilter = {};
  const action = single(query, 'action');
  if (action !== undefined) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) {
      throw badRequest('invalid_query_parameter', `action must be one of ${AUDIT_ACTIONS.join(', ')}`, { data: { parameter: 'action' } });
    }
    filter.action = action;
  }
  const name = single(query, 'package');
  if (name !== undefined) {
    const pkg = await findPackage(deps.db.kysely, name);
    if (!pkg) throw notFound('package_not_found', `No package named ${name}; check the package filter`);
    filter.packageId = pkg.id;
  }
  const username = single(query, 'user');
  if (username !== undefined) {
    const user = await findUserByUsername(deps.db.kysely, username.trim().toLowerCase());
    if (!user) throw notFound('user_not_found', `No account is named ${username}; check the user filter`);
    filter.userId = user.id;
  }
  return filter;
}
