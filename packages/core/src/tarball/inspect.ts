import type { Readable } from 'node:stream';
import type { Manifest } from './manifest.ts';
import type { Readme } from './readme-capture.ts';
import type { SecretFinding } from './secret-scan.ts';
import { DEFAULT_TARBALL_LIMITS, readArchive, type ReadArchiveOptions, type TarballLimits } from './read-archive.ts';

export { DEFAULT_TARBALL_LIMITS, MAX_MANIFEST_BYTES, type TarballLimits } from './read-archive.ts';

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
  /** The README beside the manifest, when asked for with `readmeBytes`. */
  readme: Readme | null;
  /** Credentials found, when asked for with `scanSecrets`. */
  secrets: SecretFinding[];
}

/**
 * Reads a package `.tgz` as it streams in and returns its manifest and file list, without
 * writing anything to disk or keeping file bodies (see readArchive for the rules).
 */
export async function inspectTarball(
  input: Readable,
  limits: TarballLimits = DEFAULT_TARBALL_LIMITS,
  options: Pick<ReadArchiveOptions, 'readmeBytes' | 'scanSecrets' | 'scanThread'> = {},
): Promise<TarballContents> {
  const { manifest, files, unpackedSize, readme, secrets } = await readArchive(input, { limits, ...options });
  return { manifest, files, unpackedSize, readme, secrets };
}
