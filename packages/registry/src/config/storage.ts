import { join } from 'node:path';
import type { EnvReader } from './config-error.ts';

export type StorageConfig =
  | { type: 'local'; path: string }
  | {
      type: 's3';
      bucket: string;
      region: string;
      endpoint: string | undefined;
      forcePathStyle: boolean;
      prefix: string | undefined;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      redirectDownloads: boolean;
      /** Where uploads are spooled before they go to S3 (the system temp folder by default). */
      stagingDir: string | undefined;
    };

export function readStorage(r: EnvReader, dataDir: string): StorageConfig {
  const type = r.oneOf('REGISTRY_STORAGE_TYPE', ['local', 's3'] as const, 'local');
  if (type === 'local') return { type, path: r.string('REGISTRY_STORAGE_PATH', join(dataDir, 'packages')) };
  const bucket = r.optional('REGISTRY_S3_BUCKET');
  if (bucket === undefined) r.problems.push('REGISTRY_S3_BUCKET is required when REGISTRY_STORAGE_TYPE=s3');
  const accessKeyId = r.optional('AWS_ACCESS_KEY_ID');
  const secretAccessKey = r.optional('AWS_SECRET_ACCESS_KEY');
  return {
    type,
    bucket: bucket ?? '',
    region: r.optional('REGISTRY_S3_REGION') ?? r.optional('AWS_REGION') ?? 'us-east-1',
    endpoint: r.optional('REGISTRY_S3_ENDPOINT'),
    forcePathStyle: r.bool('REGISTRY_S3_FORCE_PATH_STYLE', false),
    prefix: r.optional('REGISTRY_S3_PREFIX'),
    // Without explicit keys the AWS SDK's default chain (profiles, instance roles) applies.
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    redirectDownloads: r.bool('REGISTRY_S3_REDIRECT_DOWNLOADS', false),
    stagingDir: r.optional('REGISTRY_S3_STAGING_DIR'),
  };
}
