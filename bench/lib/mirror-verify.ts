/**
 * Is the mirror what the upstream is? For every package: the document a client sees (status,
 * latest, dist-tags, and each version's entry with its yank and deprecation state, minus download
 * counts and tarball links, which a mirror cannot copy), and the sha256 of every version's tarball
 * as each side serves it. Read through both registries' APIs, a few packages at once.
 */
import { createHash } from 'node:crypto';
import { mapLimit } from '../../packages/core/src/pool.ts';

export interface Verification {
  packages: number;
  versions: number;
  tarballBytes: number;
  /** Up to ten differences, each naming the package (and version). */
  differences: string[];
  differenceCount: number;
}

interface VersionEntry {
  version: string;
  [field: string]: unknown;
}

async function visible(api: string, name: string) {
  const res = await fetch(`${api}/packages/${encodeURIComponent(name)}`);
  if (res.status !== 200) return { status: res.status, versions: [] as VersionEntry[] };
  const body = (await res.json()) as { latest: unknown; dist_tags: unknown; versions: VersionEntry[] };
  const versions = body.versions.map(({ downloads: _d, tarball_url: _t, ...rest }) => rest as VersionEntry);
  return { status: 200, latest: body.latest, dist_tags: body.dist_tags, versions };
}

async function tarballSha256(api: string, name: string, version: string): Promise<{ sha: string; bytes: number } | string> {
  const res = await fetch(`${api}/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/tarball`);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return `status ${res.status}`;
  return { sha: createHash('sha256').update(body).digest('hex'), bytes: body.length };
}

export async function verifyMirror(upstreamApi: string, mirrorApi: string, names: readonly string[]): Promise<Verification> {
  const result: Verification = { packages: 0, versions: 0, tarballBytes: 0, differences: [], differenceCount: 0 };
  const differ = (what: string) => {
    result.differenceCount++;
    if (result.differences.length < 10) result.differences.push(what);
  };
  await mapLimit(names, 8, async (name) => {
    const [up, down] = await Promise.all([visible(upstreamApi, name), visible(mirrorApi, name)]);
    result.packages++;
    if (JSON.stringify(up) !== JSON.stringify(down))
      differ(`${name}: document ${JSON.stringify(down).slice(0, 200)} ≠ upstream ${JSON.stringify(up).slice(0, 200)}`);
    for (const { version } of up.versions) {
      const [a, b] = await Promise.all([tarballSha256(upstreamApi, name, version), tarballSha256(mirrorApi, name, version)]);
      result.versions++;
      if (typeof a === 'string') differ(`${name}@${version}: upstream tarball ${a}`);
      else {
        result.tarballBytes += a.bytes;
        if (typeof b === 'string' || a.sha !== b.sha)
          differ(`${name}@${version}: tarball ${typeof b === 'string' ? b : b.sha} ≠ upstream ${a.sha}`);
      }
    }
  });
  return result;
}
