/** `npm start`: the registry on the configuration in the environment. */
// First: V8's settings must be in place before the modules below allocate (see v8-flags.ts).
import './server/v8-flags.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { createRegistry } from './server/start.ts';
import cluster from 'node:cluster';
import { runPrimary, sharedWorkerEnv } from './server/cluster.ts';
import { loadSecret } from './server/secret.ts';

async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.server.workers > 1 && cluster.isPrimary) {
    // Made once here (development mode keeps it in a file), not raced for by the workers.
    if (config.env !== 'test') loadSecret(config);
    const env = sharedWorkerEnv(config);
    process.exit(
      await runPrimary({
        workers: config.server.workers,
        shutdownGraceMs: config.server.shutdownGraceMs,
        env,
        log: (line) => console.log(line),
      }),
    );
  }
  const registry = await createRegistry(config);
  // The bound address, not the configured one: with REGISTRY_PORT=0 the OS picks the port.
  let address: string;
  try {
    address = await registry.listen();
  } catch (error) {
    await registry.close();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(`${config.server.host}:${config.server.port} is in use by another process: stop it, or set REGISTRY_PORT to a free port`);
    process.exit(1);
  }
  // Workers stay quiet: the primary says where the registry is once all of them listen.
  if (!cluster.isWorker) console.log(`Synapse Registry (${config.env}) at ${address}/api/v1 — docs at /api/v1/docs`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then exiting`);
    const force = setTimeout(() => process.exit(1), config.server.shutdownGraceMs);
    force.unref();
    registry.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
