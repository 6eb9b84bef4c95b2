import { ALL_SCOPES } from '../../../auth/index.ts';
import { forbidden, notFound } from '../../../../../core/src/errors.ts';
import { findPackage, isOwner } from '../../../db/packages.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { problems } from '../../schemas/index.ts';
import { auditPage, auditPageResponse, auditQuery } from '../admin/audit-page.ts';
import { nameParams } from './params.ts';

export const packageAuditRoute = defineRoute({
  method: 'GET',
  url: '/packages/:name/audit',
  limit: 'read',
  schema: {
    summary: "A package's audit log, newest first (its owners, and admins with a session)",
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: nameParams,
    querystring: auditQuery(),
    response: { 200: auditPageResponse("A page of the package's audit entries"), ...problems(400, 401, 403, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    const pkg = await findPackage(deps.db.kysely, name);
    if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
    // Admin powers come with a session only (see requireAdmin).
    const admin = actor.isAdmin && actor.via === 'session';
    if (!admin && !(await isOwner(deps.db.kysely, pkg.id, actor.userId))) {
      throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot read its audit log`);
    }
    // A token limited to other packages is held to them for reading too.
    if (!ALL_SCOPES.some((scope) => actor.allows(scope, pkg.name))) {
      throw forbidden('token_scope', `This API token is limited to other packages, so it cannot read the audit log of ${pkg.name}`);
    }
    return auditPage(deps, request, { packageId: pkg.id }, { userId: actor.userId, isAdmin: admin });
  },
});
