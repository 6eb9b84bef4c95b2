/**
 * Table types as Kysely sees them. Timestamps are ISO-8601 UTC strings on every dialect, so
 * rows compare and sort the same way on SQLite and PostgreSQL.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  created_at: string;
  is_active: number;
  /** Sessions signed with an older generation are logged out ("log out everywhere"). */
  session_generation: Generated<number>;
}

export interface PackagesTable {
  id: Generated<number>;
  name: string;
  canonical_name: string;
  description: string | null;
  author: string | null;
  license: string | null;
  homepage: string | null;
  repository: string | null;
  keywords: string;
  latest_version: string | null;
  downloads: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface PackageOwnersTable {
  package_id: number;
  user_id: number;
  created_at: string;
}

export interface VersionsTable {
  id: Generated<number>;
  package_id: number;
  version: string;
  checksum: string;
  integrity: string;
  size: number;
  dependencies: string;
  keywords: string;
  description: string | null;
  author: string | null;
  license: string | null;
  homepage: string | null;
  repository: string | null;
  published_by: number;
  published_at: string;
  downloads: Generated<number>;
  /** Deleted versions keep their row, so their number is never reused. */
  deleted_at: string | null;
}

export interface DownloadCountsTable {
  version_id: number;
  day: string;
  count: number;
}

export interface DownloadLogTable {
  id: Generated<number>;
  version_id: number;
  ip: string;
  user_agent: string | null;
  downloaded_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string;
  packages: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** Logged-out session JWTs by `jti`, until they expire on their own. */
export interface RevokedSessionsTable {
  jti: string;
  user_id: number;
  expires_at: string;
}

export interface Database {
  users: UsersTable;
  packages: PackagesTable;
  package_owners: PackageOwnersTable;
  versions: VersionsTable;
  download_counts: DownloadCountsTable;
  download_log: DownloadLogTable;
  api_tokens: ApiTokensTable;
  revoked_sessions: RevokedSessionsTable;
}

export type UserRow = Selectable<UsersTable>;
export type PackageRow = Selectable<PackagesTable>;
export type VersionRow = Selectable<VersionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewVersion = Insertable<VersionsTable>;
