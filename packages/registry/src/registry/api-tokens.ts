/** Creating and revoking API tokens, for the API and the web pages alike; each change is audited. */
import { conflict, notFound, validationError } from '../../../core/src/errors.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { generateApiToken, parseTokenRequest } from '../auth/index.ts';
import { insertToken, revokeToken } from '../db/tokens.ts';
import type { ApiTokenRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './publisher.ts';

/** A new token for the actor from a request body ({name, scopes, packages?, expires_in_days?}); its secret is returned once. */
export async function createApiToken(db: Db, actor: Actor, body: unknown, now: Date): Promise<{ row: ApiTokenRow; secret: string }> {
  const parsed = parseTokenRequest(body);
  if (!parsed.ok) throw validationError(parsed.errors, parsed.errors.map((e) => e.message).join('; '));
  const { name, scopes, packages, expiresInDays } = parsed.value;
  const { secret, hash } = generateApiToken();
  const at = now.toISOString();
  const row = await db
    .transaction()
    .execute(async (trx) => {
      await checkNameFree(trx, actor.userId, name);
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
    })
    .catch((error: unknown) => {
      // Two creations with one name at once: the index lets one through.
      throw isUniqueViolation(error) ? nameTaken(name) : error;
    });
  return { row, secret };
}

const nameTaken = (name: string, id?: number) =>
  conflict(
    'token_name_taken',
    `You already have a token named ${JSON.stringify(name)}${id ? ` (id ${id})` : ''}; choose another name, or revoke that one first`,
  );

/** An expired token keeps its name until revoked: the answer says which one to revoke. */
async function checkNameFree(trx: Db, userId: number, name: string): Promise<void> {
  const existing = await trx
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (existing) throw nameTaken(name, Number(existing.id));
}

/** Revokes one of the actor's live tokens; throws `token_not_found` (404) for any other id. */
export async function revokeApiToken(db: Db, actor: Actor, id: number, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    if (!(await revokeToken(trx, actor.userId, id, at))) {
      throw notFound('token_not_found', `You have no live API token with id ${id}`);
    }
    await recordAudit(trx, { action: 'token_revoke', actor, details: { token_id: id }, at });
  });
}
