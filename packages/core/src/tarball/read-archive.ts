/**
 * The one reader of package tarballs, used by the registry at publish and by the client at
 * install, so the two cannot disagree about what a package is. It streams: one gzip member
 * (gzip-member.ts), then the tar (tar-reader.ts), then nothing but zeros (tar-end.ts); every entry
 * goes through the path, type, mode and layout rules as it arrives. The first refusal destroys
 * the input, so a hostile upload costs no more than the bytes already read.
 */
import type { Readable } from 'node:stream';
import { createGzipMember } from './gzip-member.ts';
import { createTarReader, type ArchiveContents } from './tar-reader.ts';
import { TarballError } from './tarball-error.ts';
import { inlineScanSession, type SecretScanSessions } from './secret-scan-session.ts';

export { MAX_MANIFEST_BYTES, type ArchiveContents, type ArchiveEntry } from './tar-reader.ts';

export interface TarballLimits {
  /** Entries of any kind, directories included. */
  maxEntries: number;
  /** Bytes of uncompressed tar stream, counted as they leave gunzip. */
  maxUnpackedBytes: number;
}

export const DEFAULT_TARBALL_LIMITS: Readonly<TarballLimits> = Object.freeze({
  maxEntries: 10_000,
  maxUnpackedBytes: 512 * 1024 * 1024,
});

export interface ReadArchiveOptions {
  limits?: TarballLimits;
  /** Keep every file's bytes (the client, to write them); the registry only looks. */
  keepData?: boolean;
  /** Keep the first this many bytes of the README beside the manifest. */
  readmeBytes?: number;
  /** Scan every file for credentials (see secret-scan.ts). */
  scanSecrets?: boolean;
  /** Where to scan them (a worker thread: secret-scan-thread.ts); on this thread without it. */
  scanThread?: SecretScanSessions;
}

// What zlib may inflate ahead of us is what a hostile upload gets inflated before the refusal; set
// explicitly because Node 22 raised the stream default to 64 KiB.
const INFLATE_BUFFER = 16 * 1024;

/** Reads a package `.tgz` from `input`; rejects with a TarballError (or a manifest validation error). */
export function readArchive(input: Readable, options: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  return new Promise<ArchiveContents>((resolve, reject) => {
    let settled = false;
    let inputEnded = false;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      input.off('data', onInput);
      input.destroy();
      gzip.destroy();
      tar.abort();
      secrets?.abort();
      reject(error);
    };
    const guarded = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        fail(error);
      }
    };

    const secrets = options.scanSecrets !== true ? null : (options.scanThread?.session(fail) ?? inlineScanSession());
    const tar = createTarReader({
      limits: options.limits ?? DEFAULT_TARBALL_LIMITS,
      keepData: options.keepData === true,
      ...(options.readmeBytes === undefined ? {} : { readmeBytes: options.readmeBytes }),
      ...(secrets === null ? {} : { secrets }),
      fail,
      done: (contents) => {
        if (settled) return;
        settled = true;
        resolve(contents);
      },
    });
    // Inflating waits while the scanning thread is behind, so what waits for it stays bounded.
    const resumeInflate = (): void => {
      if (!settled) gzip.resume();
    };
    const gzip = createGzipMember(
      {
        data: (chunk) =>
          guarded(() => {
            tar.write(chunk);
            if (secrets?.full(resumeInflate)) gzip.pause();
          }),
        end: () => guarded(() => tar.end()),
        error: fail,
      },
      INFLATE_BUFFER,
    );

    // One chunk at a time: the next is read once zlib has taken this one (backpressure).
    const onInput = (chunk: Buffer | string): void => {
      if (settled) return;
      input.pause();
      gzip.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, () => {
        if (!settled) input.resume();
      });
    };
    input.on('data', onInput);
    input.once('end', () => {
      inputEnded = true;
      if (!settled) gzip.end();
    });
    input.once('error', fail);
    input.once('close', () => {
      if (!inputEnded) {
        fail(new TarballError('tarball_gzip_corrupt', 'The upload stopped before the whole tarball was received; send it again'));
      }
    });
  });
}
