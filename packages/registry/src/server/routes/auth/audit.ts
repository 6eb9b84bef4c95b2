import { forbidden } from '../../../../../core/src/errors.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { problems } from '../../schemas/index.ts';
import { auditPage, auditPageResponse, auditQuery } from '../admin/audit-page.ts';

export const accountAuditRoute = defineRoute({
  method: 'GET',
  url: '/auth/audit',
  limit: 'read',
  schema: {
    summary: "Your account's audit log: what you did, and what was done about your account (failed logins, admin changes), newest first",
    tags: ['auth'],
    security: [{ bearer: [] }],
    querystring: auditQuery(),
    response: { 200: auditPageResponse("A page of your account's audit entries"), ...problems(400, 401, 403, 429, 500, 503) },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    // The account's whole log is not for a token, which may be limited to some packages.
    if (actor.via !== 'session') {
      throw forbidden(
        'session_required',
        "An API token cannot read the account's audit log: log in with your password and use the session token",
      );
    }
    return auditPage(deps, request, { userId: actor.userId }, { userId: actor.userId, isAdmin: false });
  },
});
