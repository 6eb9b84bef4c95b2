/**
 * A reference server of bench/lib as a child process on a free port: the bare node:http ceiling
 * (bare-server.mjs) or the framework floor (fastify-floor.ts, through tsx). Ready once it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from './registry-process.ts';

export interface BareProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM by PID; resolves on exit. */
  stop(): Promise<void>;
}

export async function startBareServer(script = 'bare-server.mjs', args: string[] = []): Promise<BareProcess> {
  const port = await freePort();
  const flags = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const root = new URL('..', import.meta.url).pathname;
  const child = spawn(process.execPath, [...flags, join(root, 'lib', script), String(port), ...args], {
    cwd: join(root, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
