/**
 * The `synapse.lock` text format. One fact per line, everything sorted, so the same resolution
 * always gives the same bytes and a change shows up in a diff as the lines it touches:
 *
 *     # synapse.lock: written by synapse, do not edit by hand
 *     lockfile 1
 *
 *     root web ^1.0.0
 *
 *     package log 1.3.0
 *       tarball https://registry.synapse.dev/api/v1/packages/log/1.3.0/tarball
 *       integrity sha512-…
 *
 *     package web 1.1.0
 *       tarball https://registry.synapse.dev/api/v1/packages/web/1.1.0/tarball
 *       integrity sha512-…
 *       dependency log 1.3.0
 */
import { RegistryError } from '../errors.ts';

export const LOCKFILE_VERSION = 1;
const HEADER = '# synapse.lock: written by synapse, do not edit by hand';
const INTEGRITY = /^sha512-[A-Za-z0-9+/]{86}==$/;

/** A locked package, as code uses it. */
export interface LockedPackage {
  name: string;
  version: string;
  tarball: string;
  /** `sha512-…` SRI. */
  integrity: string;
  /** Dependency name → locked version. */
  dependencies: Record<string, string>;
}

/** The lockfile, as code uses it. */
export interface Lockfile {
  /** The manifest's dependency ranges the lock was made for (name → range). */
  root: Record<string, string>;
  packages: LockedPackage[];
}

/** The lockfile as stored: one typed line per fact (blank lines and comments are layout only). */
export type LockLine =
  | { kind: 'version'; version: number }
  | { kind: 'root'; name: string; range: string }
  | { kind: 'package'; name: string; version: string }
  | { kind: 'tarball'; url: string }
  | { kind: 'integrity'; sri: string }
  | { kind: 'dependency'; name: string; version: string };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function invalid(line: number, message: string): RegistryError {
  return new RegistryError(400, 'lockfile_invalid', `synapse.lock line ${line}: ${message}`, { data: { line } });
}

/** Splits the text into typed lines; checks the shape of each line, not how they fit together. */
export function readLines(text: string): { line: number; fact: LockLine }[] {
  const out: { line: number; fact: LockLine }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const body = raw.trim();
    if (body === '' || body.startsWith('#')) return;
    const [key, ...rest] = body.split(/\s+/);
    const arity = (n: number) => {
      if (rest.length !== n) throw invalid(line, `"${key}" takes ${n} value${n === 1 ? '' : 's'}`);
    };
    switch (key) {
      case 'lockfile':
        arity(1);
        if (!/^\d+$/.test(rest[0]!)) throw invalid(line, 'the lockfile version is a number');
        out.push({ line, fact: { kind: 'version', version: Number(rest[0]) } });
        break;
      case 'root':
        if (rest.length < 2) throw invalid(line, '"root" takes a name and a range');
        out.push({ line, fact: { kind: 'root', name: rest[0]!, range: rest.slice(1).join(' ') } });
        break;
      case 'package':
        arity(2);
        out.push({ line, fact: { kind: 'package', name: rest[0]!, version: rest[1]! } });
        break;
      case 'tarball':
        arity(1);
        out.push({ line, fact: { kind: 'tarball', url: rest[0]! } });
        break;
      case 'integrity':
        arity(1);
        if (!INTEGRITY.test(rest[0]!)) throw invalid(line, 'integrity must be a sha512 SRI (sha512-…)');
        out.push({ line, fact: { kind: 'integrity', sri: rest[0]! } });
        break;
      case 'dependency':
        arity(2);
        out.push({ line, fact: { kind: 'dependency', name: rest[0]!, version: rest[1]! } });
        break;
      default:
        throw invalid(line, `unknown entry "${key}"`);
    }
  });
  return out;
}

/**
 * Parses `synapse.lock`. Throws RegistryError `lockfile_invalid` (naming the line) on anything
 * malformed, on an unknown format version, and on a dependency that is not itself locked.
 */
