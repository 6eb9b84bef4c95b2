#!/usr/bin/env node
// Bundles the command-line client into dist/synapse.mjs (dependencies stay external), so the
// `synapse` executable starts without compiling TypeScript. Run by `npm install` (prepare) and
// before `npm test`; bin/synapse.mjs falls back to the sources through tsx when it is missing.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
await build({
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/synapse.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
