import { RegistryError } from '../../../core/src/errors.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

const shape = (err: unknown): SdkErrorShape => (typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {});

/** The HTTP status S3 answered with, or undefined when no response came back. */
export function s3Status(err: unknown): number | undefined {
  return shape(err).$metadata?.httpStatusCode;
}

export function isS3NotFound(err: unknown): boolean {
  const { name } = shape(err);
  return s3Status(err) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** True when S3 could not be reached or failed on its side, as opposed to refusing our request. */
export function isS3Unavailable(err: unknown): boolean {
  const { name, code, $metadata } = shape(err);
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  // The SDK attaches $metadata to every error of a sent request; without a status the request never got an answer.
  return $metadata !== undefined || name === 'TimeoutError';
}

/** Rethrows network and 5xx failures as 503 `storage_unavailable`, anything else unchanged. */
export function mapS3Error(err: unknown, action: string): unknown {
  if (!isS3Unavailable(err)) return err;
  return new RegistryError(503, 'storage_unavailable', `Blob storage is unavailable (${action})`, { cause: err });
}
