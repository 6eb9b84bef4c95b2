import { RegistryError } from '../errors.ts';

/** Every way an uploaded tarball can be refused; each is a stable API code. */
export type TarballErrorCode =
  | 'tarball_not_gzip'
  | 'tarball_gzip_corrupt'
  | 'tarball_not_tar'
  | 'tarball_multiple_gzip_members'
  | 'tarball_trailing_data'
  | 'tarball_unsafe_mode'
  | 'tarball_package_mismatch'
  | 'tarball_path_traversal'
  | 'tarball_absolute_path'
  | 'tarball_backslash_path'
  | 'tarball_invalid_path'
  | 'tarball_link_entry'
  | 'tarball_special_entry'
  | 'tarball_outside_root'
  | 'tarball_duplicate_path'
  | 'tarball_path_conflict'
  | 'tarball_case_collision'
  | 'tarball_control_chars'
  | 'tarball_too_many_entries'
  | 'tarball_too_large_unpacked'
  | 'manifest_missing'
  | 'manifest_duplicate'
  | 'manifest_duplicate_key'
  | 'manifest_too_large'
  | 'manifest_invalid_json';

/** A 400 for an archive we refuse to accept; `data.path` names the offending entry when there is one. */
export class TarballError extends RegistryError {
  declare readonly code: TarballErrorCode;

  constructor(code: TarballErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(400, code, message, {
      data: options.path === undefined ? undefined : { path: options.path },
      cause: options.cause,
    });
    this.name = 'TarballError';
  }
}

/** Quotes an entry path for a message so control characters show up escaped instead of garbling it. */
export const quotePath = (path: string): string => JSON.stringify(path);
