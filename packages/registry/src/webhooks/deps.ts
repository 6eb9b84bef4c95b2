import type { WebhooksConfig } from '../config/webhooks.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { WebhookRow } from '../db/schema-webhooks.ts';
import type { Db } from '../db/users.ts';
import { forbidden, notFound, RegistryError } from '../../../core/src/errors.ts';
import type { Actor } from '../registry/publisher.ts';
import { checkWebhookUrl, type Resolver, type UrlPolicy } from './url-guard.ts';

export interface WebhooksDeps {
  db: RegistryDatabase;
  now: () => Date;
  config: { webhooks: WebhooksConfig };
  /** DNS for the address guard; the system resolver when absent (tests inject one). */
  lookup?: Resolver;
  /** Called after a commit that queued deliveries, so they start now rather than at the next poll. */
  wake?: () => void;
}

export function urlPolicy(deps: WebhooksDeps): UrlPolicy {
  const { allowPrivate, allowHttp } = deps.config.webhooks;
  return { allowPrivate, allowHttp, ...(deps.lookup ? { lookup: deps.lookup } : {}) };
}

/** The URL if the policy lets events go there; a 400 saying what to change if not. */
export async function allowedUrl(deps: WebhooksDeps, raw: string): Promise<string> {
  const check = await checkWebhookUrl(raw, urlPolicy(deps));
  if (!check.ok) throw new RegistryError(400, check.code, check.message, { errors: [{ field: 'url', message: check.message }] });
  return check.url.href;
}

/** Managing webhooks needs a session or a token with the "webhooks" scope. */
export function requireWebhookScope(actor: Actor): void {
  if (!actor.allowsSome('webhooks')) {
    throw forbidden('token_scope', 'This API token may not manage webhooks: it needs the "webhooks" scope');
  }
}

/** The actor's own subscription; someone else's answers 404 like a missing one, so ids reveal nothing. */
export async function ownWebhook(db: Db, actor: Actor, id: number): Promise<WebhookRow> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).where('owner_id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('webhook_not_found', `You have no webhook with id ${id}; list yours with GET /webhooks`);
  return row;
}
