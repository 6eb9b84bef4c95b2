#!/usr/bin/env node
// `npm start`: the registry server from the bundle that `npm start` builds first (dist/registry.mjs).
// Without the bundle, or with SYNAPSE_REGISTRY_FROM_SOURCE=1, it runs the sources through tsx.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/registry.mjs', import.meta.url);
if (existsSync(bundle) && !process.env.SYNAPSE_REGISTRY_FROM_SOURCE) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
