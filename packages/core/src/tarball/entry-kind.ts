/**
 * Which tar entries a package may hold, and with which modes: the one rule the registry applies at
 * publish and the client at install, so what can be published can be installed and nothing else.
 */
import type { ReadEntry } from 'tar';
import type { EntryKind } from './entry-rules.ts';
import { quotePath, TarballError } from './tarball-error.ts';

/** Regular files in every spelling tar has for them, and folders. Anything else is refused. */
export function entryKind(entry: ReadEntry): EntryKind {
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

export function specialEntry(entry: ReadEntry): TarballError {
  const kind = entry.type === 'Unsupported' ? 'an entry of an unknown type' : `a ${entry.type} entry`;
  return new TarballError(
    'tarball_special_entry',
    `Entry ${quotePath(entry.path)} is ${kind}; packages may hold only regular files and folders`,
    { path: entry.path },
  );
}

const SPECIAL_BITS = 0o7000;
const WORLD_WRITABLE = 0o002;

/**
 * Refuses setuid, setgid and sticky bits and world-writable modes. The registry stores the bytes
 * it was sent, so it cannot quietly fix them; `synapse pkg pack` never writes them.
 */
export function checkEntryMode(path: string, mode: number | undefined): void {
  if (mode === undefined) return;
  const what = mode & SPECIAL_BITS ? 'setuid, setgid or sticky bits' : mode & WORLD_WRITABLE ? 'a world-writable mode' : null;
  if (what === null) return;
  throw new TarballError(
    'tarball_unsafe_mode',
    `Entry ${quotePath(path)} has ${what} (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}); use 0644 for files, 0755 for executables and folders`,
    { path },
  );
}

/** The mode a package's file or folder is written with: 0644, or 0755 when executable by anyone. */
export function installedMode(kind: EntryKind, mode: number | undefined): number {
  if (kind === 'dir') return 0o755;
  return (mode ?? 0) & 0o111 ? 0o755 : 0o644;
}
