import type { Readable } from 'node:stream';

/** An upload written to a temp file and measured, waiting for `commit` or `discard`. */
export interface StagedBlob {
  path: string;
  size: number;
  /** Lowercase hex; becomes the blob's key. */
  sha256: string;
  /** Base64, as npm-style `integrity` strings want it. */
  sha512: string;
  /** Removes the temp file; safe to call twice or after `commit`. */
  discard(): Promise<void>;
}

export interface BlobRange {
  start: number;
  /** Inclusive, as in an HTTP Range header; clamped to the last byte. */
  end?: number;
}

export interface BlobReader {
  stream: Readable;
  /** Size of the whole blob, not of the range. */
  size: number;
  /** The bytes actually served, present only when a range was asked for. */
  range?: { start: number; end: number };
  /** The whole blob in memory, when it came from the cache: cheaper to send than the stream. */
  bytes?: Buffer;
  /**
   * Reads the whole blob into memory, when the store can do so more cheaply than through `stream`
   * (the local store: one read into a buffer of its size). A caller uses `stream` or this, not both.
   */
  whole?: () => Promise<Buffer>;
}

export interface StoredBlob {
  key: string;
  modifiedAt: Date;
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /**
   * Streams `input` to a temp file while hashing and counting it. Past `maxBytes` it stops
   * reading and throws RegistryError 413 `tarball_too_large`; the input is left undestroyed so
   * an HTTP caller can still answer. Input errors propagate. Either way no temp file remains.
   */
  stage(input: Readable, options: { maxBytes: number }): Promise<StagedBlob>;
  /**
   * Makes the staged bytes readable under their sha256 key, atomically, and removes the temp
   * file. Idempotent when the key already exists, whose modification time it then refreshes: a
   * sweep of unreferenced blobs spares recent ones, so it never takes a blob that a publish is
   * about to refer to. On failure the staged file is kept so the caller can retry or discard it.
   */
  commit(staged: StagedBlob): Promise<string>;
  /** Every committed blob, in no particular order, with when it was last written or committed. */
  list(): AsyncIterable<StoredBlob>;
  /** Null when the key is missing. A range starting past the end throws 416. */
  open(key: string, range?: BlobRange): Promise<BlobReader | null>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Throws RegistryError 503 `storage_unavailable` when the store cannot be used. */
  ping(): Promise<void>;
  /** A short-lived direct URL when the store redirects downloads, else null. */
  downloadUrl(key: string, options: { filename: string; expiresInSeconds?: number }): Promise<string | null>;
}
