/**
 * Where the resolver learns which versions exist and what they depend on.
 */
import type { AdvisoryInfo, DeprecationInfo } from './lifecycle.ts';

/** One published version as the resolver needs it. */
export interface PackageVersionInfo {
  /** SemVer 2.0.0 text. */
  readonly version: string;
  /** Dependency name → npm-style range. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** Yanked versions are skipped by new resolutions (see the README for the exact rules). */
  readonly yanked?: boolean;
  /** Where the tarball is, recorded in the lockfile. */
  readonly tarball?: string;
  /** `sha512-…` SRI of the tarball, recorded in the lockfile. */
  readonly integrity?: string;
  /** Why it was yanked, when it is and the registry says (for warnings; resolution reads `yanked`). */
  readonly yankReason?: string | null;
  /** Set when this version is deprecated (for warnings only). */
  readonly deprecation?: DeprecationInfo | null;
  /** Set when advisories affect this version (for the install's note only). */
  readonly advisories?: AdvisoryInfo | null;
}

export interface PackageInfo {
  readonly name: string;
  readonly versions: readonly PackageVersionInfo[];
  /** Set when the whole package is deprecated (for warnings only). */
  readonly deprecation?: DeprecationInfo | null;
}

/**
 * Supplies package metadata. `getPackage` resolves to null when the package does not exist and
 * rejects on transport failures. The resolver calls it at most once per name per resolution and
 * may call it for several names at once, ahead of need.
 */
export interface PackageSource {
  getPackage(name: string): Promise<PackageInfo | null>;
  /** Optional: names close to a missing one, for "did you mean" in explanations. */
  similarNames?(name: string): Promise<readonly string[]>;
}
