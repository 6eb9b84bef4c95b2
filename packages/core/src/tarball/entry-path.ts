import { quotePath, TarballError } from './tarball-error.ts';

// C0 and C1 controls, DEL included: they hide or rewrite text in terminals and file listings.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Checks one entry name and returns it in canonical form: no leading "./", no trailing "/".
 * Returns "" for the archive root itself ("./"). Throws a TarballError for names that could
 * escape the install folder or mean different files on different systems.
 */
export function normalizeEntryPath(raw: string): string {
  const shown = quotePath(raw);
  if (CONTROL_CHARS.test(raw)) {
    throw new TarballError(
      'tarball_control_chars',
      `Entry ${shown} has control characters in its name; rename the file using printable characters only`,
      { path: raw },
    );
  }
  if (raw.startsWith('/') || DRIVE_LETTER.test(raw)) {
    throw new TarballError('tarball_absolute_path', `Entry ${shown} has an absolute path; paths must be relative to the package folder`, {
      path: raw,
    });
  }
  if (raw.includes('\\')) {
    throw new TarballError(
      'tarball_backslash_path',
      `Entry ${shown} has a backslash in its name; use "/" as the only separator and no "\\" in file names`,
      { path: raw },
    );
  }
  const path = raw.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return '';
  const segments = path.split('/');
  if (segments.includes('..')) {
    throw new TarballError(
      'tarball_path_traversal',
      `Entry ${shown} has a ".." segment, which would write outside the package folder; pack the package from its own folder`,
      { path: raw },
    );
  }
  if (segments.some((s) => s === '' || s === '.')) {
    throw new TarballError(
      'tarball_invalid_path',
      `Entry ${shown} has an empty or "." path segment; write each path once, without "//" or "/./"`,
      { path: raw },
    );
  }
  return path;
}
