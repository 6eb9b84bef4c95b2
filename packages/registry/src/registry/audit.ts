/**
 * The audit log: one append-only table written in the same transaction as the change it records,
 * so an entry exists exactly when its change does. Reading it is in packages/registry/src/db/audit-log.ts.
 */
import type { Db } from '../db/users.ts';
import { emitWebhookEvents } from '../webhooks/fan-out.ts';
import { recordChange } from '../changes/record.ts';
import type { Actor, ClientInfo } from './publisher.ts';

export const AUDIT_ACTIONS = [
  'publish',
  'delete',
  'yank',
  'unyank',
  'deprecate',
  'undeprecate',
  'tag',
  'untag',
  'owner_invite',
  'owner_invite_cancel',
  'owner_accept',
  'owner_decline',
  'owner_remove',
  'token_create',
  'token_revoke',
  'login_failure',
  'admin_grant',
  'admin_revoke',
  'name_reserve',
  'name_release',
  'package_lock',
  'package_unlock',
  'webhook_create',
  'webhook_update',
  'webhook_delete',
  'webhook_rotate_secret',
  'webhook_disabled',
  'advisory_publish',
  'advisory_update',
  'advisory_withdraw',
  'secret_detected',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  /** Who acted; null for an anonymous request (a failed login) or the admin command line. */
  actor: Actor | null;
  /** Where the request came from, when there is no actor to carry it. */
  client?: ClientInfo;
  /** The account the entry is about when it is not the actor's own (the invitee, a failed login's account). */
  subjectUserId?: number | null;
  package?: { id: number; name: string } | null;
  version?: string | null;
  /** What else a reader needs (a reason, a tag, a username): small and JSON. */
  details?: Record<string, unknown>;
  at: string;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  const client = entry.actor?.client ?? entry.client ?? { ip: null, userAgent: null };
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      action: entry.action,
      actor_id: entry.actor?.userId ?? null,
      actor_username: entry.actor?.username ?? null,
      token_id: entry.actor?.tokenId ?? null,
      subject_user_id: entry.subjectUserId ?? null,
      package_id: entry.package?.id ?? null,
      package_name: entry.package?.name ?? null,
      version: entry.version ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: client.ip,
      user_agent: client.userAgent,
    })
    .execute();
  // The feed entry and the webhook deliveries the change raises, in the same transaction as the entry.
  await recordChange(db, entry);
  await emitWebhookEvents(db, entry);
}
