#!/usr/bin/env node
// The `synapse` executable: registers tsx's loader so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