export function parseLockfile(text: string): Lockfile {
  const lines = readLines(text);
  const first = lines[0];
  if (first?.fact.kind !== 'version') throw invalid(first?.line ?? 1, 'the file must start with "lockfile 1"');
  if (first.fact.version !== LOCKFILE_VERSION) {
    throw invalid(first.line, `lockfile format ${first.fact.version} is not supported (this synapse reads ${LOCKFILE_VERSION})`);
  }
  const lock: Lockfile = { root: {}, packages: [] };
  let current: (Partial<LockedPackage> & { line: number; dependencies: Record<string, string> }) | null = null;
  const finish = () => {
    if (!current) return;
    if (current.tarball === undefined) throw invalid(current.line, `package ${current.name} has no tarball line`);
    if (current.integrity === undefined) throw invalid(current.line, `package ${current.name} has no integrity line`);
    lock.packages.push({
      name: current.name!,
      version: current.version!,
      tarball: current.tarball,
      integrity: current.integrity,
      dependencies: current.dependencies,
    });
  };
  const seen = new Set<string>();
  for (const { line, fact } of lines.slice(1)) {
    switch (fact.kind) {
      case 'version':
        throw invalid(line, 'a second lockfile version line');
      case 'root':
        if (current) throw invalid(line, 'root lines come before the packages');
        lock.root[fact.name] = fact.range;
        break;
      case 'package': {
        finish();
        const key = `${fact.name}@${fact.version}`;
        if (seen.has(key)) throw invalid(line, `${key} is listed twice`);
        seen.add(key);
        current = { line, name: fact.name, version: fact.version, dependencies: {} };
        break;
      }
      case 'tarball':
      case 'integrity':
      case 'dependency': {
        if (!current) throw invalid(line, `"${fact.kind}" outside a package`);
        if (fact.kind === 'dependency') current.dependencies[fact.name] = fact.version;
        else if (fact.kind === 'tarball') current.tarball = fact.url;
        else current.integrity = fact.sri;
        break;
      }
    }
  }
  finish();
  for (const p of lock.packages) {
    for (const [dep, version] of Object.entries(p.dependencies)) {
      if (!seen.has(`${dep}@${version}`)) {
        throw new RegistryError(
          400,
          'lockfile_invalid',
          `synapse.lock: ${p.name}@${p.version} depends on ${dep}@${version}, which is not locked`,
        );
      }
    }
  }
  return lock;
}

/** The stored form: every list sorted, so input order never reaches the bytes. */
export function toLines(lock: Lockfile): LockLine[] {
  const lines: LockLine[] = [{ kind: 'version', version: LOCKFILE_VERSION }];
  for (const name of Object.keys(lock.root).sort(byText))
    lines.push({ kind: 'root', name, range: lock.root[name]!.trim().replace(/\s+/g, ' ') });
  const packages = [...lock.packages].sort((a, b) => byText(a.name, b.name) || byText(a.version, b.version));
  for (const p of packages) {
    lines.push({ kind: 'package', name: p.name, version: p.version });
    lines.push({ kind: 'tarball', url: p.tarball });
    lines.push({ kind: 'integrity', sri: p.integrity });
    for (const dep of Object.keys(p.dependencies).sort(byText)) {
      lines.push({ kind: 'dependency', name: dep, version: p.dependencies[dep]! });
    }
  }
  return lines;
}

/** Writes the text form; byte-identical for equal lockfiles, whatever their insertion order. */
export function serializeLockfile(lock: Lockfile): string {
  const out = [HEADER];
  let previous: LockLine['kind'] | null = null;
  for (const line of toLines(lock)) {
    // A blank line before the root block and before each package keeps diffs readable.
    if ((line.kind === 'root' && previous !== 'root') || line.kind === 'package') out.push('');
    previous = line.kind;
    switch (line.kind) {
      case 'version':
        out.push(`lockfile ${line.version}`);
        break;
      case 'root':
        out.push(`root ${line.name} ${line.range}`);
        break;
      case 'package':
        out.push(`package ${line.name} ${line.version}`);
        break;
      case 'tarball':
        out.push(`  tarball ${line.url}`);
        break;
      case 'integrity':
        out.push(`  integrity ${line.sri}`);
        break;
      case 'dependency':
        out.push(`  dependency ${line.name} ${line.version}`);
        break;
    }
  }
  return `${out.join('\n')}\n`;
}
