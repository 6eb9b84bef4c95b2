import { quotePath, TarballError } from './tarball-error.ts';

export type EntryKind = 'file' | 'dir';

export interface EntryLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
}

export interface ArchiveListing {
  /** Regular files, relative to the package root (top folder stripped), sorted by path. */
  files: { path: string; size: number }[];
  /** Sum of the regular files' sizes. */
  unpackedSize: number;
}

/**
 * The archive-wide rules, applied one entry at a time as the tar streams by: limits, duplicate,
 * colliding and conflicting paths, and the layout (everything at the root, or everything under
 * one top folder). The layout is settled by where `synapse.json` turns up: `P/synapse.json`
 * makes P the top folder if every entry so far sits under P, `synapse.json` makes it a root
 * layout.
 */
export interface EntryRules {
  /** Checks an entry (already through normalizeEntryPath) and says whether it is the manifest. */
  accept(path: string, kind: EntryKind, size: number): boolean;
  /** Called after the last entry; throws when the archive has no manifest. */
  finish(): ArchiveListing;
}

const MANIFEST = 'synapse.json';

const secondManifest = (first: string, second: string) =>
  new TarballError(
    'manifest_duplicate',
    `The archive holds both ${quotePath(first)} and ${quotePath(second)}; keep a single manifest, at the root or in the one top folder`,
    { path: second },
  );

export function createEntryRules(limits: EntryLimits): EntryRules {
  let count = 0;
  let unpackedSize = 0;
  let layout: { kind: 'undecided' } | { kind: 'root' } | { kind: 'top'; folder: string } = { kind: 'undecided' };
  let manifestPath: string | null = null;
  // The top folder of the first entry (null for a root-level file), and the first entry not under it.
  let firstTop: string | null | undefined;
  let firstPath = '';
  let firstOutsider: string | null = null;
  let strayManifest: string | null = null;
  const explicit = new Set<string>();
  const files = new Map<string, number>();
  const impliedDirs = new Set<string>();
  const caseKeys = new Map<string, string>();

  function checkNewPath(path: string, kind: EntryKind, segments: string[]): void {
    const shown = quotePath(path);
    if (explicit.has(path)) {
      throw new TarballError('tarball_duplicate_path', `Entry ${shown} appears more than once in the archive; pack each file once`, {
        path,
      });
    }
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (files.has(parent)) {
        throw new TarballError(
          'tarball_path_conflict',
          `Entry ${shown} sits under ${quotePath(parent)}, which is a file; a path cannot be both a file and a folder`,
          { path },
        );
      }
    }
    if (kind === 'file' && impliedDirs.has(path)) {
      throw new TarballError(
        'tarball_path_conflict',
        `Entry ${shown} is a file, but other entries use it as a folder; a path cannot be both`,
        { path },
      );
    }
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      // NFC too: macOS file systems treat composed and decomposed accents as one name.
      const key = prefix.normalize('NFC').toLowerCase();
      const seen = caseKeys.get(key);
      if (seen !== undefined && seen !== prefix) {
        throw new TarballError(
          'tarball_case_collision',
          `Entry ${shown} collides with ${quotePath(seen)} on case-insensitive file systems; rename one of them`,
          { path },
        );
      }
      caseKeys.set(key, prefix);
    }
  }

  function record(path: string, kind: EntryKind, size: number, segments: string[]): void {
    explicit.add(path);
    for (let i = 1; i < segments.length; i++) impliedDirs.add(segments.slice(0, i).join('/'));
    if (kind === 'dir') {
      impliedDirs.add(path);
      return;
    }
    files.set(path, size);
    unpackedSize += size;
    if (unpackedSize > limits.maxUnpackedBytes) {
      throw new TarballError(
        'tarball_too_large_unpacked',
        `The package unpacks to more than ${limits.maxUnpackedBytes} bytes (reached at entry ${quotePath(path)}); leave build output and large assets out of the package`,
        { path },
      );
    }
  }

  function trackLayout(path: string, kind: EntryKind, segments: string[]): void {
    const top = segments.length > 1 || kind === 'dir' ? segments[0]! : null;
    if (firstTop === undefined) {
      firstTop = top;
      firstPath = path;
    } else if (firstOutsider === null && (top === null || top !== firstTop)) firstOutsider = path;
  }

  return {
    accept(path, kind, size) {
      count += 1;
      if (count > limits.maxEntries) {
        throw new TarballError(
          'tarball_too_many_entries',
          `The archive has more than ${limits.maxEntries} entries (reached at ${quotePath(path)}); leave generated and vendored files out of the package`,
          { path },
        );
      }
      const segments = path.split('/');
      if (layout.kind === 'top' && segments[0] !== layout.folder) {
        throw new TarballError(
          'tarball_outside_root',
          `Entry ${quotePath(path)} is outside the archive's top folder "${layout.folder}/"; put every file under "${layout.folder}/" or pack everything at the root`,
          { path },
        );
      }
      const named = kind === 'file' && (path === MANIFEST || (segments.length === 2 && segments[1] === MANIFEST));
      if (named && path === manifestPath) {
        throw new TarballError('manifest_duplicate', `The archive holds ${quotePath(path)} more than once; keep a single manifest`, {
          path,
        });
      }
      checkNewPath(path, kind, segments);
      trackLayout(path, kind, segments);
      record(path, kind, size, segments);

      if (!named) return false;
      // A root synapse.json beside a folder's synapse.json: readers that look in "package/" first
      // would install another manifest than the one checked here.
      if (layout.kind === 'root' || (path === MANIFEST && strayManifest !== null)) {
        throw secondManifest(manifestPath ?? path, path === MANIFEST ? strayManifest! : path);
      }
      if (layout.kind !== 'undecided') return false;
      if (path === MANIFEST) {
        layout = { kind: 'root' };
      } else if (firstTop === segments[0] && firstOutsider === null) {
        layout = { kind: 'top', folder: segments[0]! };
      } else {
        strayManifest ??= path;
        return false;
      }
      manifestPath = path;
      return true;
    },

    finish() {
      if (layout.kind === 'undecided') {
        if (strayManifest !== null) {
          const folder = strayManifest.split('/')[0]!;
          const outsider = firstTop === folder && firstOutsider !== null ? firstOutsider : firstPath;
          throw new TarballError(
            'tarball_outside_root',
            `Entry ${quotePath(outsider)} is outside the top folder "${folder}/" that holds ${quotePath(strayManifest)}; put every file under "${folder}/" or pack everything at the root`,
            { path: outsider },
          );
        }
        throw new TarballError(
          'manifest_missing',
          `The archive has no ${MANIFEST} at its root or in its single top folder (such as package/${MANIFEST}); add the manifest and pack again`,
        );
      }
      const strip = layout.kind === 'top' ? layout.folder.length + 1 : 0;
      const listed = [...files].map(([path, size]) => ({ path: path.slice(strip), size }));
      listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return { files: listed, unpackedSize };
    },
  };
}
