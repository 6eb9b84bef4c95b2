import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envReader } from './config-error.ts';
import { readFleet } from './fleet.ts';

const read = (env: Record<string, string>) => {
  const r = envReader(env);
  return { config: readFleet(r), problems: r.problems };
};

test('fleet reports: every 15 s by default, a month of hours, the id made at start unless given', () => {
  assert.deepEqual(read({}).config, { reportIntervalMs: 15_000, instanceId: undefined, retentionDays: 31 });
  assert.deepEqual(read({ REGISTRY_FLEET_REPORT_MS: '0', REGISTRY_INSTANCE_ID: 'web-1.eu', REGISTRY_FLEET_RETENTION_DAYS: '90' }).config, {
    reportIntervalMs: 0,
    instanceId: 'web-1.eu',
    retentionDays: 90,
  });
});

test('an interval over a minute (the dashboard lists who reported in the last minute) and a bad id are refused', () => {
  assert.match(
    read({ REGISTRY_FLEET_REPORT_MS: '60001' }).problems.join(),
    /REGISTRY_FLEET_REPORT_MS="60001" must be a whole number >= 0 and <= 60000/,
  );
  assert.match(read({ REGISTRY_INSTANCE_ID: 'web 1' }).problems.join(), /REGISTRY_INSTANCE_ID must be 1 to 128 visible ASCII characters/);
  assert.match(read({ REGISTRY_INSTANCE_ID: 'x'.repeat(129) }).problems.join(), /REGISTRY_INSTANCE_ID/);
  assert.match(read({ REGISTRY_FLEET_RETENTION_DAYS: '1' }).problems.join(), /REGISTRY_FLEET_RETENTION_DAYS/);
});
