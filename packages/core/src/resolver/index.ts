/**
 * Dependency resolution for Synapse: npm-style ranges as interval sets, PubGrub with
 * plain-English failure explanations, and package sources (in-memory and HTTP).
 */
export { resolve, ResolutionError, type ResolveOptions, type Resolution, type SolvedPackage } from './resolve.ts';
export type { PackageInfo, PackageSource, PackageVersionInfo } from './source.ts';
export { memorySource, type RegistrySpec, type MemorySourceOptions } from './memory-source.ts';
export {
  parseRangeSet,
  rangeSet,
  union,
  intersect,
  complement,
  difference,
  contains,
  isEmpty,
  showSet,
  type VersionSet,
} from './version-set.ts';
export { ver, compare, type Ver } from './version.ts';
