import { ALL_SCOPES } from '../../../auth/index.ts';
import { createApiToken } from '../../../registry/api-tokens.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { newApiTokenSchema } from '../../schemas/auth.ts';
import { tokenView } from '../../views/user.ts';
import { requireSession } from './require-session.ts';

export const createToken = defineRoute({
  method: 'POST',
  url: '/auth/tokens',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Create an API token (its secret is shown once)',
    tags: ['auth'],
    security: [{ bearer: [] }],
    body: {
      type: 'object',
      required: ['name', 'scopes'],
      properties: {
        name: { type: 'string' },
        scopes: { type: 'array', items: { type: 'string', enum: [...ALL_SCOPES] } },
        packages: { type: 'array', items: { type: 'string' } },
        expires_in_days: { type: 'integer' },
      },
    },
    response: { 201: json('The new token, with its secret', newApiTokenSchema), ...problems(400, 401, 403, 409, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await requireSession(deps, request);
    const { row, secret } = await createApiToken(deps.db.kysely, actor, request.body, deps.now());
    deps.metrics.tokenCreated();
    return reply.status(201).send({ ...tokenView(row), token: secret });
  },
});
