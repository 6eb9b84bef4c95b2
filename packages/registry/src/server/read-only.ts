/**
 * A full mirror (REGISTRY_MIRROR_OF) serves reads only: its data comes from its primary's changes
 * feed (`npm run mirror`), so any write here, API or web form, is refused with 405 naming the primary.
 */
import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../../core/src/errors.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseWritesOnMirror(app: FastifyInstance, primary: string | null): void {
  if (!primary) return;
  app.addHook('onRequest', async (request) => {
    if (READS.has(request.method)) return;
    throw new RegistryError(
      405,
      'mirror_read_only',
      `This registry is a read-only mirror of ${primary}; send ${request.method} requests there`,
      {
        headers: { allow: 'GET, HEAD, OPTIONS' },
        data: { primary },
      },
    );
  });
}
