#!/usr/bin/env node
// The executable's path before it became bin/synapse.cjs, kept for the scripts and aliases that
// name it: it runs that file, so it is the same client, started through Node's ES module loader
// (a few milliseconds more).
import './synapse.cjs';
