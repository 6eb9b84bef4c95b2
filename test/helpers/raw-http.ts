/** Raw bytes to the server on loopback: for requests no HTTP client would send. */
import { once } from 'node:events';
import net from 'node:net';

/** Sends `raw` on a new connection to `port`; everything the server answers until it closes the connection. */
export async function rawExchange(port: number, raw: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  // The server may close before it has read all of a request it refused: that reset is expected.
  socket.on('error', () => undefined);
  socket.write(raw);
  await once(socket, 'close');
  return text;
}
