/**
 * Fills a fresh registry through its HTTP API: one account, then every (package, version) published
 * by a fixed number of concurrent publishers, each publish timed on its own.
 */
import { packageName, tarballFor } from './corpus.ts';
import { quantile } from './stats.ts';

export interface PopulateOptions {
  /**
   * Base URL ending in `/api/v1`; with several (one per instance), publish k goes to api[k % n], so
   * versions of one package arrive through different instances at the same time.
   */
  api: string | readonly string[];
  packages: number;
  versions: number;
  publishers: number;
  /** A session of an account registered beforehand; by default populate registers `bench-publisher`. */
  token?: string;
}

export interface PopulateResult {
  publishes: number;
  failures: number;
  /** Up to five failures, as `name@version: status body`. */
  failureSamples: string[];
  totalSeconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** Registers the publishing account and returns a session token for it. */
export async function benchToken(api: string): Promise<string> {
  const account = { username: 'bench-publisher', email: 'bench@example.com', password: 'quartz-lantern-7-harbour' };
  await postJson(`${api}/auth/register`, account);
  const login = (await postJson(`${api}/auth/login`, { username: account.username, password: account.password })) as { token: string };
  return login.token;
}

/**
 * Publishes packages × versions in the order pkg-0000@1.0.0, pkg-0000@1.0.1, …, so versions of one
 * package are in flight together, as with the Verdaccio anchor's populate script.
 */
export async function populate(options: PopulateOptions): Promise<PopulateResult> {
  const apis = typeof options.api === 'string' ? [options.api] : options.api;
  if (apis.length === 0) throw new Error('populate needs at least one API URL');
  // One login: instances that share the signing secret accept it everywhere.
  const token = options.token ?? (await benchToken(apis[0]!));
  const jobs: [number, number][] = [];
  for (let p = 0; p < options.packages; p++) for (let v = 0; v < options.versions; v++) jobs.push([p, v]);

  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let next = 0;
  const publisher = async () => {
    while (next < jobs.length) {
      const k = next++;
      const [p, v] = jobs[k]!;
      const api = apis[k % apis.length]!;
      // Uint8Array over a fresh ArrayBuffer: what fetch's BodyInit type accepts.
      const body = new Uint8Array(tarballFor(p, v));
      const started = performance.now();
      let problem: string | null = null;
      try {
        const response = await fetch(`${api}/packages`, {
          method: 'POST',
          headers: { 'content-type': 'application/gzip', authorization: `Bearer ${token}` },
          body,
        });
        const text = await response.text();
        if (response.status !== 201) problem = `${response.status} ${text.slice(0, 300)}`;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - started);
      if (problem !== null) {
        failures++;
        if (failureSamples.length < 5) failureSamples.push(`${packageName(p)}@1.0.${v}: ${problem}`);
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: options.publishers }, publisher));
  const totalSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    publishes: latencies.length,
    failures,
    failureSamples,
    totalSeconds,
    perSecond: latencies.length / totalSeconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
  };
}
