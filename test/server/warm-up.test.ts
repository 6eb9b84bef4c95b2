/**
 * The warm-up a registry serves itself before it listens (src/server/warm-up.ts): it runs once there
 * is a package to ask for, is logged, and is nobody's traffic: no request or search in the metrics,
 * no read taken from the loopback address's rate limit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSpawned, spawnRegistry } from '../helpers/spawn-registry.ts';
import { publish, signUp, uniqueName } from '../helpers/client.ts';

const METRICS_TOKEN = 'warm-up-metrics-token-4f1c0d9e7a2b6c3d8e5f0a1b';
const READS = 1_000;
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'synapse-warm-up-'));
});
after(async () => {
  await killAllSpawned();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (warmUp: number) =>
  spawnRegistry({
    env: {
      REGISTRY_DATA_DIR: dataDir,
      REGISTRY_LOG_LEVEL: 'info',
      REGISTRY_WARM_UP_REQUESTS: String(warmUp),
      REGISTRY_METRICS_TOKEN: METRICS_TOKEN,
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: String(READS),
    },
  });

/** The value of one sample of the metrics text, 0 when the series is absent. */
function sample(text: string, name: string, labels: string[]): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('the warm-up before listening', () => {
  test('nothing to warm on an empty registry; with a package, the requests are served, logged and not counted', async () => {
    const empty = await start(400);
    assert.doesNotMatch(empty.output(), /warmed up/, 'no package, nothing asked for');
    const owner = await signUp(empty.api);
    const name = uniqueName('warm');
    assert.equal((await publish(empty.api, owner.token, { name, version: '1.2.0' })).status, 201);
    assert.equal((await empty.stop('SIGTERM')).code, 0);

    const warm = await start(400);
    assert.match(warm.output(), /warmed up with 400 requests of its own in \d+ ms/);
    const metrics = await fetch(`${warm.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(metrics.status, 200);
    const text = await metrics.text();
    assert.equal(sample(text, 'synapse_http_requests_total', ['route="/api/v1/packages/:name"']), 0, 'no warm-up request in the metrics');
    assert.equal(sample(text, 'synapse_http_requests_total', ['route="/api/v1/search"']), 0);
    assert.equal(sample(text, 'synapse_search_queries_total', []), 0, 'no warm-up search counted');

    const first = await fetch(`${warm.api}/packages/${name}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('ratelimit-remaining'), String(READS - 1), 'the first read of the minute: the warm-up took none');
    await first.arrayBuffer();
    const again = await fetch(`${warm.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(sample(await again.text(), 'synapse_http_requests_total', ['route="/api/v1/packages/:name"', 'status_class="2xx"']), 1, 'real requests count');
    // The header without this process's value is an ordinary request, limited like any other.
    const guessed = await fetch(`${warm.api}/search?q=warm`, { headers: { 'x-synapse-warm-up': 'guess' } });
    assert.equal(guessed.status, 200);
    assert.equal(guessed.headers.get('ratelimit-remaining'), String(READS - 2));
    await guessed.arrayBuffer();
    assert.equal((await warm.stop('SIGTERM')).code, 0);
  });
});
