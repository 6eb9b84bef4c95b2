import { listTokens } from '../../../db/tokens.ts';
import { defineRoute } from '../../route.ts';
import { tokenView } from '../../views/user.ts';
import { requireSession } from './require-session.ts';

export const listTokensRoute = defineRoute({
  method: 'GET',
  url: '/auth/tokens',
  limit: 'read',
  schema: { summary: "List your API tokens (never their secrets)", tags: ['auth'], security: [{ bearer: [] }] },
  async handler(deps, request) {
    const actor = await requireSession(deps, request);
    const rows = await listTokens(deps.db.kysely, actor.userId);
    return { tokens: rows.map(tokenView) };
  },
});
