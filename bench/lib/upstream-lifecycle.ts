/**
 * Lifecycle changes on the upstream before it is mirrored, so the comparison covers more than
 * publishes: yanks, a deprecation, a deleted version (the latest one, so `latest` moves) and a
 * dist-tag, on packages spread over the feed (early ones land in the first mirror run, late ones
 * after the restart).
 */
import { packageName, versionName } from './corpus.ts';

export interface LifecycleSummary {
  yanked: string[];
  deprecated: string[];
  deleted: string[];
  tagged: string[];
}

async function send(api: string, token: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

export async function applyLifecycle(api: string, token: string, packages: number, versions: number): Promise<LifecycleSummary> {
  const last = versions - 1;
  const at = (p: number, v: number) => ({ name: packageName(p), version: versionName(Math.min(v, last)) });
  const yanks = [at(0, 1), at(Math.floor(packages / 2), 0), at(packages - 1, last)];
  const deprecation = at(1, 0);
  const deletion = at(packages - 2, last);
  const tag = at(2, 0);
  for (const y of yanks) await send(api, token, 'PUT', `/packages/${y.name}/${y.version}/yank`, { reason: 'benchmark yank' });
  await send(api, token, 'PUT', `/packages/${deprecation.name}/${deprecation.version}/deprecation`, {
    reason: 'security',
    message: 'use a later release',
  });
  await send(api, token, 'DELETE', `/packages/${deletion.name}/${deletion.version}`);
  await send(api, token, 'PUT', `/packages/${tag.name}/dist-tags/beta`, { version: tag.version });
  const label = (x: { name: string; version: string }) => `${x.name}@${x.version}`;
  return { yanked: yanks.map(label), deprecated: [label(deprecation)], deleted: [label(deletion)], tagged: [`${label(tag)} as beta`] };
}
