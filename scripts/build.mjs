#!/usr/bin/env node
// Bundles every runnable entry (bin/launch.mjs lists them: the client, the server with the worker
// threads it starts beside it, the maintenance commands) into dist/, with the dependencies left
// external, so none compiles TypeScript when it starts or runs through a loader while it serves.
// Run by `npm install` (prepare), `npm start`, `npm test` and each maintenance command. Also builds
// the standalone client package (packages/cli/dist/, see build-client-package.mjs).
//
// esbuild is a dev dependency: in a production install (`npm ci --omit=dev`) this step keeps the
// bundles already in dist/ (built where the dev dependencies were) and fails only when some are missing.
import { existsSync } from 'node:fs';
import { ENTRIES } from '../bin/launch.mjs';

const root = new URL('..', import.meta.url).pathname;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes("'esbuild'")) throw error;
  const missing = Object.keys(ENTRIES).filter((name) => !existsSync(`${root}dist/${name}.mjs`));
  if (missing.length === 0) {
    console.error('build: esbuild is not installed (no dev dependencies); using the bundles already in dist/');
    process.exit(0);
  }
  console.error(
    `build: esbuild is not installed (no dev dependencies) and dist/ lacks ${missing.map((n) => `${n}.mjs`).join(', ')}. ` +
      'Build where the dev dependencies are installed (npm ci && npm run build), then deploy dist/ with the rest ' +
      '(see "Production" in README.md).',
  );
  process.exit(1);
}

// Imported only now: it needs esbuild too.
const { buildClientPackage } = await import('./build-client-package.mjs');
const checkout = esbuild.build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, `${root}${source}`])),
  outdir: `${root}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await Promise.all([checkout, buildClientPackage()]);
