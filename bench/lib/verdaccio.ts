/**
 * Verdaccio as a comparison peer: installed outside this repository (its bin path is given), started
 * here through its package's runServer (see verdaccio-main.mjs) with a generated configuration (a temporary storage folder, no uplinks, htpasswd auth open
 * to registration, a loopback port, log level fatal) and stopped by PID.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './registry-process.ts';
import { stopProcess } from './stop-process.ts';

export interface Verdaccio {
  origin: string;
  pid: number;
  /** SIGTERM by PID (SIGKILL after 5 s), then removes the storage folder. */
  stop(): Promise<void>;
}

const config = (dir: string) => `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 100000
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
max_body_size: 50mb
web:
  enable: false
log: { type: stdout, format: pretty, level: fatal }
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startVerdaccio(bin: string, readyTimeoutMs = 60_000): Promise<Verdaccio> {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-verdaccio-'));
  await writeFile(join(dir, 'config.yaml'), config(dir));
  const port = await freePort();
  const launcher = join(import.meta.dirname, 'verdaccio-main.mjs');
  const child = spawn(process.execPath, [launcher, bin, join(dir, 'config.yaml'), '127.0.0.1', String(port)], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const pid = child.pid;
  const stop = async () => {
    await stopProcess(pid, { exited: () => exited, exit });
    await rm(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (pid === undefined || exited) {
      await stop();
      throw new Error(`Verdaccio exited before it was ready:\n${stderr}`);
    }
    if (
      await fetch(`${origin}/-/ping`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Verdaccio did not answer /-/ping within ${readyTimeoutMs} ms:\n${stderr}`);
    }
    await sleep(200);
  }
  return { origin, pid, stop };
}

/** Registers an account the npm way (`npm adduser`) and returns its token. */
export async function npmToken(origin: string): Promise<string> {
  const name = 'bench-publisher';
  const response = await fetch(`${origin}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password: 'quartz-lantern-7-harbour', type: 'user', roles: [] }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || body.token === undefined) throw new Error(`npm adduser: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}
