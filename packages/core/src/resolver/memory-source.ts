import { createHash } from 'node:crypto';
import { closeNames } from './similar.ts';
import type { PackageInfo, PackageSource } from './source.ts';

/** name → version → dependency name → range. */
export type RegistrySpec = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;

export interface MemorySourceOptions {
  /** `name@version` entries to mark yanked. */
  yanked?: readonly string[];
  /** Base of the made-up tarball URLs. */
  tarballBase?: string;
}

/**
 * An in-memory registry, for tests and benchmarks. Tarball URLs and integrities are made up but
 * stable, so lockfiles built from it are reproducible.
 *
 * @example
 * const source = memorySource({ foo: { '1.0.0': { bar: '^2.0.0' } }, bar: { '2.1.0': {} } });
 */
export function memorySource(spec: RegistrySpec, options: MemorySourceOptions = {}): PackageSource {
  const yanked = new Set(options.yanked ?? []);
  const base = options.tarballBase ?? 'https://registry.invalid';
  const packages = new Map<string, PackageInfo>();
  for (const [name, versions] of Object.entries(spec)) {
    packages.set(name, {
      name,
      versions: Object.entries(versions).map(([version, dependencies]) => ({
        version,
        dependencies,
        yanked: yanked.has(`${name}@${version}`),
        tarball: `${base}/api/v1/packages/${name}/${version}/tarball`,
        integrity: `sha512-${createHash('sha512').update(`${name}@${version}`).digest('base64')}`,
      })),
    });
  }
  return {
    getPackage: (name) => Promise.resolve(packages.get(name) ?? null),
    similarNames: (name) => Promise.resolve(closeNames(name, [...packages.keys()])),
  };
}
