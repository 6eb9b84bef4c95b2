import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { envReader } from './config-error.ts';
import { readObservability } from './observability.ts';

const STRONG = 'q3VhQm9yZ2FuaWMtbWV0cmljcy10b2tlbi0yMDI2LXh5eg';
const read = (env: Record<string, string>, mode: 'development' | 'test' | 'production' = 'production') => {
  const r = envReader(env);
  return { config: readObservability(r, mode), problems: r.problems };
};

describe('metrics exposure', () => {
  test('production without a token: /metrics is not on the main port, with or without a port of its own', () => {
    assert.equal(read({}).config.metricsOnMainPort, false);
    assert.equal(read({ REGISTRY_METRICS_PORT: '9091' }).config.metricsOnMainPort, false);
    assert.equal(read({ REGISTRY_METRICS_PORT: '9091' }).config.metricsPort, 9091);
  });

  test('a token puts it on the main port behind the token, in any mode', () => {
    assert.equal(read({ REGISTRY_METRICS_TOKEN: STRONG }).config.metricsOnMainPort, true);
    assert.equal(read({ REGISTRY_METRICS_TOKEN: STRONG }, 'development').config.metricsOnMainPort, true);
  });

  test('outside production without a token or a port, the main port serves it openly', () => {
    assert.equal(read({}, 'development').config.metricsOnMainPort, true);
    assert.equal(read({ REGISTRY_METRICS_PORT: '0' }, 'development').config.metricsOnMainPort, false);
  });

  test('a weak token and a bad port are refused', () => {
    assert.match(read({ REGISTRY_METRICS_TOKEN: 'metrics' }).problems.join(), /REGISTRY_METRICS_TOKEN is too weak/);
    assert.match(read({ REGISTRY_METRICS_PORT: '70000' }).problems.join(), /REGISTRY_METRICS_PORT/);
    assert.match(read({ REGISTRY_LOG_FORMAT: 'xml' }).problems.join(), /REGISTRY_LOG_FORMAT/);
  });
});
