/**
 * The registry's listening: the configured address, with several accepting sockets where configured
 * (accept-listeners.ts), and their stop at shutdown.
 */
import type { FastifyInstance, FastifyListenOptions } from 'fastify';
import type { ServerConfig } from '../config/server.ts';
import { addAcceptListeners, assertPortFree, type AcceptListeners } from './accept-listeners.ts';

export interface Listening {
  /** The bound address (with REGISTRY_PORT=0 the OS picks the port). */
  address: string;
  /** The extra sockets, when more than one listens. */
  extra: AcceptListeners | undefined;
}

/** On failure the app may be listening: the caller closes the registry (its close stops both). */
export async function listen(app: FastifyInstance, server: Pick<ServerConfig, 'host' | 'port' | 'acceptListeners'>): Promise<Listening> {
  const { host, port, acceptListeners } = server;
  if (acceptListeners <= 1) return { address: await app.listen({ host, port }), extra: undefined };
  await assertPortFree(host, port);
  // `reusePort` reaches node:net as given (Fastify passes its listen options on); typed from Node 22.12.
  const options: FastifyListenOptions & { reusePort: boolean } = { host, port, reusePort: true };
  const address = await app.listen(options);
  return { address, extra: await addAcceptListeners({ server: app.server, extra: acceptListeners - 1 }) };
}
