/**
 * Does webhook delivery slow publishing? Scenario A publishes with no subscription; scenario B does
 * the same publishes with `--subscriptions` account-wide subscriptions to package.published, spread
 * over the ports of a loopback receiver (a child process answering 204 and verifying signatures with
 * `standardwebhooks`). A and B alternate (A, B, A, B, …), each on a fresh registry, and the report
 * gives the median publishes/s of each, the ratio B/A, how long the deliveries took to drain after
 * the last publish, and whether every delivery arrived exactly once.
 *
 *   node --import tsx bench/webhooks-publish.ts [--rounds 3] [--packages 50] [--versions 20]
 *     [--publishers 8] [--subscriptions 10] [--ports 3] [--drain-timeout 120]
 *     [--backend sqlite|postgres] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 *     [--env NAME=VALUE]… [--cpu-prof DIR] [--json FILE]
 *
 * Loopback only, bounded in publishes and time; a watchdog stops the children by PID and exits if
 * the run overstays its budget.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bounded } from './lib/options.ts';
import { createDatabase, type Disposable } from './lib/services.ts';
import { startReceiverProcess } from './lib/webhook-receiver.ts';
import { runScenario, type ScenarioResult } from './lib/webhook-scenario.ts';
import { webhookReport, type Labelled } from './lib/webhook-report.ts';

const ROOT = resolve(import.meta.dirname, '..');

function readOptions() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      packages: { type: 'string' },
      versions: { type: 'string' },
      publishers: { type: 'string' },
      subscriptions: { type: 'string' },
      ports: { type: 'string' },
      'drain-timeout': { type: 'string' },
      backend: { type: 'string' },
      'pg-url': { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--env takes NAME=VALUE, not ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const backend = values.backend ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error(`--backend must be sqlite or postgres, not ${backend}`);
  return {
    rounds: bounded(values.rounds, 3, 1, 10, '--rounds'),
    packages: bounded(values.packages, 50, 1, 1_000, '--packages'),
    versions: bounded(values.versions, 20, 1, 50, '--versions'),
    publishers: bounded(values.publishers, 8, 1, 64, '--publishers'),
    subscriptions: bounded(values.subscriptions, 10, 1, 25, '--subscriptions'),
    ports: bounded(values.ports, 3, 1, 16, '--ports'),
    drainTimeoutMs: bounded(values['drain-timeout'], 120, 1, 600, '--drain-timeout') * 1000,
    backend: backend as 'sqlite' | 'postgres',
    pgUrl: values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    json: values.json,
    /** Extra registry variables for both scenarios, to try one change at a time (REGISTRY_JOBS_ENABLED=false). */
    env,
  };
}
export type Options = ReturnType<typeof readOptions>;

/** What the run created and has not removed yet, for the watchdog and the signal handlers. */
const live: Disposable[] = [];

async function disposeLive(): Promise<void> {
  for (const item of live.splice(0).reverse()) {
    try {
      await item.dispose();
    } catch (error) {
      console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function forget(item: Disposable): void {
  const at = live.indexOf(item);
  if (at >= 0) live.splice(at, 1);
}

async function runOne(
  options: Options,
  receiver: Parameters<typeof runScenario>[0]['receiver'],
  subscriptions: number,
): Promise<ScenarioResult> {
  const env: Record<string, string> = { ...options.env };
  let database: (Disposable & { url: string }) | undefined;
  if (options.backend === 'postgres') {
    database = await createDatabase(options.pgUrl);
    live.push(database);
    env.REGISTRY_DB_URL = database.url;
  }
  try {
    return await runScenario({
      root: ROOT,
      env,
      receiver,
      subscriptions,
      packages: options.packages,
      versions: options.versions,
      publishers: options.publishers,
      drainTimeoutMs: options.drainTimeoutMs,
      settleMs: 1_000,
      track: (item) => {
        live.push(item);
        return () => forget(item);
      },
      ...(options.cpuProfDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] } : {}),
    });
  } finally {
    if (database) {
      forget(database);
      await database.dispose();
    }
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.cpuProfDir) await mkdir(options.cpuProfDir, { recursive: true });
  // Budget per run: the publishes (a minute is ten times what they take here), the drain, slack.
  const budgetMs = options.rounds * 2 * (60_000 + options.drainTimeoutMs + 30_000);
  const giveUp = (code: number) => () => {
    void disposeLive().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${Math.round(budgetMs / 60_000)} minutes; stopping`);
    giveUp(2)();
  }, budgetMs);
  watchdog.unref();
  const interrupt = giveUp(130);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const runs: Labelled[] = [];
  try {
    const receiver = await startReceiverProcess(ROOT, options.ports);
    live.push({ dispose: () => receiver.stop() });
    for (let round = 1; round <= options.rounds; round++) {
      for (const scenario of ['A', 'B'] as const) {
        const subscriptions = scenario === 'A' ? 0 : options.subscriptions;
        console.error(
          `round ${round}, scenario ${scenario}: ${options.packages * options.versions} publishes, ${subscriptions} subscriptions…`,
        );
        const result = await runOne(options, receiver, subscriptions);
        console.error(
          `  ${result.published.perSecond.toFixed(0)} publishes/s, ${result.receiver.unique}/${result.expected} deliveries, drain ${result.drainMs ?? 'incomplete'} ms`,
        );
        runs.push({ scenario, round, result });
      }
    }
  } finally {
    await disposeLive();
    clearTimeout(watchdog);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  console.log(webhookReport(options, runs));
  if (options.json) await writeFile(options.json, JSON.stringify({ at: new Date().toISOString(), options, runs }, null, 2));
  if (runs.some((r) => !r.result.exactlyOnce || r.result.published.failures > 0)) process.exitCode = 1;
}

await main();
