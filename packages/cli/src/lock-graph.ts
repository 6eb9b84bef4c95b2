/**
 * Reading the dependency graph out of synapse.lock, for list, tree and why. Pure functions over
 * the lockfile; every walk is bounded (each package expanded once, paths capped).
 */
import type { Lockfile } from '../../core/src/lockfile/format.ts';

export interface TreeNode {
  name: string;
  version: string;
  /** The range asked for: in synapse.json for a direct dependency, else the version locked for the parent. */
  wanted: string;
  /** Already expanded higher up: its dependencies are not repeated (and cycles end). */
  repeated?: boolean;
  dependencies?: TreeNode[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The tree under the root, `depth` levels below the direct dependencies (0: direct only). */
export function dependencyTree(lock: Lockfile, depth: number): TreeNode[] {
  const packages = new Map(lock.packages.map((p) => [p.name, p]));
  const expanded = new Set<string>();
  const node = (name: string, wanted: string, level: number): TreeNode => {
    const pkg = packages.get(name);
    const out: TreeNode = { name, version: pkg?.version ?? '(missing from synapse.lock)', wanted };
    const deps = Object.entries(pkg?.dependencies ?? {}).sort(([a], [b]) => byName(a, b));
    if (deps.length === 0 || level >= depth) return out;
    if (expanded.has(name)) return { ...out, repeated: true };
    expanded.add(name);
    out.dependencies = deps.map(([dep, version]) => node(dep, version, level + 1));
    return out;
  };
  return Object.entries(lock.root)
    .sort(([a], [b]) => byName(a, b))
    .map(([name, range]) => node(name, range, 0));
}

/** The tree as text: `├── name version` lines, as npm ls and cargo tree draw it. */
export function drawTree(nodes: TreeNode[], prefix = ''): string[] {
  return nodes.flatMap((n, i) => {
    const last = i === nodes.length - 1;
    const line = `${prefix}${last ? '└── ' : '├── '}${n.name} ${n.version}${n.repeated ? ' (*)' : ''}`;
    return [line, ...drawTree(n.dependencies ?? [], `${prefix}${last ? '    ' : '│   '}`)];
  });
}

export interface WhyPath {
  /** From a direct dependency down to the package asked about. */
  path: { name: string; version: string }[];
  /** The range in synapse.json that starts the path. */
  range: string;
}

/**
 * Every path from the root's dependencies to `name` (simple paths, shortest first), up to `cap`;
 * `truncated` says more exist. Walks at most `cap × packages` steps, so a dense graph cannot hang it.
 */
export function whyPaths(lock: Lockfile, name: string, cap = 20): { paths: WhyPath[]; truncated: boolean } {
  const packages = new Map(lock.packages.map((p) => [p.name, p]));
  const paths: WhyPath[] = [];
  let truncated = false;
  let budget = cap * Math.max(lock.packages.length, 1) * 4;
  // Breadth first, so the shortest explanations come first.
  const queue: { trail: string[]; range: string }[] = Object.entries(lock.root)
    .sort(([a], [b]) => byName(a, b))
    .map(([dep, range]) => ({ trail: [dep], range }));
  while (queue.length > 0) {
    if (--budget < 0 || paths.length >= cap) {
      truncated = true;
      break;
    }
    const { trail, range } = queue.shift()!;
    const last = trail[trail.length - 1]!;
    if (last === name) {
      paths.push({ range, path: trail.map((n) => ({ name: n, version: packages.get(n)?.version ?? '?' })) });
      continue;
    }
    for (const dep of Object.keys(packages.get(last)?.dependencies ?? {}).sort(byName)) {
      if (!trail.includes(dep)) queue.push({ trail: [...trail, dep], range });
    }
  }
  return { paths, truncated };
}
