#!/usr/bin/env node
// Bundles the command-line client (dist/synapse.mjs) and the server (dist/registry.mjs, with the
// worker threads it starts beside it: dist/readme-render-worker.mjs, dist/secret-scan-worker.mjs), with the
// dependencies left external, so neither compiles TypeScript when it starts or runs through a
// loader while it serves. Run by `npm install` (prepare), `npm start` and `npm test`; the two bin
// scripts fall back to the sources through tsx when a bundle is missing. Also builds the standalone
// client package (packages/cli/dist/, see build-client-package.mjs).
import { build } from 'esbuild';
import { buildClientPackage } from './build-client-package.mjs';

const root = new URL('..', import.meta.url).pathname;
const checkout = build({
  entryPoints: {
    synapse: `${root}src/cli/main.ts`,
    registry: `${root}src/main.ts`,
    'readme-render-worker': `${root}src/registry/readme-render-worker.ts`,
    'secret-scan-worker': `${root}src/tarball/secret-scan-worker.ts`,
  },
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
