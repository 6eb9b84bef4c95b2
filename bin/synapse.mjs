#!/usr/bin/env node
// The `synapse` executable. It runs the bundle that `npm install` builds (dist/synapse.mjs): starting
// it costs a fraction of compiling the TypeScript. Without the bundle, or with
// SYNAPSE_CLI_FROM_SOURCE=1, it runs the sources through tsx's loader.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/synapse.mjs', import.meta.url);
if (existsSync(bundle) && !process.env.SYNAPSE_CLI_FROM_SOURCE) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
