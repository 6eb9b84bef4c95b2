/**
 * The workspace packages keep their direction, read from the sources: core (shared by the server and
 * the client) imports neither of them, the client does not import the server, the server does not
 * import the client. Each package's npm imports are its own package.json's dependencies (the client
 * bundles its packages, so it lists them as devDependencies and installs none); its test files may
 * also use the repository's devDependencies. Imports are found by TypeScript's own scanner, so
 * `import`, `import type`, `export … from` and `import()` all count and comments do not.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'registry', 'cli'] as const;
type Package = (typeof PACKAGES)[number];

/** What each package may import from the others. */
const ALLOWED: Record<Package, readonly Package[]> = { core: [], registry: ['core'], cli: ['core'] };

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = (path: string): Manifest => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** `@scope/name` or `name` of a bare specifier (`fastify`, `@fastify/cookie`, `tsx/esm/api`). */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isTest = (file: string) => /\.test(-support)?\.ts$/.test(file);

/** Every break of the rules in the sources under packages/, as `file: what`. */
function layoutViolations(root: string): string[] {
  const rootDev = Object.keys(manifest('package.json').devDependencies ?? {});
  const found: string[] = [];
  for (const pkg of PACKAGES) {
    const own = manifest(`packages/${pkg}/package.json`);
    // The client is bundled with its packages (scripts/build-client-package.mjs): they are its devDependencies.
    const deps = Object.keys({ ...own.dependencies, ...(pkg === 'cli' ? own.devDependencies : {}) });
    for (const file of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      const name = relative(root, file).split(sep).join('/');
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName: specifier } of importedFiles) {
        if (specifier.startsWith('node:')) continue;
        if (specifier.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), specifier))
            .split(sep)
            .join('/');
          const [top, other] = target.split('/');
          if (top === 'packages') {
            if (other !== pkg && !ALLOWED[pkg].includes(other as Package))
              found.push(`${name}: imports ${target} (${pkg} may not import ${other})`);
          } else if (!isTest(name)) {
            found.push(`${name}: imports ${target}, outside packages/ (only tests may)`);
          }
          continue;
        }
        const dep = packageName(specifier);
        if (deps.includes(dep) || (isTest(name) && rootDev.includes(dep))) continue;
        found.push(`${name}: imports ${dep}, not in packages/${pkg}/package.json`);
      }
    }
  }
  return found;
}

test('core imports neither the server nor the client, the client not the server, the server not the client', () => {
  assert.deepEqual(layoutViolations(ROOT), []);
});

test('every dependency a workspace package lists is one the repository lists, with the same range', () => {
  const root = manifest('package.json');
  for (const pkg of PACKAGES) {
    const own = manifest(`packages/${pkg}/package.json`);
    for (const [dep, range] of Object.entries({ ...own.dependencies, ...own.devDependencies })) {
      assert.equal(root.dependencies?.[dep], range, `packages/${pkg}: ${dep} ${range}`);
    }
  }
  assert.deepEqual(manifest('packages/cli/package.json').dependencies, undefined, 'the client package installs no dependency');
});
