import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { RegistryError } from '../../../core/src/errors.ts';
import { assertBlobKey, isBlobKey } from './blob-key.ts';
import { assertRangeShape, rangeNotSatisfiable, resolveRange } from './blob-range.ts';
import type { BlobRange, BlobReader, BlobStore, StoredBlob } from './blob-store.ts';
import { attachmentDisposition } from './content-disposition.ts';
import { isS3NotFound, mapS3Error, s3Status } from './s3-errors.ts';
import { sliceStream } from './slice-stream.ts';
import { assertStagedIn, removeStaleStaging, stageToFile } from './stage.ts';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible services (MinIO, R2, ...). */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Without them the AWS SDK's default credential chain applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Key prefix inside the bucket; a trailing `/` is added when missing. */
  prefix?: string;
  /** Where uploads are staged before they go to S3; defaults to the OS temp dir. */
  stagingDir?: string;
  /** Blobs above this size go up as a multipart upload; default 8 MiB. */
  multipartThresholdBytes?: number;
  /** When true, `downloadUrl` hands out presigned GET URLs. */
  redirectDownloads?: boolean;
  /** Lifetime of presigned URLs; default 300 s. */
  presignExpiresSeconds?: number;
}

const MiB = 1024 * 1024;
const MIN_PART_BYTES = 5 * MiB;
const MAX_PARTS = 10_000;
const STALE_STAGING_MS = 60 * 60 * 1000;

/** `Content-Range: bytes 0-9/100` as numbers. */
function parseContentRange(value: string | undefined): { start: number; end: number; total: number } | undefined {
  const match = value === undefined ? null : /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value.trim());
  return match ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) } : undefined;
}

/**
 * Checks what a ranged GET really returned. HTTP lets a server ignore Range (a 200 with the whole
 * body), and some S3 look-alikes widen the range; both are cut down here so every store serves
 * exactly the requested bytes.
 */
function servedRange(body: Readable, range: BlobRange, contentRange: string | undefined, contentLength: number | undefined): BlobReader {
  const served = parseContentRange(contentRange);
  const size = served?.total ?? contentLength;
  if (size === undefined) throw new Error('S3 answered a ranged GET without Content-Range or Content-Length');
  const wanted = resolveRange(range, size);
  const bodyStart = served?.start ?? 0;
  const bodyEnd = served?.end ?? size - 1;
  if (bodyStart === wanted.start && bodyEnd === wanted.end) return { stream: body, size, range: wanted };
  if (bodyStart > wanted.start || bodyEnd < wanted.end) {
    throw new Error(`S3 served bytes ${bodyStart}-${bodyEnd} for a request of ${wanted.start}-${wanted.end}`);
  }
  const stream = sliceStream(body, wanted.start - bodyStart, wanted.end - wanted.start + 1);
  return { stream, size, range: wanted };
}

const fileExists = (path: string) =>
  stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );

