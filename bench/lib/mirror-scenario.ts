/**
 * The full-mirror scenario: a mirror child run SIGKILLed once about half the versions are in, the
 * resume point read from its database, a second run to the end, then a registry on the mirror's
 * database and folder compared with the upstream through both APIs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistryProcess } from './registry-process.ts';
import { mirroredVersions, runMirror, storedCursor, type MirrorRun } from './mirror-child.ts';
import { verifyMirror, type Verification } from './mirror-verify.ts';
import type { LifecycleSummary } from './upstream-lifecycle.ts';

export const loadNow = () => Number(loadavg()[0]!.toFixed(2));

export interface FullMirrorInput {
  root: string;
  upstream: RegistryProcess;
  names: readonly string[];
  concurrency: number;
  /** Live versions on the upstream: the mirror's goal. */
  totalVersions: number;
  start(env: Record<string, string>): Promise<RegistryProcess>;
  /** Load average at each phase's start, filled in here. */
  load: Record<string, number>;
}

export interface FullMirrorResult {
  killAt: number;
  first: Omit<MirrorRun, 'lines'> & { lastLine: string | undefined };
  /** What the restart found: versions rows already in, and the cursor it resumed from. */
  resume: { versions: number; cursor: string | undefined };
  second: Omit<MirrorRun, 'lines'> & { firstLine: string | undefined; lastLine: string | undefined };
  versionsPerSecond: number;
  mbPerSecond: number;
  verification: Verification;
  lifecycle?: LifecycleSummary;
  publish?: { seconds: number; perSecond: number };
}

export async function fullMirror(input: FullMirrorInput): Promise<FullMirrorResult> {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-mirror-'));
  try {
    const target = {
      root: input.root,
      from: input.upstream.origin,
      concurrency: input.concurrency,
      dbPath: join(dir, 'registry.db'),
      storagePath: join(dir, 'packages'),
      dataDir: dir,
    };
    const killAt = Math.ceil(input.totalVersions / 2);
    input.load['mirror run 1'] = loadNow();
    console.error(`mirroring into ${dir}; SIGKILL at ${killAt} versions…`);
    const first = await runMirror(target, killAt);
    if (!first.killed) throw new Error('the mirror finished before it could be killed halfway');
    const resume = { versions: mirroredVersions(target.dbPath), cursor: storedCursor(target.dbPath, target.from) };
    console.error(
      `killed after ${(first.ms / 1000).toFixed(1)} s with ${resume.versions} versions in; cursor ${resume.cursor ?? 'none'}; restarting…`,
    );
    input.load['mirror run 2'] = loadNow();
    const second = await runMirror(target);
    console.error(`second run: ${(second.ms / 1000).toFixed(1)} s; ${second.lines.at(-1) ?? ''}`);

    input.load['verify'] = loadNow();
    const reader = await input.start({
      REGISTRY_DB_URL: `sqlite://${target.dbPath}`,
      REGISTRY_STORAGE_PATH: target.storagePath,
      REGISTRY_MIRROR_OF: target.from,
    });
    const verification = await verifyMirror(`${input.upstream.origin}/api/v1`, `${reader.origin}/api/v1`, input.names);
    await reader.stop(2_000);
    const seconds = (first.ms + second.ms) / 1000;
    const { lines: l1, ...firstRest } = first;
    const { lines: l2, ...secondRest } = second;
    return {
      killAt,
      first: { ...firstRest, lastLine: l1.at(-1) },
      resume,
      second: { ...secondRest, firstLine: l2[0], lastLine: l2.at(-1) },
      versionsPerSecond: input.totalVersions / seconds,
      mbPerSecond: verification.tarballBytes / 1_048_576 / seconds,
      verification,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
