/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and ranks where the server spent its own
 * (self) time, by function and by module, so a report can say what dominates.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  label: string;
  ms: number;
  share: number;
}

/** node_modules/<package>, a project-relative file, node:internal, or a V8 pseudo-frame. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName || 'native'})`;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged) return packaged[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/((?:src|test|bench)\/.*)$/.exec(url);
  return own ? own[1]! : url;
}

function rank(totals: Map<string, number>, perHit: number, totalHits: number, top: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([label, hits]) => ({ label, ms: hits * perHit, share: hits / totalHits }));
}

/** The `top` heaviest functions and modules by self time; shares are of the busy (non-idle) time. */
export async function summariseProfile(
  path: string,
  top = 20,
): Promise<{ durationMs: number; busyMs: number; functions: SelfTime[]; modules: SelfTime[] }> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as Profile;
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalHits = 0;
  let idleHits = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    totalHits += hits;
    if (node.callFrame.functionName === '(idle)') {
      idleHits += hits;
      continue;
    }
    const { functionName, url, lineNumber } = node.callFrame;
    const where = moduleOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${url === '' ? '' : `${where}:${lineNumber + 1}`}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    byModule.set(where, (byModule.get(where) ?? 0) + hits);
  }
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const perHit = totalHits === 0 ? 0 : durationMs / totalHits;
  const busyHits = totalHits - idleHits;
  return {
    durationMs,
    busyMs: busyHits * perHit,
    functions: rank(byFunction, perHit, busyHits, top),
    modules: rank(byModule, perHit, busyHits, top),
  };
}
