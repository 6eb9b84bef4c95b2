// The ceiling: bare node:http answering every request with the same 2 KB JSON body. Port from argv;
// a second argument runs that many node:cluster workers on the port (the ceiling of REGISTRY_WORKERS).
import cluster from 'node:cluster';
import http from 'node:http';

const port = Number(process.argv[2]);
const workers = Number(process.argv[3] ?? 0);

if (workers > 0 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', () => {
    listening += 1;
    if (listening === workers) process.stdout.write('ready\n');
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const body = JSON.stringify({ name: 'pkg', description: 'x'.repeat(1900), versions: ['1.0.0'] });
  const length = Buffer.byteLength(body);
  http
    .createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
      response.end(body);
    })
    .listen(port, '127.0.0.1', () => {
      if (workers === 0) process.stdout.write('ready\n');
    });
}
