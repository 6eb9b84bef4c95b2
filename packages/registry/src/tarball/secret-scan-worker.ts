/**
 * The worker-thread side of secret-scan-thread.ts: batches of file chunks in, each archive's findings
 * out, through the same inline session the client uses. Bundled on its own (dist/secret-scan-worker.mjs)
 * beside the server bundle.
 */
import { parentPort } from 'node:worker_threads';
import type { FromScanThread, ToScanThread } from './secret-scan-batch.ts';
import { inlineScanSession, type FileScan, type SecretScanSession } from '../../../core/src/tarball/secret-scan-session.ts';

interface Scan {
  session: SecretScanSession;
  files: Map<number, FileScan | null>;
}

const port = parentPort!;
const scans = new Map<number, Scan>();
const reply = (message: FromScanThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function runBatch(scan: Scan, buffer: ArrayBuffer | null, ops: Extract<ToScanThread, { kind: 'batch' }>['ops']): number {
  const bytes = buffer === null ? null : Buffer.from(buffer);
  let scanned = 0;
  for (const op of ops) {
    if (op[0] === 0) scan.files.set(op[1], scan.session.open(op[2]));
    else if (op[0] === 1) {
      scan.files.get(op[1])?.write(bytes!.subarray(op[2], op[3]));
      scanned += op[3] - op[2];
    } else {
      scan.files.get(op[1])?.end();
      scan.files.delete(op[1]);
    }
  }
  return scanned;
}

port.on('message', (message: ToScanThread) => {
  let scan = scans.get(message.session);
  if (message.kind === 'abort') return void scans.delete(message.session);
  if (scan === undefined) {
    scan = { session: inlineScanSession(), files: new Map() };
    scans.set(message.session, scan);
  }
  if (message.kind === 'batch') {
    const bytes = runBatch(scan, message.buffer, message.ops);
    reply({ kind: 'ack', session: message.session, buffer: message.buffer, bytes }, message.buffer === null ? [] : [message.buffer]);
    return;
  }
  scans.delete(message.session);
  const session = message.session;
  // The inline session's finish() never rejects; were it to, the unhandled rejection would end this
  // thread, and every scan on it would fail.
  void scan.session.finish().then((findings) => reply({ kind: 'findings', session, findings }));
});
