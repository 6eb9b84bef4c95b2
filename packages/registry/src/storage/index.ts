import type { BlobStore } from './blob-store.ts';
import { createLocalStore } from './local.ts';
import { createS3Store, type S3StoreOptions } from './s3.ts';

export type { BlobRange, BlobReader, BlobStore, StagedBlob } from './blob-store.ts';
export type { S3StoreOptions } from './s3.ts';
export { assertBlobKey, isBlobKey } from './blob-key.ts';
export { createLocalStore } from './local.ts';
export { createS3Store } from './s3.ts';
export { MAX_HELD_BLOB_BYTES, withBlobCache, type BlobCacheOptions, type BlobCacheStats, type CachedBlobStore } from './blob-cache.ts';
export { timedStore, type OnStorageOp } from './timed-store.ts';

export type BlobStoreConfig = { type: 'local'; path: string } | ({ type: 's3' } & S3StoreOptions);

/** Builds the configured blob store; the local one creates its folders, neither contacts S3 yet. */
export function createBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  return config.type === 'local' ? createLocalStore({ root: config.path }) : createS3Store(config);
}
