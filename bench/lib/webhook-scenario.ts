/**
 * One run of the webhook benchmark: a fresh registry, an account, `subscriptions` account-wide
 * subscriptions to package.published spread over the receiver's ports (none in scenario A), then
 * the same publishes as every other run; then wait until every delivery has arrived (or the drain
 * budget is spent) and a little longer, to see any duplicate.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { startRegistry } from './registry-process.ts';
import { benchToken, populate, type PopulateResult } from './populate.ts';
import { cpuMsOf, writtenBytesOf } from './process-usage.ts';
import type { ReceiverProcess, ReceiverStats } from './webhook-receiver.ts';

export interface ScenarioOptions {
  root: string;
  /** Extra registry environment (a PostgreSQL URL); the webhook and limit settings are added here. */
  env: Record<string, string>;
  receiver: ReceiverProcess;
  subscriptions: number;
  packages: number;
  versions: number;
  publishers: number;
  drainTimeoutMs: number;
  /** After the last expected delivery, how long to go on listening for duplicates. */
  settleMs: number;
  nodeArgs?: string[];
  /** Told of the registry while it runs (returns the function that forgets it), so a watchdog can stop it. */
  track?: (item: { dispose(): Promise<void> }) => () => void;
}

export interface ScenarioResult {
  subscriptions: number;
  published: PopulateResult;
  expected: number;
  /** Distinct deliveries that had arrived when the last publish was answered. */
  duringPublish: number;
  /** From the last publish's answer to the last delivery's arrival (null: not all arrived). */
  drainMs: number | null;
  /** Distinct deliveries per second, from the first publish to the last arrival. */
  deliveriesPerSec: number;
  receiver: ReceiverStats;
  /** Every subscription got every publish exactly once, every signature verified. */
  exactlyOnce: boolean;
  /** Registry process CPU during the publishes and during the drain after them. */
  registryCpuMs: { publish: number; drain: number };
  /** Bytes the registry wrote (database, WAL, blobs and sockets) during the publishes. */
  registryWrittenBytes: number;
  loadAverage: number;
  pid: number;
}

/** The environment every run gets: webhooks allowed to loopback over http, per-action limits off. */
export const WEBHOOK_BENCH_ENV: Record<string, string> = {
  REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true',
  REGISTRY_WEBHOOK_ALLOW_HTTP: 'true',
  REGISTRY_RATE_LIMIT_ENABLED: 'false',
  REGISTRY_LIMIT_NEW_PACKAGES_BURST: '0',
  REGISTRY_LIMIT_NEW_VERSIONS_BURST: '0',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const epochMs = () => performance.timeOrigin + performance.now();

async function subscribe(api: string, token: string, receiver: ReceiverProcess, count: number): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const path = `/hook/${i}`;
    const url = `http://127.0.0.1:${receiver.ports[i % receiver.ports.length]}${path}`;
    const response = await fetch(`${api}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ url, events: ['package.published'] }),
    });
    const body = (await response.json()) as { secret?: string };
    if (response.status !== 201 || !body.secret) throw new Error(`POST /webhooks answered ${response.status}: ${JSON.stringify(body)}`);
    secrets[path] = body.secret;
  }
  return secrets;
}

/** Polls the receiver until `expected` distinct deliveries arrived or the deadline passed. */
async function drain(receiver: ReceiverProcess, expected: number, deadline: number): Promise<ReceiverStats> {
  for (;;) {
    const stats = await receiver.stats();
    if (stats.unique >= expected || Date.now() > deadline) return stats;
    await sleep(20);
  }
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const registry = await startRegistry({
    root: options.root,
    env: { ...WEBHOOK_BENCH_ENV, ...options.env },
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
  });
  const untrack = options.track?.({ dispose: () => registry.stop(5_000) }) ?? (() => undefined);
  try {
    const api = `${registry.origin}/api/v1`;
    const token = await benchToken(api);
    const secrets = await subscribe(api, token, options.receiver, options.subscriptions);
    await options.receiver.reset(secrets);
    const loadAverage = loadavg()[0]!;
    const cpuBefore = await cpuMsOf(registry.pid);
    const writtenBefore = await writtenBytesOf(registry.pid);
    const startedAt = epochMs();
    const published = await populate({
      api,
      packages: options.packages,
      versions: options.versions,
      publishers: options.publishers,
      token,
    });
    const publishedAt = epochMs();
    const cpuPublished = await cpuMsOf(registry.pid);
    const writtenPublished = await writtenBytesOf(registry.pid);
    const atPublishEnd = await options.receiver.stats();
    const ok = published.publishes - published.failures;
    const expected = ok * options.subscriptions;
    const drained = await drain(options.receiver, expected, Date.now() + options.drainTimeoutMs);
    const cpuDrained = await cpuMsOf(registry.pid);
    await sleep(options.settleMs);
    const receiver = await options.receiver.stats();
    const complete = drained.unique >= expected;
    const perPathOk = Object.keys(secrets).every((path) => receiver.perPath[path] === ok);
    return {
      subscriptions: options.subscriptions,
      published,
      expected,
      duringPublish: atPublishEnd.unique,
      drainMs: complete ? Math.max(0, drained.lastAt - publishedAt) : null,
      deliveriesPerSec: receiver.unique === 0 ? 0 : receiver.unique / ((receiver.lastAt - startedAt) / 1000),
      receiver,
      exactlyOnce:
        receiver.unique === expected && receiver.total === expected && perPathOk && receiver.badSignature === 0 && receiver.unsigned === 0,
      registryCpuMs: { publish: cpuPublished - cpuBefore, drain: cpuDrained - cpuPublished },
      registryWrittenBytes: writtenPublished - writtenBefore,
      loadAverage,
      pid: registry.pid,
    };
  } finally {
    untrack();
    await registry.stop();
  }
}
