// What the bin scripts share: every runnable entry, and how one starts. A production install
// (`npm ci --omit=dev`) has neither esbuild nor tsx, so it runs the bundles in dist/ (built by
// scripts/build.mjs from ENTRIES); a checkout with the dev dependencies and no bundle runs the
// TypeScript source through tsx's loader.
import { existsSync } from 'node:fs';

/**
 * Bundle name in dist/ (without .mjs) → its source, relative to the repository. The client is built
 * apart (scripts/build.mjs: dist/synapse.cjs and dist/synapse-cli/) and started by bin/synapse.cjs.
 */
export const ENTRIES = {
  registry: 'packages/registry/src/main.ts',
  // Worker threads, started beside the server bundle (packages/registry/src/worker-entry.ts).
  'readme-render-worker': 'packages/registry/src/registry/readme-render-worker.ts',
  'secret-scan-worker': 'packages/registry/src/tarball/secret-scan-worker.ts',
  // Maintenance commands (`npm run NAME`, through bin/maintenance.mjs).
  reindex: 'packages/registry/src/search/reindex-main.ts',
  'sweep-blobs': 'packages/registry/src/registry/sweep-blobs-main.ts',
  mirror: 'packages/registry/src/mirror/mirror-main.ts',
  admin: 'packages/registry/src/registry/admin-main.ts',
  advisories: 'packages/registry/src/advisories/advisories-main.ts',
};

/** Every file in dist/ that some entry point starts, the client's included. */
export const BUNDLES = ['synapse.cjs', 'synapse-cli/command-line.mjs', ...Object.keys(ENTRIES).map((name) => `${name}.mjs`)];

const root = new URL('..', import.meta.url);

/** Runs dist/NAME.mjs, or the source through tsx when that bundle is missing or `sourceSwitch` (an environment variable) is set. */
export async function launch(name, sourceSwitch) {
  const bundle = new URL(`dist/${name}.mjs`, root);
  if (existsSync(bundle) && !process.env[sourceSwitch]) return import(bundle.href);
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes("'tsx'")) throw error;
    const why = existsSync(bundle) ? `${sourceSwitch} asks for the sources` : `dist/${name}.mjs is missing`;
    console.error(
      `Cannot start ${name}: ${why} and tsx is not installed (an install without the dev dependencies). ` +
        'Build the bundles where the dev dependencies are installed: npm ci && npm run build (see "Production" in README.md).',
    );
    process.exit(1);
  }
  tsx.register();
  return import(new URL(ENTRIES[name], root).href);
}
