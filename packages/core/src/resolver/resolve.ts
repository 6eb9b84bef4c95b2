/**
 * The resolver's entry point.
 */
import { RegistryError } from '../errors.ts';
import { explain } from './explain.ts';
import { solve, type SolvedPackage, type SolveStats } from './solver.ts';
import type { PackageSource } from './source.ts';

export type { SolvedPackage, SolveStats };

export interface ResolveOptions {
  /** The manifest being resolved: its dependencies and, optionally, its name for messages. */
  root: { name?: string; dependencies: Readonly<Record<string, string>> };
  source: PackageSource;
  /** Versions from an existing lockfile (name → version): kept while the constraints allow. */
  locked?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** Names allowed to move off their locked version (`synapse update NAME`). */
  update?: readonly string[];
  /** Work budget; past it resolution fails with `resolution_too_complex` (default MAX_STEPS). */
  maxSteps?: number;
}

export interface Resolution {
  /** Every selected package, sorted by name. */
  packages: SolvedPackage[];
  stats: SolveStats;
}

/** Thrown when no set of versions satisfies the constraints; `message` is the explanation. */
export class ResolutionError extends RegistryError {
  readonly explanation: string;
  constructor(explanation: string) {
    super(422, 'resolution_failed', explanation, { data: { explanation } });
    this.name = 'ResolutionError';
    this.explanation = explanation;
  }
}

/**
 * Picks one version per package so that every dependency range holds, preferring locked
 * versions, then the highest. Throws ResolutionError with a plain-English proof when impossible;
 * source failures propagate unchanged.
 *
 * @example
 * const source = memorySource({ foo: { '1.0.0': {}, '1.2.0': {} } });
 * const { packages } = await resolve({ root: { dependencies: { foo: '^1.0.0' } }, source });
 * // packages: [{ name: 'foo', version: '1.2.0', dependencies: {}, ... }]
 *
 * @example
 * try {
 *   await resolve({ root: { dependencies: { foo: '^1', bar: '^1' } }, source });
 * } catch (error) {
 *   if (error instanceof ResolutionError) console.error(error.explanation);
 * }
 */
export async function resolve(options: ResolveOptions): Promise<Resolution> {
  const locked = options.locked instanceof Map ? options.locked : new Map(Object.entries(options.locked ?? {}) as [string, string][]);
  const outcome = await solve({
    dependencies: options.root.dependencies,
    source: options.source,
    locked,
    update: new Set(options.update ?? []),
    maxSteps: options.maxSteps,
  });
  if (outcome.ok) return { packages: outcome.packages, stats: outcome.stats };
  const text = explain(outcome.failure, {
    rootName: options.root.name ?? 'root',
    yanked: (name) => outcome.packages.get(name)?.yanked ?? [],
  });
  throw new ResolutionError(text);
}
