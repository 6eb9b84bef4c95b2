/** Tables of migration 0024: pull-through's cache of an upstream registry (packages/registry/src/mirror). */
export interface UpstreamDocumentsTable {
  /** `package:<canonical name>` or `version:<canonical name>@<version>`. */
  key: string;
  canonical_name: string;
  /** The upstream's JSON as it sent it (its own tarball URLs; rewritten when served). */
  body: string;
  fetched_at: string;
}

/** A tarball fetched through pull-through and verified against the upstream's integrity. */
export interface UpstreamTarballsTable {
  canonical_name: string;
  version: string;
  /** sha256 hex: the blob's key. */
  checksum: string;
  integrity: string;
  size: number;
  stored_at: string;
}

/** Migration 0025: a full mirror's cursor in its primary's changes feed. */
export interface MirrorStateTable {
  upstream: string;
  cursor: string;
  updated_at: string;
}

export interface UpstreamTables {
  mirror_state: MirrorStateTable;
  upstream_documents: UpstreamDocumentsTable;
  upstream_tarballs: UpstreamTarballsTable;
}
