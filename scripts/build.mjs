#!/usr/bin/env node
// Bundles every runnable entry into dist/, with the dependencies left external, so none compiles
// TypeScript when it starts or runs through a loader while it serves: the server with the worker
// threads it starts beside it and the maintenance commands (bin/launch.mjs lists them), and the
// client (dist/synapse.cjs and dist/synapse-cli/, see below). Also builds the standalone client
// package (packages/cli/dist/, see build-client-package.mjs). Run by `npm install` (prepare),
// `npm start`, `npm test` and each maintenance command.
//
// esbuild is a dev dependency: in a production install (`npm ci --omit=dev`) this step keeps the
// bundles already in dist/ (built where the dev dependencies were) and fails only when some are missing.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { BUNDLES, ENTRIES } from '../bin/launch.mjs';

const root = new URL('..', import.meta.url).pathname;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes("'esbuild'")) throw error;
  const missing = BUNDLES.filter((file) => !existsSync(`${root}dist/${file}`));
  if (missing.length === 0) {
    console.error('build: esbuild is not installed (no dev dependencies); using the bundles already in dist/');
    process.exit(0);
  }
  console.error(
    `build: esbuild is not installed (no dev dependencies) and dist/ lacks ${missing.join(', ')}. ` +
      'Build where the dev dependencies are installed (npm ci && npm run build), then deploy dist/ with the rest ' +
      '(see "Production" in README.md).',
  );
  process.exit(1);
}

// Imported only now: it needs esbuild too.
const { buildClientPackage } = await import('./build-client-package.mjs');
const common = {
  outdir: `${root}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};
// The client's entry (dist/synapse.cjs) holds what `--version` and a no-op install need, in one
// CommonJS file (Node starts those without its ES module loader); the rest of the client
// (dist/synapse-cli/) is split at its dynamic imports, so a command loads its own modules and the
// packages they import, not every command's.
const commandLineApart = {
  name: 'command-line-apart',
  setup(build) {
    build.onResolve({ filter: /\/command-line\.ts$/ }, () => ({ path: './synapse-cli/command-line.mjs', external: true }));
  },
};
await rm(`${root}dist/synapse-cli`, { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { synapse: `${root}packages/cli/src/main.ts` },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    plugins: [commandLineApart],
  }),
  esbuild.build({
    ...common,
    entryPoints: { 'synapse-cli/command-line': `${root}packages/cli/src/command-line.ts` },
    splitting: true,
    chunkNames: 'synapse-cli/[name]-[hash]',
  }),
  esbuild.build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, `${root}${source}`])),
  }),
  buildClientPackage(),
]);
