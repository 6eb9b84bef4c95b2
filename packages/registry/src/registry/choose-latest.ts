/** Which version a package's `latest` names: one pure rule, used wherever `latest` is recomputed. */
import { latestVersion } from '../../../core/src/names.ts';

export interface LatestCandidate {
  version: string;
  yanked_at: string | null;
}

/**
 * `latest`, from a package's live (not deleted) versions and the version its explicit `latest`
 * dist-tag names (null when there is none):
 * 1. the explicit tag, when its version is live and not yanked;
 * 2. else the highest live, non-yanked release;
 * 3. else the highest live, non-yanked pre-release (a package of pre-releases only still installs);
 * 4. else (everything is yanked) the highest live version, releases first;
 * null when there is no live version at all (the package is then not shown).
 * A pre-release therefore never becomes `latest` while a usable release exists, unless tagged so.
 *
 * @example
 * chooseLatest([{ version: '1.1.0', yanked_at: null }, { version: '2.0.0-beta.1', yanked_at: null }], null); // '1.1.0'
 */
export function chooseLatest(versions: readonly LatestCandidate[], explicitLatest: string | null): string | null {
  const usable = versions.filter((v) => v.yanked_at === null).map((v) => v.version);
  if (explicitLatest !== null && usable.includes(explicitLatest)) return explicitLatest;
  return latestVersion(usable) ?? latestVersion(versions.map((v) => v.version));
}
