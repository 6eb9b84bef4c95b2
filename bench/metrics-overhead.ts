/**
 * What the metrics cost on the hot paths: two registries side by side in one run, one with metrics
 * on (the defaults: metrics, slow-request timings) and one with them off (REGISTRY_METRICS_ENABLED=false,
 * REGISTRY_SLOW_REQUEST_MS=0), the same corpus in each, loaded one at a time in ABBA order per round
 * so drift on a shared machine falls on both alike. Request ids are made in both (they are not
 * optional). Loopback only, a fixed number of bounded loads, a watchdog.
 *
 *   node --import tsx bench/metrics-overhead.ts [seconds per load, default 5] [--rounds 3]
 *     [--packages 300] [--versions 3] [--connections 50] [--only package,version,tarball]
 *     [--on-env REGISTRY_SLOW_REQUEST_MS=0]   (extra variables for the metrics-on registry)
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegistry, type RegistryProcess } from './lib/registry-process.ts';
import { populate } from './lib/populate.ts';
import { loadTargets, runLoad, type LoadResult } from './lib/load.ts';
import { markdownTable } from './lib/stats.ts';
import { bounded } from './lib/options.ts';

type Measured = LoadResult & { cpuUsPerRequest: number };

const ROOT = resolve(import.meta.dirname, '..');
const HOT = ['package', 'version', 'tarball'];

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rounds: { type: 'string' },
      packages: { type: 'string' },
      versions: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'on-env': { type: 'string' },
    },
  });
  return {
    seconds: bounded(positionals[0], 5, 1, 60, 'the load duration (seconds)'),
    rounds: bounded(values.rounds, 3, 1, 10, '--rounds'),
    packages: bounded(values.packages, 300, 1, 5_000, '--packages'),
    versions: bounded(values.versions, 3, 1, 10, '--versions'),
    connections: bounded(values.connections, 50, 1, 200, '--connections'),
    only: values.only?.split(',').map((s) => s.trim()) ?? HOT,
    // What "on" runs with besides the defaults, e.g. REGISTRY_SLOW_REQUEST_MS=0 (metrics without request timings).
    onEnv: Object.fromEntries(
      (values['on-env'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('=', 2) as [string, string]),
    ),
  };
}

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main() {
  const options = readOptions();
  const targets = loadTargets(options.packages, options.versions).filter((t) => options.only.includes(t.id));
  if (targets.length === 0) throw new Error(`--only matches none of ${HOT.join(', ')}`);
  // One account publishes the whole corpus: the per-action limits would stop it at 100 new packages.
  const unlimited = { REGISTRY_LIMIT_NEW_PACKAGES_BURST: '0', REGISTRY_LIMIT_NEW_VERSIONS_BURST: '0' };
  const registries: Record<'on' | 'off', RegistryProcess> = {
    on: await startRegistry({ root: ROOT, env: { ...unlimited, ...options.onEnv } }),
    off: await startRegistry({ root: ROOT, env: { ...unlimited, REGISTRY_METRICS_ENABLED: 'false', REGISTRY_SLOW_REQUEST_MS: '0' } }),
  };
  const stopAll = () => Promise.all(Object.values(registries).map((r) => r.stop(2_000)));
  const budgetMs = 10 * 60_000 + options.rounds * targets.length * 2 * (options.seconds + 10) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${Math.round(budgetMs / 60_000)} minutes; stopping`);
    void stopAll().finally(() => process.exit(2));
  }, budgetMs);
  watchdog.unref();
  try {
    for (const [mode, registry] of Object.entries(registries)) {
      console.error(`populating ${mode} (${options.packages} × ${options.versions})…`);
      const published = await populate({
        api: `${registry.origin}/api/v1`,
        packages: options.packages,
        versions: options.versions,
        publishers: 8,
      });
      if (published.failures > 0) throw new Error(`populate ${mode}: ${published.failureSamples.join('; ')}`);
    }
    const results: Record<string, Record<'on' | 'off', Measured[]>> = {};
    const load: string[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const target of targets) {
        // ABBA: on, off in even rounds; off, on in odd ones.
        const order: ('on' | 'off')[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        for (const mode of order) {
          if (round === 0) await runLoad(registries[mode].origin, target, { connections: options.connections, durationSeconds: 2 }); // warm-up
          console.error(`round ${round + 1}: ${target.id}, metrics ${mode}…`);
          const cpuBefore = await cpuSeconds(registries[mode].pid);
          const result = await runLoad(registries[mode].origin, target, {
            connections: options.connections,
            durationSeconds: options.seconds,
          });
          const cpu = (await cpuSeconds(registries[mode].pid)) - cpuBefore;
          (results[target.id] ??= { on: [], off: [] })[mode].push({ ...result, cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.total) });
        }
        load.push(loadavg()[0]!.toFixed(1));
      }
    }
    const scraped = await (await fetch(`${registries.on.origin}/metrics`)).text();
    const counted = scraped
      .split('\n')
      .filter((l) => l.startsWith('synapse_http_requests_total{'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const rows = targets.map((t) => {
      const { on, off } = results[t.id]!;
      const rps = (rs: Measured[]) => median(rs.map((r) => r.reqPerSec));
      const cpu = (rs: Measured[]) => median(rs.map((r) => r.cpuUsPerRequest));
      const bad = [...on, ...off].reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
      return [
        t.title,
        on.map((r) => r.reqPerSec).join(', '),
        off.map((r) => r.reqPerSec).join(', '),
        `${(rps(on) / rps(off)).toFixed(3)}×`,
        `${cpu(on).toFixed(0)} / ${cpu(off).toFixed(0)}`,
        `${(cpu(on) / cpu(off)).toFixed(3)}×`,
        `${median(on.map((r) => r.p99Ms))} / ${median(off.map((r) => r.p99Ms))}`,
        bad,
      ];
    });
    console.log(
      `Metrics overhead, ${new Date().toISOString()}, Node ${process.version}; ${options.packages} × ${options.versions} packages, ` +
        `${options.connections} connections, ${options.seconds} s per load, ${options.rounds} rounds (ABBA), SQLite + local folder, logs off` +
        `${Object.keys(options.onEnv).length ? `; metrics on with ${JSON.stringify(options.onEnv)}` : ''}.\n`,
    );
    console.log(
      markdownTable(
        [
          'target',
          'req/s, metrics on',
          'req/s, metrics off',
          'req/s on / off',
          'server CPU µs/req on / off',
          'CPU on / off',
          'p99 ms on / off',
          'non-2xx',
        ],
        rows,
      ),
    );
    console.log(
      `\nThe metrics-on registry counted ${counted} requests. Machine 1-minute load average after each pair: ${load.join(', ')}.`,
    );
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

await main();
