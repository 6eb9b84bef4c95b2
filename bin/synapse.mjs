#!/usr/bin/env node
// The `synapse` executable. It runs the bundle that `npm install` builds (dist/synapse.mjs): starting
// it costs a fraction of compiling the TypeScript. Without the bundle, or with
// SYNAPSE_CLI_FROM_SOURCE=1, it runs the sources through tsx's loader.
import { launch } from './launch.mjs';

await launch('synapse', 'SYNAPSE_CLI_FROM_SOURCE');
