import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './index.ts';

test('per-action limits: self-hosted defaults outside tests, all off in tests', () => {
  assert.deepEqual(loadConfig({}).actionLimits, {
    new_package: { burst: 100, everyMs: 60_000 },
    new_version: { burst: 100, everyMs: 10_000 },
    yank: { burst: 100, everyMs: 60_000 },
    invitation: { burst: 50, everyMs: 60_000 },
  });
  assert.deepEqual(loadConfig({ REGISTRY_ENV: 'test' }).actionLimits, {
    new_package: null,
    new_version: null,
    yank: null,
    invitation: null,
  });
});

test('per-action limits: each is set on its own, in tests too; 0 turns one off', () => {
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_LIMIT_NEW_PACKAGES_BURST: '5',
    REGISTRY_LIMIT_NEW_PACKAGES_EVERY_MS: '600000',
    REGISTRY_LIMIT_YANKS_BURST: '2',
  });
  assert.deepEqual(config.actionLimits.new_package, { burst: 5, everyMs: 600_000 });
  assert.deepEqual(config.actionLimits.yank, { burst: 2, everyMs: 60_000 });
  assert.equal(config.actionLimits.new_version, null);
  const off = loadConfig({ REGISTRY_LIMIT_NEW_VERSIONS_BURST: '0', REGISTRY_LIMIT_INVITATIONS_EVERY_MS: '0' }).actionLimits;
  assert.equal(off.new_version, null);
  assert.equal(off.invitation, null);
  assert.deepEqual(off.new_package, { burst: 100, everyMs: 60_000 });
});

test('per-action limits: wrong values are reported together, each naming its variable and range', () => {
  assert.throws(
    () =>
      loadConfig({
        REGISTRY_LIMIT_NEW_PACKAGES_BURST: '-1',
        REGISTRY_LIMIT_NEW_VERSIONS_EVERY_MS: '1.5',
        REGISTRY_LIMIT_YANKS_BURST: 'many',
        REGISTRY_LIMIT_INVITATIONS_EVERY_MS: String(31 * 86_400_000),
      }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 4, e.message);
      assert.match(e.message, /REGISTRY_LIMIT_NEW_PACKAGES_BURST="-1" must be a whole number >= 0 and <= 1000000/);
      assert.match(e.message, /REGISTRY_LIMIT_NEW_VERSIONS_EVERY_MS="1.5" must be a whole number >= 0/);
      assert.match(e.message, /REGISTRY_LIMIT_YANKS_BURST="many"/);
      assert.match(e.message, /REGISTRY_LIMIT_INVITATIONS_EVERY_MS=.* <= 2592000000/);
      return true;
    },
  );
});
