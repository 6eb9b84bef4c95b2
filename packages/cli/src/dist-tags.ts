/**
 * Turning `NAME@TAG` (and a bare `NAME` whose latest is special) into a version, from the package
 * document's `dist_tags`. The registry's answer is untrusted: only valid versions are used.
 */
import { compareVersionsDesc, isPrerelease, parseVersion } from '../../core/src/names.ts';
import { cachedDocument } from './cache/metadata.ts';
import type { Context } from './context.ts';
import { userError } from './errors.ts';
import { apiRequest, seg } from './http.ts';
import { cacheDir } from './paths.ts';
import { withSuggestion } from './suggest.ts';

interface PackageDoc {
  latest?: unknown;
  dist_tags?: unknown;
  versions?: { version?: unknown; yanked?: unknown }[];
}

/** What the client needs of a package document to resolve tags. */
export interface TagInfo {
  tags: Record<string, string>;
  yanked: Set<string>;
  /** The highest non-yanked release, for telling an automatic latest from a tagged one. */
  highestRelease: string | null;
}

function tagInfo(doc: PackageDoc): TagInfo {
  const tags: Record<string, string> = {};
  // A registry from before dist-tags sends `latest` only.
  const raw =
    typeof doc.dist_tags === 'object' && doc.dist_tags !== null ? (doc.dist_tags as Record<string, unknown>) : { latest: doc.latest };
  for (const [tag, version] of Object.entries(raw)) {
    const parsed = parseVersion(version);
    if (parsed.ok) tags[tag] = parsed.value;
  }
  const versions = Array.isArray(doc.versions) ? doc.versions : [];
  const yanked = new Set(versions.filter((v) => v?.yanked === true && typeof v.version === 'string').map((v) => v.version as string));
  const releases = versions
    .map((v) => parseVersion(v?.version))
    .filter((p) => p.ok)
    .map((p) => p.value)
    .filter((v) => !isPrerelease(v) && !yanked.has(v));
  const highestRelease = releases.sort(compareVersionsDesc)[0] ?? null;
  return { tags, yanked, highestRelease };
}

/** The package's tags, from the registry or (offline) the cached document; null offline with no copy. */
export async function fetchTagInfo(ctx: Context, name: string, offline: boolean): Promise<TagInfo | null> {
  if (offline) {
    const text = await cachedDocument({ root: cacheDir(ctx.env) }, ctx.registry, name);
    if (text === null) return null;
    try {
      return tagInfo(JSON.parse(text) as PackageDoc);
    } catch {
      return null;
    }
  }
  const doc = await withSuggestion(ctx, name, () => apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}`, auth: 'optional' }));
  return tagInfo(doc ?? {});
}

/** The version `NAME@TAG` names; a missing tag or a yanked version is a user error that says what to do. */
export function versionOfTag(info: TagInfo, name: string, tag: string): string {
  const version = info.tags[tag];
  if (version === undefined) {
    const known = Object.keys(info.tags);
    throw userError(
      'tag_not_found',
      `${name} has no dist-tag "${tag}"`,
      `Its tags: ${known.length ? known.join(', ') : 'none'} (synapse pkg dist-tag ls ${name}); or give a version range such as ${name}@^1.0.0.`,
    );
  }
  if (info.yanked.has(version)) {
    throw userError(
      'tag_yanked',
      `${name}@${tag} points at ${version}, which is yanked`,
      `Ask an owner to move the tag, or give a version range such as ${name}@^${version}.`,
    );
  }
  return version;
}

/**
 * Whether a bare `NAME` should mean `NAME@latest`: when latest is not simply the highest release
 * (an owner tagged an older version or a pre-release as latest, or there is no release at all).
 * Otherwise a bare name takes the newest version the rest of the graph allows.
 */
export function latestIsSpecial(info: TagInfo): boolean {
  const latest = info.tags.latest;
  return latest !== undefined && !info.yanked.has(latest) && latest !== info.highestRelease;
}