/** A blob store on S3 or an S3-compatible service. Blob keys are `<prefix><sha256>`. */
export async function createS3Store(options: S3StoreOptions): Promise<BlobStore> {
  // Loaded here rather than at the top: a registry on the local folder never loads the SDK (about
  // 0.25 s of CPU at every start, paid by each test process too).
  const { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } =
    await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const { bucket } = options;
  const prefix = options.prefix ? options.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
  const stagingDir = resolve(options.stagingDir ?? tmpdir());
  const multipartThreshold = options.multipartThresholdBytes ?? 8 * MiB;
  const presignExpires = options.presignExpiresSeconds ?? 300;
  await mkdir(stagingDir, { recursive: true });
  await removeStaleStaging(stagingDir, STALE_STAGING_MS);

  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // We hash every blob ourselves; the SDK's default CRC trailers (aws-chunked bodies) are not
    // understood by many S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 5_000 },
  });

  const objectKey = (key: string) => {
    assertBlobKey(key);
    return prefix + key;
  };

  /** Sends one command, turning network and 5xx failures into 503s. */
  async function send<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw mapS3Error(err, action);
    }
  }

  /** The object's size, or null when it is missing. */
  async function sizeOf(Key: string): Promise<number | null> {
    try {
      return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key }))).ContentLength ?? 0;
    } catch (err) {
      if (isS3NotFound(err)) return null;
      throw mapS3Error(err, 'head object');
    }
  }

  const exists = async (key: string) => (await sizeOf(objectKey(key))) !== null;

  return {
    kind: 's3',

    stage: (input, { maxBytes }) => stageToFile(input, { dir: stagingDir, maxBytes }),

    async commit(staged) {
      assertStagedIn(staged, stagingDir);
      const key = staged.sha256;
      const Key = objectKey(key);
      if (!(await fileExists(staged.path))) {
        // Committed before (a commit removes the temp file): done if the whole object is there.
        if ((await sizeOf(Key)) === staged.size) return key;
        throw new Error(`cannot commit ${key}: its staged file is gone and the store does not hold it`);
      }
      // Always written, even when the key exists: an object there may be a leftover of an interrupted
      // upload on a store that is not atomic (some S3 look-alikes write as the bytes arrive), and
      // writing it anew makes its LastModified now (see BlobStore.commit). Keys hardly ever repeat:
      // a tarball names its own version, so only a retried publish finds its bytes already there.
      // Both paths are atomic on S3: the key appears only once PutObject or CompleteMultipartUpload
      // succeeds, and a failed multipart upload is aborted.
      if (staged.size <= multipartThreshold) {
        // Small enough to buffer, and a buffer (unlike a stream) lets the SDK retry.
        const Body = await readFile(staged.path);
        await send('put object', () =>
          client.send(
            new PutObjectCommand({ Bucket: bucket, Key, Body, ContentLength: staged.size, ContentType: 'application/octet-stream' }),
          ),
        );
      } else {
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key, Body: createReadStream(staged.path), ContentType: 'application/octet-stream' },
          partSize: Math.max(MIN_PART_BYTES, Math.ceil(staged.size / MAX_PARTS)),
          queueSize: 2,
          leavePartsOnError: false,
        });
        await send('multipart upload', () => upload.done());
      }
      await staged.discard();
      return key;
    },

    async *list(): AsyncIterable<StoredBlob> {
      let ContinuationToken: string | undefined;
      do {
        const page = await send('list objects', () =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken })),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(prefix.length);
          if (key === undefined || !isBlobKey(key)) continue;
          yield { key, modifiedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async open(key, range): Promise<BlobReader | null> {
      const Key = objectKey(key);
      if (range !== undefined) assertRangeShape(range);
      const Range = range === undefined ? undefined : `bytes=${range.start}-${range.end ?? ''}`;
      let response;
      try {
        response = await client.send(new GetObjectCommand({ Bucket: bucket, Key, Range }));
      } catch (err) {
        if (isS3NotFound(err)) return null;
        if (s3Status(err) === 416) {
          // Only the rare unsatisfiable range pays for a second request to learn the size.
          const size = await sizeOf(Key);
          if (size === null) return null;
          throw rangeNotSatisfiable(size);
        }
        throw mapS3Error(err, 'get object');
      }
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error('S3 GetObject did not return a Node stream');
      if (range === undefined) return { stream: body, size: response.ContentLength ?? 0 };
      try {
        return servedRange(body, range, response.ContentRange, response.ContentLength);
      } catch (err) {
        body.destroy();
        throw err;
      }
    },

    async remove(key) {
      const Key = objectKey(key);
      // S3 answers 204 for a missing key too.
      await send('delete object', () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key })));
    },

    exists,

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        throw new RegistryError(503, 'storage_unavailable', `The S3 bucket ${bucket} is not reachable`, { cause: err });
      }
    },

    async downloadUrl(key, { filename, expiresInSeconds }) {
      const Key = objectKey(key);
      if (!options.redirectDownloads) return null;
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key,
        ResponseContentDisposition: attachmentDisposition(filename),
        ResponseContentType: 'application/octet-stream',
      });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds ?? presignExpires });
    },
  };
}
