/**
 * `npm run mirror` as a child process (`node --import tsx packages/registry/src/mirror/mirror-main.ts`) against a
 * mirror database and blob folder of our own: run to the end, or SIGKILLed by its PID once the
 * mirror database holds a given number of versions (polled read-only, so the kill lands inside a
 * page, between two package transactions, not on a page boundary).
 */
import { spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';

export interface MirrorTarget {
  root: string;
  from: string;
  dbPath: string;
  storagePath: string;
  dataDir: string;
  concurrency: number;
}

export interface MirrorRun {
  /** Spawn to exit (or to the kill), ms. */
  ms: number;
  killed: boolean;
  /** The progress lines it printed. */
  lines: string[];
  exit: number | string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Versions rows in the mirror database (live or deleted), or 0 before its first migration. */
export function mirroredVersions(dbPath: string): number {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
    return (db.prepare('SELECT count(*) AS n FROM versions').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

/** The cursor the mirror stored for `from`, read after the child is gone. */
export function storedCursor(dbPath: string, from: string): string | undefined {
  const db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT cursor FROM mirror_state WHERE upstream = ?').get(from) as { cursor: string } | undefined;
    return row?.cursor;
  } finally {
    db.close();
  }
}

/** Live child PIDs, for the watchdog. */
export const mirrorPids = new Set<number>();

export async function runMirror(target: MirrorTarget, killAtVersions?: number): Promise<MirrorRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/registry/src/mirror/mirror-main.ts', '--from', target.from, '--concurrency', String(target.concurrency)],
    {
      cwd: target.root,
      env: {
        ...process.env,
        REGISTRY_ENV: 'development',
        REGISTRY_DATA_DIR: target.dataDir,
        REGISTRY_DB_URL: `sqlite://${target.dbPath}`,
        REGISTRY_STORAGE_TYPE: 'local',
        REGISTRY_STORAGE_PATH: target.storagePath,
        REGISTRY_LOG_LEVEL: 'fatal',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid === undefined) throw new Error('could not spawn the mirror');
  const pid = child.pid;
  mirrorPids.add(pid);
  const lines: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let exit: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exit = code ?? signal), resolve())));
  let killed = false;
  if (killAtVersions !== undefined) {
    while (exit === undefined) {
      if (mirroredVersions(target.dbPath) >= killAtVersions) {
        process.kill(pid, 'SIGKILL');
        killed = true;
        break;
      }
      await sleep(50);
    }
  }
  await exited;
  const ms = performance.now() - started;
  mirrorPids.delete(pid);
  if (!killed && exit !== 0) throw new Error(`the mirror exited with ${String(exit)}:\n${stderr}`);
  return { ms, killed, lines, exit: exit ?? null };
}

/** SIGKILL every mirror child still running (watchdog, signals). */
export function killMirrors(): void {
  for (const pid of mirrorPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  mirrorPids.clear();
}
