/**
 * Admins: a flag on the account, set only from the server's command line (`npm run admin`), never
 * over HTTP. Each change is audited with no actor, in the same transaction.
 */
import { notFound } from '../../../core/src/errors.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';

export interface AdminChange {
  username: string;
  /** False when the account already was (or was not) an admin: nothing written, nothing audited. */
  changed: boolean;
}

/** Grants or revokes admin; the transition is guarded in SQL, so two runs at once audit one change. */
export async function setAdmin(db: Db, change: { username: string; admin: boolean; now: string }): Promise<AdminChange> {
  const username = change.username.trim().toLowerCase();
  const flag = change.admin ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({ is_admin: flag })
      .where('username', '=', username)
      .where('is_admin', '<>', flag)
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      const user = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      if (!user)
        throw notFound(
          'user_not_found',
          `No account is named "${username}": check the spelling (run "npm run admin -- list" to see admins)`,
        );
      return { username, changed: false };
    }
    await recordAudit(trx, {
      action: change.admin ? 'admin_grant' : 'admin_revoke',
      actor: null,
      subjectUserId: Number(updated.id),
      details: { by: 'command line', username },
      at: change.now,
    });
    return { username, changed: true };
  });
}

/** Every admin's username, alphabetically (admins are few). */
export async function listAdmins(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('users').select('username').where('is_admin', '=', 1).orderBy('username').execute();
  return rows.map((r) => r.username);
}
