/**
 * The webhook event catalogue: each event is one line naming the audit action it follows (and, where
 * one action means two events, which entries). Every change worth an event is already audited in its
 * own transaction, so an event exists exactly when its change does; adding an event is one line here.
 */
import type { AuditAction, AuditEntry } from '../registry/audit.ts';

interface EventRule {
  event: string;
  action: AuditAction;
  when?: (entry: AuditEntry) => boolean;
}

const forVersion = (entry: AuditEntry) => Boolean(entry.version);
const forPackage = (entry: AuditEntry) => !entry.version;

const RULES: readonly EventRule[] = [
  { event: 'package.published', action: 'publish' },
  { event: 'version.yanked', action: 'yank' },
  { event: 'version.unyanked', action: 'unyank' },
  { event: 'version.deprecated', action: 'deprecate', when: forVersion },
  { event: 'version.undeprecated', action: 'undeprecate', when: forVersion },
  { event: 'package.deprecated', action: 'deprecate', when: forPackage },
  { event: 'package.undeprecated', action: 'undeprecate', when: forPackage },
  { event: 'version.deleted', action: 'delete' },
  { event: 'dist_tag.changed', action: 'tag' },
  { event: 'dist_tag.changed', action: 'untag' },
  { event: 'owner.added', action: 'owner_accept' },
  { event: 'owner.removed', action: 'owner_remove' },
  { event: 'advisory.published', action: 'advisory_publish' },
  { event: 'advisory.withdrawn', action: 'advisory_withdraw' },
  { event: 'package.secret_detected', action: 'secret_detected' },
];

/** What a subscription may list. `ping` is not among them: a ping goes to its one subscription whatever it lists. */
export const WEBHOOK_EVENTS: readonly string[] = [...new Set(RULES.map((r) => r.event))];

export const PING_EVENT = 'ping';

/** The event an audited change raises, if any. */
export function eventFor(entry: AuditEntry): string | null {
  const rule = RULES.find((r) => r.action === entry.action && (!r.when || r.when(entry)));
  return rule?.event ?? null;
}

/** Events about who owns a package also reach the account the change is about (a removed owner). */
export function reachesSubject(event: string): boolean {
  return event.startsWith('owner.');
}

/**
 * The body every receiver gets: the Standard Webhooks shape, `type`, `timestamp`, `data`. `data`
 * names the package and version, who acted and the change's own details (a reason, a tag).
 */
export function eventBody(event: string, entry: AuditEntry): string {
  const data: Record<string, unknown> = {
    package: entry.package?.name ?? null,
    version: entry.version ?? null,
    actor: entry.actor?.username ?? null,
    ...publicDetails(entry.details),
  };
  // owner.added is raised by the new owner accepting; owner.removed names the one removed.
  if (reachesSubject(event)) data.owner = (entry.details?.username as string | undefined) ?? entry.actor?.username ?? null;
  return JSON.stringify({ type: event, timestamp: entry.at, data });
}

// Ids of accounts and tokens stay in the audit log; a receiver gets names.
const PRIVATE_DETAILS = new Set(['invited_by_id', 'token_id']);

function publicDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([k]) => !PRIVATE_DETAILS.has(k)));
}
