import { RegistryError } from '../../../core/src/errors.ts';

const BLOB_KEY = /^[0-9a-f]{64}$/;

/** True for a lowercase sha256 hex digest, the only shape a blob key may have. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && BLOB_KEY.test(key);
}

/** Rejects anything but 64 lowercase hex chars, so a key can never smuggle a path or prefix. */
export function assertBlobKey(key: unknown): asserts key is string {
  if (!isBlobKey(key)) {
    throw new RegistryError(400, 'invalid_blob_key', 'A blob key must be a sha256 digest in lowercase hex');
  }
}
