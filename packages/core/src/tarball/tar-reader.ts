/**
 * The tar half of the archive reader: inflated bytes in, every entry through the type, path, mode
 * and layout rules as it arrives, the manifest parsed, file bodies kept when asked for.
 */
import { Parser, type ReadEntry } from 'tar';
import { checkEntryMode, entryKind, specialEntry } from './entry-kind.ts';
import { createEntryRules, type ArchiveListing, type EntryKind, type EntryLimits } from './entry-rules.ts';
import { normalizeEntryPath } from './entry-path.ts';
import { decodeManifest } from './manifest-json.ts';
import { parseManifest, type Manifest } from './manifest.ts';
import { createTarEnd } from './tar-end.ts';
import { quotePath, TarballError } from './tarball-error.ts';
import { createReadmeCapture, type Readme } from './readme-capture.ts';
import type { SecretFinding } from './secret-scan.ts';
import type { SecretScanSession } from './secret-scan-session.ts';

export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** An entry as the client writes it: path relative to the package root, mode as packed. */
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
  /** The README beside the manifest, when asked for with `readmeBytes`. */
  readme: Readme | null;
  /** Credentials found in text files, when asked for with `scanSecrets` (paths relative to the package root). */
  secrets: SecretFinding[];
}

export interface TarReaderOptions {
  limits: EntryLimits;
  keepData: boolean;
  /** Keep the first this many bytes of the README beside the manifest (the registry, at publish). */
  readmeBytes?: number;
  /** Where every file goes to be scanned for credentials as it streams by (the registry, at publish). */
  secrets?: SecretScanSession;
  /** The first refusal; nothing is reported after it. */
  fail(error: unknown): void;
  done(contents: ArchiveContents): void;
}

export interface TarReader {
  /** Inflated bytes, in order; throws a TarballError at the first refusal. */
  write(chunk: Buffer): void;
  end(): void;
  abort(): void;
}

export function createTarReader(options: TarReaderOptions): TarReader {
  const { limits } = options;
  // Compression sniffing stays off: a second layer must not be inflated behind our byte count.
  const parser = new Parser({ brotli: false, zstd: false });
  const rules = createEntryRules(limits);
  const tarEnd = createTarEnd(parser);
  const entries: ArchiveEntry[] = [];
  let stopped = false;
  let tarBytes = 0;
  let head: Buffer | null = Buffer.alloc(0);
  let manifest: Manifest | null = null;
  let manifestPath = '';
  const readmes = options.readmeBytes === undefined ? null : createReadmeCapture(options.readmeBytes);

  const fail = (error: unknown): void => {
    if (stopped) return;
    stopped = true;
    options.fail(error);
  };

  parser.on('warn', (_code: string, message: string | Error) => fail(notTar(message instanceof Error ? message.message : message)));
  parser.on('error', (error: Error) => fail(notTar(error.message)));
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    entry.resume();
    fail(
      entry.meta ? notTar(`an extended header before ${quotePath(entry.path)} is larger than the tar parser accepts`) : specialEntry(entry),
    );
  });
  parser.on('entry', (entry: ReadEntry) => {
    if (stopped) return void entry.resume();
    try {
      onEntry(entry);
    } catch (error) {
      entry.resume();
      fail(error);
    }
  });
  parser.on('end', () => {
    if (stopped) return;
    try {
      const listing = rules.finish();
      // finish() found the manifest entry, so a null here means its body never completed.
      if (manifest === null) throw notTar('synapse.json ends early');
      stopped = true;
      const readme = readmes?.pick(manifestPath) ?? null;
      const contents = { manifest, ...listing, entries: stripTop(entries, manifestPath), readme };
      // Done only once every file is scanned (on a worker thread, the findings are still to come).
      const found: Promise<SecretFinding[]> = options.secrets?.finish() ?? Promise.resolve([]);
      void found.then(
        (secrets) => options.done({ ...contents, secrets: secrets.map((f) => ({ ...f, path: stripTopPath(f.path, manifestPath) })) }),
        options.fail,
      );
    } catch (error) {
      fail(error);
    }
  });

  function onEntry(entry: ReadEntry): void {
    const path = normalizeEntryPath(entry.path);
    const kind = entryKind(entry);
    if (path === '' && kind === 'dir') return void entry.resume();
    if (path === '') throw notTar(`entry ${quotePath(entry.path)} is a file without a name`);
    checkEntryMode(path, entry.mode);
    const isManifest = rules.accept(path, kind, entry.size);
    if (isManifest) checkManifestSize(path, entry.size);
    const readmeSink = kind === 'file' && !isManifest ? (readmes?.offer(path, entry.size) ?? null) : null;
    const scan = kind === 'file' ? (options.secrets?.open(path) ?? null) : null;
    if (scan) {
      entry.on('data', (chunk: Buffer) => scan.write(chunk));
      entry.once('end', () => scan.end());
    }
    if (!options.keepData && !isManifest) {
      if (readmeSink) entry.on('data', readmeSink);
      return void entry.resume();
    }
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      readmeSink?.(chunk);
    });
    entry.once('end', () => {
      if (stopped) return;
      const data = Buffer.concat(chunks);
      if (options.keepData) entries.push({ path, kind, mode: entry.mode, data });
      if (!isManifest) return;
      manifestPath = path;
      try {
        manifest = parseManifest(decodeManifest(data, path));
      } catch (error) {
        fail(error);
      }
    });
  }

  return {
    write(chunk) {
      if (stopped) return;
      tarBytes += chunk.length;
      if (tarBytes > limits.maxUnpackedBytes) {
        throw new TarballError(
          'tarball_too_large_unpacked',
          `The tarball inflates to more than ${limits.maxUnpackedBytes} bytes; leave build output and large assets out of the package`,
        );
      }
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 2) return;
        if (head[0] === 0x1f && head[1] === 0x8b) throw notTar('it is gzip-compressed twice');
        chunk = head;
        head = null;
      }
      tarEnd.write(chunk);
    },
    end() {
      if (stopped) return;
      if (head !== null && head.length > 0) tarEnd.write(head);
      tarEnd.end();
    },
    abort() {
      stopped = true;
      // A fresh error: abort() decorates what it is given with tar's own fields.
      parser.abort(new Error('inspection stopped'));
    },
  };
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

/** A path relative to the package root. */
function stripTopPath(path: string, manifestPath: string): string {
  const slash = manifestPath.indexOf('/');
  return slash !== -1 && path.startsWith(manifestPath.slice(0, slash + 1)) ? path.slice(slash + 1) : path;
}

/** Entries relative to the package root: the manifest's folder (such as `package/`) taken off. */
function stripTop(entries: ArchiveEntry[], manifestPath: string): ArchiveEntry[] {
  const slash = manifestPath.indexOf('/');
  if (slash === -1) return entries;
  const top = manifestPath.slice(0, slash + 1);
  return entries.filter((e) => e.path !== top.slice(0, -1)).map((e) => ({ ...e, path: e.path.slice(top.length) }));
}

const notTar = (detail: string) =>
  new TarballError('tarball_not_tar', `The gzip data is not a valid tar archive (${detail}); create the tarball with a standard tar tool`);
