/**
 * The one reader of package tarballs, used by the registry at publish and by the client at
 * install, so the two cannot disagree about what a package is. It streams: one gzip member, then
 * the tar, then nothing but zeros; every entry through the path, type, mode and layout rules as
 * it arrives. The first refusal destroys the input, so a hostile upload costs no more than the
 * bytes already read.
 */
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { checkEntryMode, entryKind, specialEntry } from './entry-kind.ts';
import { createEntryRules, type ArchiveListing, type EntryKind } from './entry-rules.ts';
import { normalizeEntryPath } from './entry-path.ts';
import { createGzipMember } from './gzip-member.ts';
import { decodeManifest } from './manifest-json.ts';
import { parseManifest, type Manifest } from './manifest.ts';
import { createTarEnd } from './tar-end.ts';
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

export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** An entry as the client writes it: path relative to the package root, mode as installed. */
export interface ArchiveEntry {
  path: string;
  kind: EntryKind;
  mode: number | undefined;
  /** The file's bytes (empty for folders). */
  data: Buffer;
}

export interface ArchiveContents extends ArchiveListing {
  manifest: Manifest;
  /** Every file and folder with its bytes, when asked for with `keepData`. */
  entries: ArchiveEntry[];
}

export interface ReadArchiveOptions {
  limits?: TarballLimits;
  /** Keep every file's bytes (the client, to write them); the registry only looks. */
  keepData?: boolean;
}

// What gunzip may inflate ahead of us is what a hostile upload gets inflated before the refusal;
// set explicitly because Node 22 raised the stream default to 64 KiB.
const INFLATE_BUFFER = 16 * 1024;

/** Reads a package `.tgz` from `input`; rejects with a TarballError (or a manifest validation error). */
export function readArchive(input: Readable, options: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  const limits = options.limits ?? DEFAULT_TARBALL_LIMITS;
  return new Promise<ArchiveContents>((resolve, reject) => {
    // Compression sniffing stays off: a second layer must not be inflated behind our byte count.
    const parser = new Parser({ brotli: false, zstd: false });
    const rules = createEntryRules(limits);
    const tarEnd = createTarEnd(parser);
    const entries: ArchiveEntry[] = [];
    let settled = false;
    let inputEnded = false;
    let tarBytes = 0;
    let tarHead: Buffer | null = Buffer.alloc(0);
    let manifest: Manifest | null = null;
    let manifestPath = '';

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      input.off('data', onInput);
      input.destroy();
      gzip.destroy();
      // A fresh error: abort() decorates what it is given with tar's own fields.
      parser.abort(new Error('inspection stopped'));
      reject(error);
    };
    const guarded = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        fail(error);
      }
    };

    const gzip = createGzipMember(
      {
        data: (chunk) => guarded(() => onTar(chunk)),
        end: () => guarded(() => {
          if (tarHead !== null && tarHead.length > 0) tarEnd.write(tarHead);
          tarEnd.end();
        }),
        error: fail,
      },
      INFLATE_BUFFER,
    );

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

    function onTar(chunk: Buffer): void {
      if (settled) return;
      tarBytes += chunk.length;
      if (tarBytes > limits.maxUnpackedBytes) {
        throw new TarballError(
          'tarball_too_large_unpacked',
          `The tarball inflates to more than ${limits.maxUnpackedBytes} bytes; leave build output and large assets out of the package`,
        );
      }
      if (tarHead !== null) {
        tarHead = Buffer.concat([tarHead, chunk]);
        if (tarHead.length < 2) return;
        if (tarHead[0] === 0x1f && tarHead[1] === 0x8b) throw notTar('it is gzip-compressed twice');
        chunk = tarHead;
        tarHead = null;
      }
      tarEnd.write(chunk);
    }

    parser.on('warn', (_code: string, message: string | Error) => {
      fail(notTar(message instanceof Error ? message.message : message));
    });
    parser.on('error', (error: Error) => fail(notTar(error.message)));
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      entry.resume();
      fail(
        entry.meta
          ? notTar(`an extended header before ${quotePath(entry.path)} is larger than the tar parser accepts`)
          : specialEntry(entry),
      );
    });
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) return void entry.resume();
      try {
        onEntry(entry);
      } catch (error) {
        entry.resume();
        fail(error);
      }
    });
    parser.on('end', () => {
      if (settled) return;
      guarded(() => {
        const listing = rules.finish();
        // finish() found the manifest entry, so a null here means its body never completed.
        if (manifest === null) throw notTar('synapse.json ends early');
        settled = true;
        resolve({ manifest, ...listing, entries: stripTop(entries, manifestPath) });
      });
    });

    function onEntry(entry: ReadEntry): void {
      const path = normalizeEntryPath(entry.path);
      const kind = entryKind(entry);
      if (path === '' && kind === 'dir') return void entry.resume();
      if (path === '') throw notTar(`entry ${quotePath(entry.path)} is a file without a name`);
      checkEntryMode(path, entry.mode);
      const isManifest = rules.accept(path, kind, entry.size);
      if (isManifest) checkManifestSize(path, entry.size);
      const keep = options.keepData === true || isManifest;
      if (!keep) return void entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.once('end', () => {
        if (settled) return;
        const data = Buffer.concat(chunks);
        if (options.keepData === true) entries.push({ path, kind, mode: entry.mode, data });
        if (!isManifest) return;
        manifestPath = path;
        guarded(() => {
          manifest = parseManifest(decodeManifest(data, path));
        });
      });
    }
  });
}

function checkManifestSize(path: string, size: number): void {
  if (size > MAX_MANIFEST_BYTES) {
    throw new TarballError(
      'manifest_too_large',
      `${quotePath(path)} is ${size} bytes; a manifest may be at most ${MAX_MANIFEST_BYTES} bytes`,
      { path },
    );
  }
}

/** Entries relative to the package root: the manifest's folder (such as `package/`) taken off. */
function stripTop(entries: ArchiveEntry[], manifestPath: string): ArchiveEntry[] {
  const slash = manifestPath.indexOf('/');
  if (slash === -1) return entries;
  const top = manifestPath.slice(0, slash + 1);
  return entries
    .filter((e) => e.path !== top.slice(0, -1))
    .map((e) => ({ ...e, path: e.path.slice(top.length) }));
}

const notTar = (detail: string) =>
  new TarballError('tarball_not_tar', `The gzip data is not a valid tar archive (${detail}); create the tarball with a standard tar tool`);
