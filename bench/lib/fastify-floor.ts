// The framework's own ceiling for our response: Fastify 5, logger off, one GET route answering a
// fixed ~3 KB JSON body (the size of a package document of the corpus) with the headers a registry
// response carries (the security headers, a request id, an ETag and the RateLimit-* triple), and
// nothing else. Port from argv; run with `--import tsx` (the headers are the registry's own constant). Set beside the bare server, it splits the distance to the ceiling
// between the framework with those headers and what the registry's request does on top.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { SECURITY_HEADERS } from '../../packages/registry/src/server/security-headers.ts';

const body = JSON.stringify({ name: 'pkg', description: 'x'.repeat(2900), versions: ['1.0.0'] });
const app = Fastify({ logger: false, genReqId: () => randomUUID() });
app.get('/*', (request, reply) => {
  reply
    .headers(SECURITY_HEADERS)
    .header('x-request-id', request.id)
    .header('ratelimit-limit', 1000000000)
    .header('ratelimit-remaining', 999999999)
    .header('ratelimit-reset', 60)
    .header('etag', 'W/"L0K8AwdOvSlttBuzr-FGFMS2e0s"')
    .type('application/json; charset=utf-8')
    .send(body);
});
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
process.stdout.write('ready\n');
