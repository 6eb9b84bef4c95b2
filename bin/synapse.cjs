#!/usr/bin/env node
// The `synapse` executable. CommonJS on purpose: Node starts a CommonJS file without its ES module
// loader, which would otherwise be most of what `synapse --version` costs over bare Node. It runs
// the bundle that `npm install` builds (dist/synapse.cjs, which loads the rest of the client from
// dist/synapse-cli/ when a command needs it). Without the bundle, or with SYNAPSE_CLI_FROM_SOURCE=1,
// it runs the sources through tsx's loader.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'synapse.cjs');
if (existsSync(bundle) && !process.env.SYNAPSE_CLI_FROM_SOURCE) {
  require(bundle);
} else {
  import('tsx/esm/api')
    .then(
      ({ register }) => {
        register();
        return import('../packages/cli/src/main.ts');
      },
      (error) => {
        if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'tsx'")) throw error;
        // An install without the dev dependencies (no tsx) and without the bundle: say how to get one.
        const why = existsSync(bundle) ? 'SYNAPSE_CLI_FROM_SOURCE asks for the sources' : 'dist/synapse.cjs is missing';
        process.stderr.write(
          `Cannot start synapse: ${why} and tsx is not installed (an install without the dev dependencies). ` +
            'Build the bundles where the dev dependencies are installed: npm ci && npm run build (see "Production" in README.md).\n',
        );
        process.exitCode = 1;
      },
    )
    .then(undefined, (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
