import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { createEntryRules, type EntryKind } from './entry-rules.ts';
import { normalizeEntryPath } from './entry-path.ts';
import { parseManifest, type Manifest } from './manifest.ts';
import { quotePath, TarballError } from './tarball-error.ts';

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

export interface TarballFile {
  /** Relative to the package root: the top folder, when the archive has one, is stripped. */
  path: string;
  size: number;
}

export interface TarballContents {
  manifest: Manifest;
  /** Regular files sorted by path, `synapse.json` included. */
  files: TarballFile[];
  /** Sum of the files' sizes. */
  unpackedSize: number;
}

export const MAX_MANIFEST_BYTES = 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Reads a package `.tgz` as it streams in and returns its manifest and file list, without
 * writing anything to disk. Refuses, at the first offending entry, anything that is not a
 * plain tree of regular files and folders, or that is too big once inflated; the streams are
 * destroyed then, so a hostile upload costs no more than the bytes already read.
 */
export function inspectTarball(
  input: Readable,
  limits: TarballLimits = DEFAULT_TARBALL_LIMITS,
): Promise<TarballContents> {
  return new Promise<TarballContents>((resolve, reject) => {
    // An explicit buffer size: Node 22 raised the stream default to 64 KiB, and what gunzip buffers ahead
    // is what a hostile upload gets inflated before we can refuse it.
    const gunzip = createGunzip({ highWaterMark: 16 * 1024 });
    // Compression sniffing stays off: we gunzip ourselves, and a second layer must not be
    // inflated behind our byte count.
    const parser = new Parser({ brotli: false, zstd: false });
    const rules = createEntryRules(limits);
    let settled = false;
    let inputBytes = 0;
    let inputEnded = false;
    let tarBytes = 0;
    let tarHead: Buffer | null = Buffer.alloc(0);
    let tarEnded = false;
    let manifest: Manifest | null = null;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      input.off('data', onInput);
      input.destroy();
      gunzip.destroy();
      // A fresh error: abort() decorates what it is given with tar's own fields.
      parser.abort(new Error('inspection stopped'));
      reject(error);
    };

    const onInput = (chunk: Buffer | string): void => {
      if (settled) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Only the first two bytes are looked at: everything after is gunzip's call.
      for (let i = 0; i < bytes.length && inputBytes + i < GZIP_MAGIC.length; i++) {
        if (bytes[i] !== GZIP_MAGIC[inputBytes + i]) return fail(notGzip());
      }
      inputBytes += bytes.length;
      if (!gunzip.write(bytes)) {
        input.pause();
        gunzip.once('drain', () => input.resume());
      }
    };

    input.on('data', onInput);
    input.once('end', () => {
      inputEnded = true;
      if (settled) return;
      if (inputBytes < GZIP_MAGIC.length) return fail(notGzip());
      gunzip.end();
    });
    input.once('error', fail);
    input.once('close', () => {
      if (!inputEnded) {
        fail(new TarballError('tarball_gzip_corrupt', 'The upload stopped before the whole tarball was received; send it again'));
      }
    });

    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      tarBytes += chunk.length;
      if (tarBytes > limits.maxUnpackedBytes) {
        return fail(
          new TarballError(
            'tarball_too_large_unpacked',
            `The tarball inflates to more than ${limits.maxUnpackedBytes} bytes; leave build output and large assets out of the package`,
          ),
        );
      }
      // Past the end-of-archive blocks the parser would only buffer; the bytes still count above.
      if (tarEnded) return;
      if (tarHead !== null) {
        tarHead = Buffer.concat([tarHead, chunk]);
        if (tarHead.length < GZIP_MAGIC.length) return;
        if (tarHead[0] === GZIP_MAGIC[0] && tarHead[1] === GZIP_MAGIC[1]) {
          return fail(notTar('it is gzip-compressed twice'));
        }
        chunk = tarHead;
        tarHead = null;
      }
      parser.write(chunk);
    });
    gunzip.once('end', () => {
      if (settled) return;
      if (tarHead !== null && tarHead.length > 0) parser.write(tarHead);
      parser.end();
    });
    gunzip.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        tarBytes === 0 && error.code === 'Z_DATA_ERROR'
          ? notGzip()
          : new TarballError(
              'tarball_gzip_corrupt',
              `The gzip stream is damaged (${error.message}); pack and upload the tarball again`,
              { cause: error },
            ),
      );
    });

    parser.on('warn', (_code: string, message: string | Error) => {
      fail(notTar(message instanceof Error ? message.message : message));
    });
    parser.on('error', (error: Error) => fail(notTar(error.message)));
    parser.on('eof', () => {
      tarEnded = true;
    });
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      entry.resume();
      fail(
        entry.meta
          ? notTar(`an extended header before ${quotePath(entry.path)} is larger than the tar parser accepts`)
          : specialEntry(entry),
      );
    });
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) {
        entry.resume();
        return;
      }
      try {
        const path = normalizeEntryPath(entry.path);
        const kind = entryKind(entry);
        if (path === '' && kind === 'dir') {
          entry.resume();
          return;
        }
        if (path === '') throw notTar(`entry ${quotePath(entry.path)} is a file without a name`);
        if (rules.accept(path, kind, entry.size)) {
          readManifest(entry, path);
        } else {
          entry.resume();
        }
      } catch (error) {
        entry.resume();
        fail(error);
      }
    });
    parser.on('end', () => {
      if (settled) return;
      try {
        const listing = rules.finish();
        // finish() found the manifest entry, so a null here means its body never completed.
        if (manifest === null) throw notTar('synapse.json ends early');
        settled = true;
        resolve({ manifest, ...listing });
      } catch (error) {
        fail(error);
      }
    });

    function readManifest(entry: ReadEntry, path: string): void {
      if (entry.size > MAX_MANIFEST_BYTES) {
        throw new TarballError(
          'manifest_too_large',
          `${quotePath(path)} is ${entry.size} bytes; a manifest may be at most ${MAX_MANIFEST_BYTES} bytes`,
          { path },
        );
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.once('end', () => {
        if (settled) return;
        try {
          manifest = parseManifest(decodeManifest(Buffer.concat(chunks), path));
        } catch (error) {
          fail(error);
        }
      });
    }
  });
}

