export { DEFAULT_TARBALL_LIMITS, MAX_MANIFEST_BYTES, inspectTarball } from './inspect.ts';
export type { TarballContents, TarballFile, TarballLimits } from './inspect.ts';
export { parseManifest } from './manifest.ts';
export type { Manifest } from './manifest.ts';
export { TarballError } from './tarball-error.ts';
export type { TarballErrorCode } from './tarball-error.ts';
