import { listTokens } from '../../../db/tokens.ts';
import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { tokenView } from '../../views/user.ts';
import { requireSession } from './require-session.ts';

export const listTokensRoute = defineRoute({
  method: 'GET',
  url: '/auth/tokens',
  limit: 'read',
  schema: {
    summary: 'List your API tokens (never their secrets)',
    tags: ['auth'],
    security: [{ bearer: [] }],
    response: {
      200: json('Your API tokens', {
        type: 'object',
        required: ['tokens'],
        properties: { tokens: { type: 'array', items: ref('ApiToken') } },
      }),
      ...problems(401, 403, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const actor = await requireSession(deps, request);
    const rows = await listTokens(deps.db.kysely, actor.userId);
    // A use not written yet (the buffer flushes on a timer) is shown already.
    return { tokens: rows.map((row) => tokenView({ ...row, last_used_at: deps.tokenUsage.pending(row.id) ?? row.last_used_at })) };
  },
});