function entryKind(entry: ReadEntry): EntryKind {
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
      return 'dir';
    case 'Link':
    case 'SymbolicLink':
      throw new TarballError(
        'tarball_link_entry',
        `Entry ${quotePath(entry.path)} is a ${entry.type === 'Link' ? 'hard link' : 'symbolic link'} to ${quotePath(entry.linkpath ?? '')}; packages may hold only regular files and folders, so copy the target in instead`,
        { path: entry.path },
      );
    default:
      throw specialEntry(entry);
  }
}

function specialEntry(entry: ReadEntry): TarballError {
  const kind = entry.type === 'Unsupported' ? 'an entry of an unknown type' : `a ${entry.type} entry`;
  return new TarballError(
    'tarball_special_entry',
    `Entry ${quotePath(entry.path)} is ${kind}; packages may hold only regular files and folders`,
    { path: entry.path },
  );
}

function decodeManifest(bytes: Buffer, path: string): unknown {
  let json: unknown;
  try {
    // fatal: invalid UTF-8 is an error rather than silently replaced; a leading BOM is dropped.
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new TarballError(
      'manifest_invalid_json',
      `${quotePath(path)} is not valid UTF-8 JSON (${error instanceof Error ? error.message : String(error)}); fix the syntax and pack again`,
      { path, cause: error },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TarballError(
      'manifest_invalid_json',
      `${quotePath(path)} must hold a JSON object such as {"name": "my-package", "version": "1.0.0"}`,
      { path },
    );
  }
  return json;
}

const notGzip = () =>
  new TarballError('tarball_not_gzip', 'The body is not gzip data; upload the package as a gzip-compressed tar (.tgz)');

const notTar = (detail: string) =>
  new TarballError('tarball_not_tar', `The gzip data is not a valid tar archive (${detail}); create the tarball with a standard tar tool`);
