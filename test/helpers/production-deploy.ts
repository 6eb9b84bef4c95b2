/**
 * A folder holding what a production deploy holds (README "Installing for production"): package.json,
 * bin/, scripts/build.mjs and the bundles in dist/ (built by `npm test`'s pretest), beside a
 * node_modules with only the packages `npm ci --omit=dev` installs. Those are symlinks into the
 * checkout's node_modules (copies would take seconds); run the deploy's processes with
 * PRESERVE_SYMLINKS so each package also resolves its own dependencies inside the deploy's tree,
 * not beside its real folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** NODE_OPTIONS for the deploy's processes (see above). */
export const PRESERVE_SYMLINKS = '--preserve-symlinks';

/**
 * The top-level folders of node_modules (`name` or `@scope/name`) that `npm ci --omit=dev` installs:
 * the lockfile's packages not flagged `dev` (optional ones only where installed here). Nested copies
 * (a/node_modules/b) come with their parent's folder. Read from the lockfile rather than `npm ls`,
 * which takes a second and misreads a node_modules that is itself a symlink.
 */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && existsSync(join(ROOT, path)))
    .map(([path]) => path.slice('node_modules/'.length))
    .filter((name) => !name.includes('/node_modules/'));
}

/** Makes the folder in the system temp folder, outside the checkout, so no node_modules above it is searched. */
export function makeDeploy(options: { withDist: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-deploy-'));
  const copy = (path: string) => cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  for (const path of ['package.json', 'bin', 'scripts/build.mjs']) copy(path);
  if (options.withDist) copy('dist');
  for (const name of productionPackages()) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(ROOT, 'node_modules', name)), link, 'dir');
  }
  return dir;
}

/** Of the bundle files named (in dist/), those missing (`npm run build` makes them; `npm test` runs it first). */
export function missingBundles(files: string[]): string[] {
  return files.map((file) => `dist/${file}`).filter((path) => !existsSync(join(ROOT, path)));
}
