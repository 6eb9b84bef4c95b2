#!/usr/bin/env node
// `npm run reindex | sweep-blobs | mirror | admin | advisories`: `node bin/maintenance.mjs NAME ARGS...`
// runs dist/NAME.mjs (built before each run by the matching `pre` script when esbuild is installed),
// or the source through tsx as bin/registry.mjs does (same SYNAPSE_REGISTRY_FROM_SOURCE switch).
import { launch } from './launch.mjs';

const COMMANDS = ['reindex', 'sweep-blobs', 'mirror', 'admin', 'advisories'];
const name = process.argv[2];
if (!COMMANDS.includes(name)) {
  console.error(`usage: node bin/maintenance.mjs ${COMMANDS.join(' | ')} [ARGS...]`);
  process.exit(2);
}
// The command reads its own arguments from process.argv, as when its file is run directly.
process.argv.splice(2, 1);
await launch(name, 'SYNAPSE_REGISTRY_FROM_SOURCE');
