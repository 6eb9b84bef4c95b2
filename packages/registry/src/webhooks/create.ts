/**
 * Creating a subscription: to one package the actor owns (a token needs the "webhooks" scope for it)
 * or to every package the account owns (a token needs the scope with no package limit). The secret
 * is returned once, here; afterwards only a rotation shows a new one.
 */
import { conflict, forbidden, notFound } from '../../../core/src/errors.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import type { WebhookRow } from '../db/schema-webhooks.ts';
import type { Actor } from '../registry/publisher.ts';
import { recordAudit } from '../registry/audit.ts';
import { allowedUrl, requireWebhookScope, type WebhooksDeps } from './deps.ts';
import type { NewWebhookRequest } from './request.ts';
import { newWebhookSecret } from './secrets.ts';

export interface CreatedWebhook {
  row: WebhookRow;
  packageName: string | null;
  secret: string;
}

async function targetPackage(deps: WebhooksDeps, actor: Actor, name: string | null) {
  if (name === null) {
    if (!actor.allowsEvery('webhooks')) {
      throw forbidden(
        'token_scope',
        'A webhook for all your packages needs a session or a token with the "webhooks" scope and no package limit',
      );
    }
    return null;
  }
  const pkg = await findPackage(deps.db.kysely, name);
  if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
  if (!(await isOwner(deps.db.kysely, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot subscribe to its events`);
  }
  if (!actor.allows('webhooks', pkg.name)) {
    throw forbidden('token_scope', `This API token may not manage webhooks of ${pkg.name}: it needs the "webhooks" scope for that package`);
  }
  return pkg;
}

export async function createWebhook(deps: WebhooksDeps, actor: Actor, request: NewWebhookRequest): Promise<CreatedWebhook> {
  requireWebhookScope(actor);
  const pkg = await targetPackage(deps, actor, request.package);
  const url = await allowedUrl(deps, request.url);
  const secret = newWebhookSecret();
  return deps.db.kysely.transaction().execute(async (trx) => {
    const max = deps.config.webhooks.maxPerAccount;
    const held = await trx.selectFrom('webhooks').select('id').where('owner_id', '=', actor.userId).limit(max).execute();
    if (held.length >= max) {
      throw conflict(
        'webhook_limit_reached',
        `An account may hold ${max} webhooks; delete one you no longer use (synapse pkg webhook rm ID)`,
      );
    }
    const at = deps.now().toISOString();
    const values = {
      owner_id: actor.userId,
      package_id: pkg?.id ?? null,
      url,
      events: JSON.stringify(request.events),
      secret,
      created_at: at,
      updated_at: at,
    };
    const row = await trx.insertInto('webhooks').values(values).returningAll().executeTakeFirstOrThrow();
    const details = { webhook_id: Number(row.id), url, events: request.events };
    await recordAudit(trx, { action: 'webhook_create', actor, package: pkg ? { id: pkg.id, name: pkg.name } : null, details, at });
    return { row, packageName: pkg?.name ?? null, secret };
  });
}
