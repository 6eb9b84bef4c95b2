import type { AuditRow } from '../../db/schema.ts';

/** Who is reading: client addresses are personal data, shown only to their own account and to admins. */
export interface AuditReader {
  userId: number;
  isAdmin: boolean;
}

/**
 * An audit entry as the API shows it. `ip` and `user_agent` are null unless the reader is an admin,
 * made the entry, or the entry has no actor and is about the reader's own account (a failed login
 * to it): a co-owner sees what the others did, not where from.
 */
export function auditEntryView(row: AuditRow, reader: AuditReader) {
  const actorId = row.actor_id === null ? null : Number(row.actor_id);
  const own = actorId === reader.userId || (actorId === null && Number(row.subject_user_id) === reader.userId);
  const showClient = reader.isAdmin || own;
  return {
    id: Number(row.id),
    at: row.at,
    action: row.action,
    actor: row.actor_username,
    token_id: row.token_id === null ? null : Number(row.token_id),
    package: row.package_name,
    version: row.version,
    details: parseDetails(row.details),
    ip: showClient ? row.ip : null,
    user_agent: showClient ? row.user_agent : null,
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
