import { validationError } from '../../../errors.ts';
import { ALL_SCOPES, generateApiToken, parseTokenRequest } from '../../../auth/index.ts';
import { insertToken } from '../../../db/tokens.ts';
import { recordAudit } from '../../../registry/audit.ts';
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
    response: { 201: json('The new token, with its secret', newApiTokenSchema), ...problems(400, 401, 403, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await requireSession(deps, request);
    const parsed = parseTokenRequest(request.body);
    if (!parsed.ok) throw validationError(parsed.errors, parsed.errors.map((e) => e.message).join('; '));
    const { name, scopes, packages, expiresInDays } = parsed.value;
    const now = deps.now();
    const { secret, hash } = generateApiToken();
    const at = now.toISOString();
    const row = await deps.db.kysely.transaction().execute(async (trx) => {
      const inserted = await insertToken(trx, {
        userId: actor.userId,
        name,
        hash,
        scopes,
        packages,
        now: at,
        expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000).toISOString(),
      });
      await recordAudit(trx, { action: 'token_create', actor, details: { token_id: inserted.id, name, scopes, packages }, at });
      return inserted;
    });
    deps.metrics.tokenCreated();
    return reply.status(201).send({ ...tokenView(row), token: secret });
  },
});
