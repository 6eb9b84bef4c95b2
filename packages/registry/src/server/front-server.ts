/**
 * The HTTP server with the front path (front-path.ts) ahead of Fastify: Fastify's `serverFactory`,
 * which is asked for the server while the app is made, before the front path can be (it needs the
 * app's routes, limits and logger). So the server asks a holder, filled once the app is built.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import type { FrontHandler } from './front-path.ts';

export interface FrontHolder {
  handler?: FrontHandler;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What each app's server does with a request, for servers of its own (the warm-up's: warm-requests.ts). */
const listeners = new WeakMap<FastifyInstance, Listener>();

/** The server Fastify would make (lib/server.js), with the front path asked first. */
export function frontServerFactory(holder: FrontHolder): FastifyServerFactory {
  return (handler, given) => {
    // Fastify's options after its defaults: these four are always numbers.
    const options = given as {
      http?: object;
      keepAliveTimeout: number;
      requestTimeout: number;
      connectionTimeout: number;
      maxRequestsPerSocket: number;
    };
    const server = createServer(options.http ?? {}, (req, res) => {
      if (holder.handler === undefined || !holder.handler(req, res)) handler(req, res);
    });
    // What Fastify sets on a server it makes itself; a factory's server gets none of it.
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
}

/** Records that `app`'s server asks `front` first. */
export function attachFront(app: FastifyInstance, holder: FrontHolder, front: FrontHandler): void {
  holder.handler = front;
  listeners.set(app, (req, res) => {
    if (!front(req, res)) app.routing(req, res);
  });
}

/** The listener `app`'s own server has: the front path, if any, then Fastify's routing. */
export function requestListener(app: FastifyInstance): Listener {
  return listeners.get(app) ?? ((req, res) => app.routing(req, res));
}
