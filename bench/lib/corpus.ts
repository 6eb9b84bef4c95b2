/**
 * The benchmark's packages: pkg-0000.. with versions 1.0.0.., each tarball ~10 KB of
 * incompressible data (like the Verdaccio anchor's), with descriptions and keywords drawn from
 * small vocabularies so that word searches match a few percent of the packages.
 */
import { packageTarball } from '../../test/fixtures/tarballs.ts';
import { seededRandom } from './stats.ts';

export const TOPICS = [
  'http',
  'json',
  'parser',
  'crypto',
  'graph',
  'matrix',
  'stream',
  'logging',
  'terminal',
  'testing',
  'async',
  'cache',
  'image',
  'audio',
  'database',
  'regex',
  'calendar',
  'geometry',
  'network',
  'compression',
] as const;
const QUALITIES = ['fast', 'tiny', 'safe', 'lazy', 'typed', 'pure', 'incremental', 'embedded', 'portable', 'minimal'] as const;
const DOMAINS = [
  'servers',
  'games',
  'robotics',
  'finance',
  'science',
  'teaching',
  'microcontrollers',
  'browsers',
  'pipelines',
  'compilers',
] as const;

export const packageName = (index: number) => `pkg-${String(index).padStart(4, '0')}`;
export const versionName = (index: number) => `1.0.${index}`;

/** The manifest of one version; the same for a given (package, version) in every run. */
export function manifestFor(pkg: number, version: number): Record<string, unknown> {
  const topic = TOPICS[(pkg * 7) % TOPICS.length]!;
  // Distinct from `topic`: the offset is 1..19 modulo 20.
  const second = TOPICS[(((pkg * 7) % TOPICS.length) + 1 + (pkg % (TOPICS.length - 1))) % TOPICS.length]!;
  const quality = QUALITIES[pkg % QUALITIES.length]!;
  const domain = DOMAINS[(pkg * 3 + Math.floor(pkg / 10)) % DOMAINS.length]!;
  return {
    name: packageName(pkg),
    version: versionName(version),
    description: `A ${quality} ${topic} library with ${second} helpers for ${domain} (release ${versionName(version)})`,
    author: { name: `Author ${pkg % 50}`, email: `author${pkg % 50}@example.com` },
    license: pkg % 3 === 0 ? 'Apache-2.0' : 'MIT',
    keywords: [topic, second, quality],
    dependencies: {},
  };
}

/** The .tgz of one version: synapse.json, a README and ~10 KB of random bytes (seeded). */
export function tarballFor(pkg: number, version: number): Buffer {
  return tarballWith(manifestFor(pkg, version), pkg * 100 + version + 1);
}

/** The same shape for any manifest (e.g. a version past the corpus), its 10 KB drawn from `seed`. */
export function tarballWith(manifest: Record<string, unknown>, seed: number): Buffer {
  const random = seededRandom(seed);
  const data = Buffer.alloc(10_000);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  const pkg = String(manifest.name);
  return packageTarball(manifest, {
    files: { 'README.md': `# ${pkg}\n\n${String(manifest.description)}\n`, 'data.bin': data },
  });
}
