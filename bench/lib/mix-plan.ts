/**
 * The request mix of `bench/mix.ts`: a seeded sequence of kinds and arguments, the same for every
 * target at a given rate, and how each registry dialect spells a request of each kind.
 */
import { createHash } from 'node:crypto';
import { TOPICS, manifestFor, packageName, tarballWith, versionName } from './corpus.ts';
import { seededRandom } from './stats.ts';

export const KINDS = ['metadata', 'tarball', 'search', 'publish'] as const;
export type Kind = (typeof KINDS)[number];
/** Cumulative shares: 80 % metadata, 15 % tarball, 4 % search, 1 % publish. */
const SHARES = [0.8, 0.95, 0.99, 1] as const;

/** `count` requests in typed arrays (a minute at 20,000/s is 1.2 M of them). */
export interface Plan {
  count: number;
  /** Index into KINDS. */
  kinds: Uint8Array;
  /** Package index (metadata, tarball, publish). */
  pkgs: Uint16Array;
  /** Version index (tarball) or TOPICS index (search). */
  args: Uint16Array;
}

export function makePlan(count: number, seed: number, corpus: { packages: number; versions: number }): Plan {
  const random = seededRandom(seed);
  const plan: Plan = { count, kinds: new Uint8Array(count), pkgs: new Uint16Array(count), args: new Uint16Array(count) };
  for (let i = 0; i < count; i++) {
    const u = random();
    const kind = SHARES.findIndex((share) => u < share);
    plan.kinds[i] = kind;
    plan.pkgs[i] = Math.floor(random() * corpus.packages);
    plan.args[i] = Math.floor(random() * (KINDS[kind] === 'search' ? TOPICS.length : corpus.versions));
  }
  return plan;
}

export interface Shot {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** The status that counts as success. */
  expect: number;
}

export type Dialect = 'synapse' | 'npm';

/** A version past the corpus for the k-th publish a target takes, so every publish is new. */
const publishVersion = (k: number) => `1.1.${k}`;

/** What one publish sends: our tarball upload, or npm's document with the tarball attached. */
export function publishShot(dialect: Dialect, pkg: number, k: number, token: string): Shot {
  const name = packageName(pkg);
  const version = publishVersion(k);
  const manifest = { ...manifestFor(pkg, 0), version, description: `${String(manifestFor(pkg, 0).description)} (${version})` };
  const tarball = tarballWith(manifest, 1_000_000 + k);
  const auth = { authorization: `Bearer ${token}` };
  if (dialect === 'synapse') {
    return {
      method: 'POST',
      path: '/api/v1/packages',
      headers: { ...auth, 'content-type': 'application/gzip' },
      body: new Uint8Array(tarball),
      expect: 201,
    };
  }
  return {
    method: 'PUT',
    path: `/${name}`,
    headers: { ...auth, 'content-type': 'application/json' },
    body: npmPublishBody(manifest, tarball),
    expect: 201,
  };
}

/** The body `npm publish` sends: the new version's manifest with dist hashes, the tarball in base64. */
export function npmPublishBody(manifest: Record<string, unknown>, tarball: Buffer): string {
  const name = String(manifest.name);
  const version = String(manifest.version);
  const file = `${name}-${version}.tgz`;
  const dist = {
    shasum: createHash('sha1').update(tarball).digest('hex'),
    integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    tarball: `http://registry.bench/${name}/-/${file}`,
  };
  return JSON.stringify({
    _id: name,
    name,
    description: manifest.description,
    'dist-tags': { latest: version },
    versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist } },
    readme: `# ${name}\n`,
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  });
}

/** The corpus's own version `v` of package `p`, as an npm publish body (for populating npm-style registries). */
export function npmCorpusBody(pkg: number, version: number, tarball: Buffer): string {
  return npmPublishBody({ ...manifestFor(pkg, version), version: versionName(version) }, tarball);
}

/** The read request of plan entry i in a dialect; publishes come from `publishShot`. */
export function readShot(dialect: Dialect, kind: Kind, pkg: number, arg: number): Shot {
  const name = packageName(pkg);
  const version = versionName(arg);
  if (dialect === 'synapse') {
    if (kind === 'metadata') return { method: 'GET', path: `/api/v1/packages/${name}`, expect: 200 };
    if (kind === 'tarball') return { method: 'GET', path: `/api/v1/packages/${name}/${version}/tarball`, expect: 200 };
    return { method: 'GET', path: `/api/v1/search?q=${TOPICS[arg]}&per_page=20`, expect: 200 };
  }
  if (kind === 'metadata') return { method: 'GET', path: `/${name}`, expect: 200 };
  if (kind === 'tarball') return { method: 'GET', path: `/${name}/-/${name}-${version}.tgz`, expect: 200 };
  return { method: 'GET', path: `/-/v1/search?text=${TOPICS[arg]}&size=20`, expect: 200 };
}

/**
 * Every shot of a plan, publishes built beforehand (a tarball each) so the generator only sends.
 * `firstPublish` is how many publishes the target has taken already (warm-up and earlier rates).
 */
export function shotsOf(
  plan: Plan,
  dialect: Dialect,
  token: string,
  firstPublish: number,
): { shot: (i: number) => Shot; publishes: number } {
  const publishes = new Map<number, Shot>();
  let k = firstPublish;
  for (let i = 0; i < plan.count; i++) {
    if (KINDS[plan.kinds[i]!] === 'publish') publishes.set(i, publishShot(dialect, plan.pkgs[i]!, k++, token));
  }
  return {
    publishes: publishes.size,
    shot: (i) => publishes.get(i) ?? readShot(dialect, KINDS[plan.kinds[i]!]!, plan.pkgs[i]!, plan.args[i]!),
  };
}
