/**
 * Pull-through latency: one request at a time, for each name its first request through the
 * pull-through registry (uncached: it asks the upstream), then a second pass (cached), for the
 * package document and for a tarball; the upstream asked directly is the yardstick. Every answer
 * must be 200, and every tarball must be the upstream's bytes.
 */
import { createHash } from 'node:crypto';
import { quantile } from './stats.ts';

export interface LatencyRow {
  title: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function timedGet(url: string): Promise<{ ms: number; sha: string }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${body.toString().slice(0, 300)}`);
  return { ms, sha: createHash('sha256').update(body).digest('hex') };
}

async function pass(title: string, urls: readonly string[]): Promise<{ row: LatencyRow; shas: string[] }> {
  const ms: number[] = [];
  const shas: string[] = [];
  for (const url of urls) {
    const got = await timedGet(url);
    ms.push(got.ms);
    shas.push(got.sha);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { row: { title, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: sorted.at(-1)! }, shas };
}

export interface PullThroughResult {
  rows: LatencyRow[];
  /** Uncached p50 / cached p50, documents then tarballs. */
  documentRatio: number;
  tarballRatio: number;
}

export async function pullThroughLatency(
  upstreamApi: string,
  pullApi: string,
  names: readonly string[],
  version: string,
): Promise<PullThroughResult> {
  const documents = (api: string) => names.map((n) => `${api}/packages/${n}`);
  const tarballs = (api: string) => names.map((n) => `${api}/packages/${n}/${version}/tarball`);
  // Order matters: the first pass over each kind is the uncached one.
  const docCold = await pass('package document, uncached (first request)', documents(pullApi));
  const docWarm = await pass('package document, cached (second request)', documents(pullApi));
  const docDirect = await pass('package document, upstream directly', documents(upstreamApi));
  const tarCold = await pass(`tarball @${version}, uncached (first request)`, tarballs(pullApi));
  const tarWarm = await pass(`tarball @${version}, cached (second request)`, tarballs(pullApi));
  const tarDirect = await pass(`tarball @${version}, upstream directly`, tarballs(upstreamApi));
  const mismatch = names.findIndex((_, i) => tarCold.shas[i] !== tarDirect.shas[i] || tarWarm.shas[i] !== tarDirect.shas[i]);
  if (mismatch >= 0) throw new Error(`the pull-through tarball of ${names[mismatch]}@${version} is not the upstream's bytes`);
  return {
    rows: [docCold, docWarm, docDirect, tarCold, tarWarm, tarDirect].map((p) => p.row),
    documentRatio: docCold.row.p50Ms / docWarm.row.p50Ms,
    tarballRatio: tarCold.row.p50Ms / tarWarm.row.p50Ms,
  };
}
