import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { envReader } from './config-error.ts';
import { readServer } from './server.ts';

const read = (env: Record<string, string>) => {
  const r = envReader(env);
  return { config: readServer(r, 'development'), problems: r.problems };
};

test('REGISTRY_WORKERS: 1 by default, a number, or auto for one per core; anything else is named', () => {
  assert.equal(read({}).config.workers, 1);
  assert.equal(read({ REGISTRY_WORKERS: '4' }).config.workers, 4);
  assert.equal(read({ REGISTRY_WORKERS: 'auto' }).config.workers, Math.min(64, availableParallelism()));
  for (const bad of ['0', '65', '2.5', 'many', '-1']) {
    assert.match(
      read({ REGISTRY_WORKERS: bad }).problems.join(),
      /REGISTRY_WORKERS=".*" must be a whole number from 1 to 64, or auto/,
      bad,
    );
  }
});

test('REGISTRY_WARM_REQUESTS: 20,000 in production, none elsewhere; a count up to 100,000', () => {
  const inMode = (mode: 'production' | 'development' | 'test', env: Record<string, string> = {}) => {
    const r = envReader({ REGISTRY_PUBLIC_URL: 'https://registry.example', ...env });
    return { config: readServer(r, mode), problems: r.problems };
  };
  assert.equal(inMode('production').config.warmRequests, 20_000);
  assert.equal(inMode('development').config.warmRequests, 0);
  assert.equal(inMode('test').config.warmRequests, 0);
  assert.equal(inMode('production', { REGISTRY_WARM_REQUESTS: '0' }).config.warmRequests, 0);
  assert.equal(inMode('development', { REGISTRY_WARM_REQUESTS: '200' }).config.warmRequests, 200);
  assert.match(inMode('production', { REGISTRY_WARM_REQUESTS: '100001' }).problems.join(), /REGISTRY_WARM_REQUESTS/);
});
