/**
 * s3rver as its own process, so the S3 stand-in does not share the load generator's event loop:
 *
 *   node --import tsx bench/lib/s3rver-main.ts <folder> <bucket>
 *
 * Listens on 127.0.0.1 and a free port, creates the bucket, prints `{"port":N}` on one line, and
 * closes on SIGTERM.
 */
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
if (directory === undefined || bucket === undefined) throw new Error('usage: s3rver-main.ts <folder> <bucket>');

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
