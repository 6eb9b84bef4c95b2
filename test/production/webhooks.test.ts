/**
 * Webhook deliveries survive a SIGKILL and are shared by several instances without being sent twice:
 * registry processes on one PostgreSQL database, a real receiver that verifies signatures with the
 * `standardwebhooks` package and counts every arrival by its webhook-id.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendEnv, type BackendEnv } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';
import { killAllSpawned, spawnRegistry, type SpawnedRegistry } from '../helpers/spawn-registry.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const skip = await skipWithoutBackends();

const HOOKS_ENV = { REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true', REGISTRY_RATE_LIMIT_ENABLED: 'false' };

describe('webhook deliveries across crashes and instances (PostgreSQL)', { skip }, () => {
  let backend: BackendEnv;
  let receiver: Receiver;

  before(async () => {
    backend = await backendEnv('postgres');
    receiver = await startReceiver();
  });
  after(async () => {
    await killAllSpawned();
    await receiver.close();
    await backend.cleanup();
  });

  const start = (env: Record<string, string> = {}) => spawnRegistry({ env: { ...backend.env, ...HOOKS_ENV, ...env } });

  /** An account with packages and a subscription to their tag changes; then `count` changes spread over them. */
  async function queueEvents(registry: SpawnedRegistry, count: number, packages: number) {
    const user = await signUp(registry.api);
    const names = Array.from({ length: packages }, () => uniqueName('hooked'));
    for (const name of names) assert.equal((await publish(registry.api, user.token, { name, version: '1.0.0' })).status, 201);
    const hook = await call(`${registry.api}/webhooks`, { token: user.token, json: { url: receiver.url, events: ['dist_tag.changed'] } });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    receiver.setSecret(hook.body.secret);
    const tags = Array.from({ length: count }, (_, i) => `t${i}`);
    // One chain of changes per package, the packages side by side: within a package the tags are
    // set (and so committed) in index order, which the order checks below rely on.
    await Promise.all(
      names.map(async (name, p) => {
        for (let i = p; i < count; i += packages) {
          const res = await call(`${registry.api}/packages/${name}/dist-tags/${tags[i]}`, {
            method: 'PUT',
            token: user.token,
            json: { version: '1.0.0' },
          });
          assert.equal(res.status, 200, JSON.stringify(res.body));
        }
      }),
    );
    return { tags, hookId: hook.body.id as number, token: user.token };
  }

  /** Per package, the tags in the order they arrived (first arrival of each webhook-id). */
  function firstArrivals(since: number) {
    const seen = new Set<string>();
    const byPackage = new Map<string, number[]>();
    for (const a of receiver.arrivals.slice(since)) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      const list = byPackage.get(a.body.data.package) ?? byPackage.set(a.body.data.package, []).get(a.body.data.package)!;
      list.push(Number(String(a.body.data.tag).slice(1)));
    }
    return { unique: seen.size, byPackage };
  }

  test('SIGKILL with 200 deliveries pending: after a restart every event arrives, once per webhook-id', async () => {
    const since = receiver.arrivals.length;
    // Queued by an instance that runs no jobs, so all 200 are pending when the worker starts.
    const writer = await start({ REGISTRY_JOBS_ENABLED: 'false' });
    const { tags } = await queueEvents(writer, 200, 4);
    await writer.stop();
    // A slow receiver, so the kill lands while deliveries are in flight.
    receiver.respond = (_n, res) => void setTimeout(() => res.writeHead(204).end(), 15);
    const worker = await start({ REGISTRY_JOBS_LEASE_MS: '1000', REGISTRY_WEBHOOK_TIMEOUT_MS: '400' });
    await receiver.waitFor((a) => a.length - since >= 40, 60_000);
    await worker.kill();
    const killedAt = firstArrivals(since).unique;
    assert.ok(killedAt < 200, `the kill came before the end (${killedAt} delivered)`);
    const restarted = await start({ REGISTRY_JOBS_LEASE_MS: '1000', REGISTRY_WEBHOOK_TIMEOUT_MS: '400' });
    await receiver.waitFor(() => firstArrivals(since).unique >= 200, 120_000);
    const { unique, byPackage } = firstArrivals(since);
    assert.equal(unique, 200);
    const arrivedTags = [...byPackage.values()].flat().sort((a, b) => a - b);
    assert.deepEqual(
      arrivedTags,
      tags.map((t) => Number(t.slice(1))),
      'every event arrived',
    );
    for (const [name, order] of byPackage)
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        `${name}: in order`,
      );
    assert.ok(
      receiver.arrivals.slice(since).every((a) => a.verified),
      'every arrival verifies',
    );
    await restarted.stop();
  });

  test('three instances share the deliveries and none is sent twice', async () => {
    const since = receiver.arrivals.length;
    receiver.respond = (_n, res) => void res.writeHead(204).end();
    const three = await Promise.all([0, 1, 2].map(() => start()));
    const { tags } = await queueEvents(three[0]!, 90, 6);
    await receiver.waitFor((a) => a.length - since >= tags.length, 60_000);
    // Let any duplicate show itself: every delivery is recorded as done before the check.
    const ids = receiver.arrivals.slice(since).map((a) => a.id);
    assert.equal(ids.length, tags.length);
    assert.equal(new Set(ids).size, tags.length, 'no webhook-id arrived twice');
    const { byPackage } = firstArrivals(since);
    for (const [name, order] of byPackage)
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        `${name}: in order`,
      );
    await Promise.all(three.map((r) => r.stop()));
    assert.equal(receiver.arrivals.length - since, tags.length, 'nothing more arrived while they shut down');
  });
});
