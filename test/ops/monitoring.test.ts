/**
 * The ready-made monitoring files (ops/grafana/synapse-registry.json, ops/prometheus/alerts.yml) query
 * only metrics a real registry exports: each query's metric names are checked against a scrape taken
 * after traffic that feeds every family. alerts.yml is read line by line (no YAML parser is a
 * dependency), so it keeps the simple shape its header describes; this test fails when it does not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { scrape, type Scrape } from '../helpers/prometheus.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TOKEN = randomBytes(24).toString('base64url');
/** Prometheus' own series, which no registry exports. */
const PROMETHEUS_SERIES = new Set(['up']);

let r: TestRegistry;
let exported: Scrape;

before(async () => {
  r = await startRegistry({ REGISTRY_METRICS_TOKEN: TOKEN });
  const { token, username } = await signUp(r.api);
  const name = uniqueName('ops');
  await publish(r.api, token, { name, version: '1.0.0' });
  await publish(r.api, token, { name, version: '1.0.0' });
  await (await fetch(`${r.api}/packages/${name}/1.0.0/tarball`)).arrayBuffer();
  await call(`${r.api}/search?q=ops`);
  await call(`${r.api}/auth/login`, { json: { username, password: 'wrong-password-here' } });
  await r.registry.deps.downloads.flush();
  exported = await scrape(`${r.url}/metrics`, TOKEN);
});
after(() => r.close());

/** The metric names a PromQL expression reads: label matchers, strings and grouping clauses removed first. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names = bare.match(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b/g) ?? [];
  return names.filter((n) => /^(synapse|nodejs|process)_/.test(n) || PROMETHEUS_SERIES.has(n));
}

/** Whether a scrape has this series name, or a family it belongs to (a histogram's _bucket/_sum/_count). */
function isExported(name: string): boolean {
  if (PROMETHEUS_SERIES.has(name) || exported.families.has(name)) return true;
  if (exported.samples.some((s) => s.name === name)) return true;
  const family = name.replace(/_(bucket|sum|count)$/, '');
  return exported.families.get(family) === 'histogram';
}

function grafanaQueries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => grafanaQueries(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'query' || key === 'definition') && typeof value === 'string') out.push(value);
      else grafanaQueries(value, out);
    }
  }
  return out;
}

interface AlertRule {
  alert: string;
  fields: Map<string, string>;
}

/** Reads alerts.yml in its restricted shape: groups → rules → `- alert:` items with one-line fields. */
function readAlerts(text: string): AlertRule[] {
  const rules: AlertRule[] = [];
  let current: AlertRule | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    assert.doesNotMatch(line, /\t/, `line ${i + 1}: tabs`);
    assert.doesNotMatch(line, /:\s*[>|][-+]?\s*$/, `line ${i + 1}: multi-line strings are outside the shape this test reads`);
    const alert = /^ {6}- alert: (\S+)$/.exec(line);
    if (alert) {
      current = { alert: alert[1]!, fields: new Map() };
      rules.push(current);
      return;
    }
    const field = /^ {8,}([a-z_]+): ?(.*)$/.exec(line);
    if (field && current) {
      current.fields.set(field[1]!, field[2]!.trim());
      return;
    }
    assert.match(line, /^(groups:|  - name: \S+|    rules:)$/, `line ${i + 1} is outside the expected shape: ${line}`);
  });
  return rules;
}

describe('ops/grafana/synapse-registry.json', () => {
  test('every query reads metrics the registry exports, and each panel has one', async () => {
    const dashboard = JSON.parse(await readFile(join(ROOT, 'ops/grafana/synapse-registry.json'), 'utf8'));
    assert.equal(dashboard.uid, 'synapse-registry');
    const panels = (dashboard.panels as { type: string; title: string; targets?: { expr: string }[] }[]).filter((p) => p.type !== 'row');
    assert.ok(panels.length >= 15);
    for (const panel of panels) assert.ok(panel.targets?.length && panel.targets.every((t) => metricsIn(t.expr).length > 0), panel.title);
    const queried = new Set(grafanaQueries(dashboard).flatMap(metricsIn));
    const missing = [...queried].filter((name) => !isExported(name));
    assert.deepEqual(missing, []);
    // The dashboard covers the families the issue lists.
    for (const family of [
      'synapse_http_request_duration_seconds_bucket',
      'synapse_publishes_total',
      'synapse_download_flush_lag_seconds',
      'synapse_blob_cache_lookups_total',
      'synapse_db_pool_connections',
      'synapse_jobs_queued',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      assert.ok(queried.has(family), family);
    }
  });
});

describe('ops/prometheus/alerts.yml', () => {
  test('every rule is complete and reads metrics the registry exports', async () => {
    const rules = readAlerts(await readFile(join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8'));
    assert.ok(rules.length >= 6);
    assert.equal(new Set(rules.map((rule) => rule.alert)).size, rules.length, 'alert names are unique');
    for (const rule of rules) {
      for (const field of ['expr', 'for', 'severity', 'summary']) assert.ok(rule.fields.get(field), `${rule.alert}: ${field}`);
      assert.match(rule.fields.get('for')!, /^\d+[smh]$/, rule.alert);
      assert.ok(metricsIn(rule.fields.get('expr')!).length > 0, rule.alert);
    }
    const missing = rules.flatMap((rule) =>
      metricsIn(rule.fields.get('expr')!)
        .filter((name) => !isExported(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    assert.deepEqual(missing, []);
    // Error rate, p99 latency, flush lag and readiness, as the issue asks.
    const exprs = rules.map((rule) => rule.fields.get('expr')!).join('\n');
    for (const needed of ['status_class="5xx"', 'histogram_quantile(0.99', 'synapse_download_flush_lag_seconds', 'synapse_dependency_up']) {
      assert.ok(exprs.includes(needed), needed);
    }
  });

  test('the checker itself finds a metric that does not exist', () => {
    assert.deepEqual(metricsIn('sum by (route) (rate(synapse_http_requestz_total{route="/x"}[5m]))'), ['synapse_http_requestz_total']);
    assert.equal(isExported('synapse_http_requestz_total'), false);
    assert.equal(isExported('synapse_http_request_duration_seconds_bucket'), true);
  });
});
