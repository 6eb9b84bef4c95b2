/**
 * The warm-up's client side (warm-requests.ts): a bare socket sending GETs one at a time, each once
 * the answer to the one before has come in whole, as a browser, an installer or wrk does. Not Node's
 * HTTP client: it shares code with the server (the parser, outgoing messages), which it would train on
 * its own objects. Not pipelined: a server reading many requests a read, queueing their answers, runs
 * other paths than it does for clients, and those it had optimised were undone by the first real ones
 * (measured on Node 24 with --trace-opt --trace-deopt, bench/RESULTS.md run 29: the first two seconds
 * of traffic recompiled about 125 functions with Maglev and 85 with TurboFan, at half the later
 * throughput meanwhile; after the change 40 and 70).
 */
import net from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');
/** Bigger heads are not ours: the framing gives up (the connection is dropped). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Calls `onAnswer` at the end of each answer in the bytes pushed to it, or `onUnframed` once for one
 * whose end it cannot tell. Our server frames every answer the warm-up asks for with a length;
 * chunked or close-delimited answers are not expected, and end the connection's warm-up.
 */
export function answerEnds(onAnswer: () => void, onUnframed: () => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let bodyLeft = 0;
  let gaveUp = false;
  return (chunk) => {
    if (gaveUp) return;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (bodyLeft > 0) {
        const taken = Math.min(bodyLeft, pending.length);
        bodyLeft -= taken;
        pending = pending.subarray(taken);
        if (bodyLeft > 0) return;
        onAnswer();
        continue;
      }
      const end = pending.indexOf(HEAD_END);
      if (end < 0) {
        if (pending.length > MAX_HEAD_BYTES) give();
        return;
      }
      const length = bodyLength(pending.subarray(0, end).toString('latin1'));
      pending = pending.subarray(end + HEAD_END.length);
      if (length === undefined) return give();
      bodyLeft = length;
      if (length === 0) onAnswer();
    }
  };
  function give() {
    gaveUp = true;
    onUnframed();
  }
}

/** The body's length by the head's status and Content-Length; undefined if neither says. */
function bodyLength(head: string): number | undefined {
  const status = Number(head.slice(9, 12));
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return 0;
  const match = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  return match ? Number(match[1]) : undefined;
}

/**
 * GETs `paths` in turn on one connection to `port` on loopback, then ends it: the server closes it
 * (the last request asks it to) or, with `clientCloses`, the client does once the last answer is in;
 * clients do both, and each runs code of its own. Resolves once the connection has closed (answered,
 * failed, or cut off by the caller's deadline).
 */
export function getOneByOne(port: number, paths: readonly string[], clientCloses: boolean): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    const send = () => {
      const asksClose = !clientCloses && sent === paths.length - 1;
      socket.write(`GET ${paths[sent]} HTTP/1.1\r\nHost: 127.0.0.1\r\n${asksClose ? 'Connection: close\r\n' : ''}\r\n`);
      sent += 1;
    };
    const socket = net.connect(port, '127.0.0.1', send);
    let answered = 0;
    const push = answerEnds(
      () => {
        answered += 1;
        if (sent < paths.length) send();
        else if (clientCloses && answered === paths.length) socket.end();
      },
      () => socket.destroy(),
    );
    socket.on('data', push);
    socket.on('error', () => undefined); // the server's count says what was answered
    socket.on('close', () => resolve());
  });
}
