/**
 * The stylesheet and the script, served under content-hashed names with a year's immutable cache:
 * a page always links the version it was rendered with, and a new release gets new names.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { APP_CSS } from './static/app-css.ts';
import { APP_JS } from './static/app-js.ts';

export interface Assets {
  css: string;
  js: string;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

const FILES = [
  { stem: 'app', ext: 'css', type: 'text/css; charset=utf-8', body: APP_CSS.trim() },
  { stem: 'app', ext: 'js', type: 'text/javascript; charset=utf-8', body: APP_JS },
].map((f) => ({ ...f, url: `/static/${f.stem}.${hashOf(f.body)}.${f.ext}` }));

export const ASSETS: Assets = { css: FILES[0]!.url, js: FILES[1]!.url };

/** Registers one GET route per asset. */
export function registerAssets(web: FastifyInstance, onRequest: unknown[]): void {
  for (const file of FILES) {
    web.get(file.url, { schema: { hide: true }, onRequest: onRequest as never }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=31536000, immutable').type(file.type).send(file.body),
    );
  }
}
