// The ceiling: bare node:http answering every request with the same 2 KB JSON body. Port from argv.
import http from 'node:http';

const body = JSON.stringify({ name: 'pkg', description: 'x'.repeat(1900), versions: ['1.0.0'] });
const length = Buffer.byteLength(body);
http
  .createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
    response.end(body);
  })
  .listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
