/** A publish whose body arrives slowly: a request in flight for shutdown tests to wait for. */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SlowUpload {
  /** Resolves once the first chunk is on the wire. */
  started: Promise<void>;
  response: Promise<{ status: number; body: string }>;
}

/** POSTs a tarball in `chunks` pieces, `gapMs` apart: a slow client the server must wait for. */
export function slowPublish(api: string, token: string, tgz: Buffer, chunks: number, gapMs: number): SlowUpload {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${api}/packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/gzip', 'content-length': tgz.length, authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    void (async () => {
      const size = Math.ceil(tgz.length / chunks);
      for (let offset = 0; offset < tgz.length && !req.destroyed; offset += size) {
        req.write(tgz.subarray(offset, offset + size));
        // Started once the server has surely parsed the headers: a request whose headers are still
        // in flight is an idle connection to the server, and shutdown closes those at once.
        if (offset === size) markStarted();
        await sleep(gapMs);
      }
      req.end();
    })().catch(reject);
  });
  return { started, response };
}
