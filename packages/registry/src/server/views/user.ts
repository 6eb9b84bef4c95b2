import type { ApiTokenRow, UserRow } from '../../db/schema.ts';

export const userView = (u: UserRow) => ({ id: u.id, username: u.username, email: u.email, created_at: u.created_at });

export const tokenView = (t: ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  scopes: JSON.parse(t.scopes) as string[],
  packages: t.packages === null ? null : (JSON.parse(t.packages) as string[]),
  created_at: t.created_at,
  last_used_at: t.last_used_at,
  expires_at: t.expires_at,
});
