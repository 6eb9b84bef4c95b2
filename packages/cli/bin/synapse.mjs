#!/usr/bin/env node
// The `synapse` executable of the standalone client: the bundle holds the client and every package it uses.
import '../dist/synapse.mjs';
