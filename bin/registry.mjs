#!/usr/bin/env node
// `npm start`: the registry server from the bundle that `npm start` builds first (dist/registry.mjs).
// Without the bundle, or with SYNAPSE_REGISTRY_FROM_SOURCE=1, it runs the sources through tsx.
import { launch } from './launch.mjs';

await launch('registry', 'SYNAPSE_REGISTRY_FROM_SOURCE');
