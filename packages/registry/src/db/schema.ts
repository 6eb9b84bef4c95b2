/**
 * Table types as Kysely sees them. Timestamps are ISO-8601 UTC strings on every dialect, so
 * rows compare and sort the same way on SQLite and PostgreSQL.
 */
import type { ChangeTables } from './schema-changes.ts';
import type { Generated, Insertable, Selectable } from 'kysely';
import type { WebhookTables } from './schema-webhooks.ts';
import type { FleetTables } from './schema-fleet.ts';
import type { UpstreamTables } from './schema-upstream.ts';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  created_at: string;
  is_active: number;
  /** Sessions signed with an older generation are logged out ("log out everywhere"). */
  session_generation: Generated<number>;
  /** Set only by `npm run admin -- grant NAME`; never self-service. */
  is_admin: Generated<number>;
}

/** A package's or a version's deprecation: set together, cleared together. */
export interface DeprecationColumns {
  deprecation_reason: string | null;
  deprecation_message: string | null;
  deprecation_replacement: string | null;
  deprecated_at: string | null;
  /** Username of who deprecated it. */
  deprecated_by: string | null;
}

export interface PackagesTable extends DeprecationColumns {
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
  /** A locked package takes no new versions (an admin action, with a reason). */
  locked_at: string | null;
  locked_reason: string | null;
  locked_by: string | null;
}

export interface PackageOwnersTable {
  package_id: number;
  user_id: number;
  created_at: string;
}

export interface VersionsTable extends DeprecationColumns {
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
  /** Yanked versions still download but are never picked by a new resolution. */
  yanked_at: string | null;
  yank_reason: string | null;
  /** Username of who yanked it. */
  yanked_by: string | null;
}

/** Named pointers to versions (`beta`, `next`); an explicit `latest` overrides the computed one. */
export interface DistTagsTable {
  package_id: number;
  tag: string;
  version: string;
  updated_at: string;
  updated_by: string;
}

export interface OwnerInvitationsTable {
  id: Generated<number>;
  package_id: number;
  invitee_id: number;
  inviter_id: number;
  created_at: string;
  expires_at: string;
}

/** Names no one may publish under until an admin releases them. */
export interface ReservedNamesTable {
  canonical_name: string;
  name: string;
  reason: string | null;
  reserved_by: string;
  created_at: string;
}

/** Append-only (a trigger refuses UPDATE and DELETE): who did what, to which package, from where. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  action: string;
  actor_id: number | null;
  actor_username: string | null;
  token_id: number | null;
  /** The account an entry is about when it is not the actor's (invitee, failed login's account). */
  subject_user_id: number | null;
  package_id: number | null;
  package_name: string | null;
  version: string | null;
  /** JSON object. */
  details: string;
  ip: string | null;
  user_agent: string | null;
}

/** Per-action token buckets (burst, then a steady rate), for registries without Redis. */
export interface ActionBucketsTable {
  action: string;
  subject: string;
  tokens: number;
  /** Epoch milliseconds. */
  refilled_at: number;
}

/** One row per dependency of a version, by the dependency's canonical name: who depends on a package. */
export interface VersionDependenciesTable {
  version_id: number;
  dependency: string;
  range: string;
}

/** A version's README as published (cut at the size cap; `truncated` 1 then). */
export interface VersionReadmesTable {
  version_id: number;
  body: string;
  /** Sanitised HTML, rendered at publish. */
  html: string;
  size: number;
  truncated: number;
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

export type JobState = 'queued' | 'running' | 'done' | 'dead';

/** The durable job queue (packages/registry/src/jobs). A running job's `run_at` equals `locked_until`: when it may be claimed again. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON text. */
  payload: string;
  /** Jobs sharing a key run one at a time, in id order. */
  ordering_key: string | null;
  state: Generated<JobState>;
  /** Runs started so far, counting the one in progress. */
  attempts: Generated<number>;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** Security advisories (migration 0020): the OSV document and what the API filters and sorts on. */
export interface AdvisoriesTable {
  seq: Generated<number>;
  /** The OSV id (SYN-2025-0001, GHSA-…). */
  id: string;
  summary: string;
  /** low | moderate | high | critical; null when unknown. */
  level: string | null;
  published: string;
  modified: string;
  withdrawn: string | null;
  /** The OSV document, JSON. */
  document: string;
  /** Moves on every change: the key parsed copies are cached under. */
  revision: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** The packages an advisory names. */
export interface AdvisoryPackagesTable {
  advisory_seq: number;
  package_id: number;
  canonical_name: string;
  /** The advisory's revision, repeated so the bulk query needs no join. */
  revision: number;
}

/** The other ids an advisory is known by (migration 0026), lower-cased. */
export interface AdvisoryAliasesTable {
  alias_key: string;
  advisory_seq: number;
}

export interface Database extends WebhookTables, ChangeTables, FleetTables, UpstreamTables {
  users: UsersTable;
  packages: PackagesTable;
  package_owners: PackageOwnersTable;
  versions: VersionsTable;
  download_counts: DownloadCountsTable;
  download_log: DownloadLogTable;
  api_tokens: ApiTokensTable;
  revoked_sessions: RevokedSessionsTable;
  dist_tags: DistTagsTable;
  owner_invitations: OwnerInvitationsTable;
  reserved_names: ReservedNamesTable;
  audit_log: AuditLogTable;
  action_buckets: ActionBucketsTable;
  version_dependencies: VersionDependenciesTable;
  jobs: JobsTable;
  version_readmes: VersionReadmesTable;
  advisories: AdvisoriesTable;
  advisory_packages: AdvisoryPackagesTable;
  advisory_aliases: AdvisoryAliasesTable;
}

export type UserRow = Selectable<UsersTable>;
export type PackageRow = Selectable<PackagesTable>;
export type VersionRow = Selectable<VersionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewVersion = Insertable<VersionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type AdvisoryRow = Selectable<AdvisoriesTable>;
