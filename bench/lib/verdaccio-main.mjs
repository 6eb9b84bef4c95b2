// Starts Verdaccio from its package's programmatic entry (runServer) rather than its CLI: the CLI
// of 6.9 and later refuses to start on Node < 22, the Node the rest of the benchmark runs on.
// Usage: node verdaccio-main.mjs <verdaccio bin path> <config.yaml> <host> <port>
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bin, config, host, port] = process.argv.slice(2);
if (bin === undefined || config === undefined || host === undefined || port === undefined) {
  console.error('usage: verdaccio-main.mjs BIN CONFIG HOST PORT');
  process.exit(2);
}
const entry = join(dirname(dirname(bin)), 'build', 'index.mjs');
const { runServer } = await import(pathToFileURL(entry).href);
const server = await runServer(config);
server.listen(Number(port), host);
// The parent stops this process by PID; leave with it too if it dies without doing so.
process.on('disconnect', () => process.exit(0));
