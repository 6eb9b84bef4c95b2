import type { EnvReader } from './config-error.ts';

export interface FleetConfig {
  /**
   * How often this instance writes its counters and heartbeat to the shared fleet tables (0: never,
   * and it is then missing from the dashboard). At most a minute: the dashboard lists the instances
   * that reported in the last minute.
   */
  reportIntervalMs: number;
  /** This instance's name on the dashboard; undefined: host, pid and a random part, made at start. */
  instanceId: string | undefined;
  /** Daily report rows (and instances silent) older than this are pruned; minute rows go after a day, hour rows after two. */
  retentionDays: number;
}

const INSTANCE_ID = /^[\x21-\x7e]{1,128}$/;

export function readFleet(r: EnvReader): FleetConfig {
  const instanceId = r.optional('REGISTRY_INSTANCE_ID');
  if (instanceId !== undefined && !INSTANCE_ID.test(instanceId)) {
    r.problems.push('REGISTRY_INSTANCE_ID must be 1 to 128 visible ASCII characters (no spaces)');
  }
  return {
    reportIntervalMs: r.int('REGISTRY_FLEET_REPORT_MS', 15_000, { min: 0, max: 60_000 }),
    instanceId,
    retentionDays: r.int('REGISTRY_FLEET_RETENTION_DAYS', 31, { min: 2, max: 400 }),
  };
}
