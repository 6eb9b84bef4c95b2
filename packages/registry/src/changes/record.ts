/**
 * What enters the changes feed: the audited actions a follower must replay to hold the same
 * packages, versions and tags. Called by recordAudit, so a change is in the feed exactly when it
 * committed. Adding a kind is one line here.
 */
import type { Db } from '../db/users.ts';
import type { AuditAction, AuditEntry } from '../registry/audit.ts';

type Picker = (details: Record<string, unknown>) => Record<string, unknown>;

const pick =
  (...keys: string[]): Picker =>
  (details) =>
    Object.fromEntries(keys.filter((k) => details[k] !== undefined && details[k] !== null).map((k) => [k, details[k]]));

/** Audit action → the feed's kind is the same word; the value picks the details a follower needs. */
const FEED: Partial<Record<AuditAction, Picker>> = {
  publish: pick(),
  delete: pick(),
  yank: pick('reason'),
  unyank: pick(),
  deprecate: pick('message', 'replacement'),
  undeprecate: pick(),
  tag: pick('tag', 'previous'),
  untag: pick('tag'),
};

export const CHANGE_KINDS: readonly string[] = Object.keys(FEED);

export async function recordChange(db: Db, entry: AuditEntry): Promise<void> {
  const picker = FEED[entry.action];
  if (!picker || !entry.package) return;
  await db
    .insertInto('changes')
    .values({
      at: entry.at,
      kind: entry.action,
      package: entry.package.name,
      version: entry.version ?? null,
      data: JSON.stringify(picker(entry.details ?? {})),
    })
    .execute();
}
