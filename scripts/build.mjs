#!/usr/bin/env node
// Bundles the command-line client (dist/synapse.cjs and dist/synapse-cli/) and the server (dist/registry.mjs, with the
// worker threads it starts beside it: dist/readme-render-worker.mjs, dist/secret-scan-worker.mjs), with the
// dependencies left external, so neither compiles TypeScript when it starts or runs through a
// loader while it serves. Run by `npm install` (prepare), `npm start` and `npm test`; the two bin
// scripts fall back to the sources through tsx when a bundle is missing.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
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
  build({ ...common, entryPoints: { synapse: `${root}src/cli/main.ts` }, format: 'cjs', outExtension: { '.js': '.cjs' }, plugins: [commandLineApart] }),
  build({ ...common, entryPoints: { 'synapse-cli/command-line': `${root}src/cli/command-line.ts` }, splitting: true, chunkNames: 'synapse-cli/[name]-[hash]' }),
  build({
    ...common,
    entryPoints: {
      registry: `${root}src/main.ts`,
      'readme-render-worker': `${root}src/registry/readme-render-worker.ts`,
      'secret-scan-worker': `${root}src/tarball/secret-scan-worker.ts`,
    },
  }),
]);
