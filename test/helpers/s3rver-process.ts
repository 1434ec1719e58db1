import { createRequire } from 'node:module';
import { startChildServer } from './child-server.js';

/**
 * s3rver (a real S3 server: S3's REST API over a directory; it checks the key id, not SigV4 signatures) in a child
 * process on 127.0.0.1, port 0, with the buckets named, in a temporary directory. Its account is fixed: S3RVER /
 * S3RVER. A child process because s3rver makes its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps
 * in its legacy provider: only that process runs with `--openssl-legacy-provider`, not the tests.
 */
export type S3rverProcess = {
  /** The endpoint, path-style (`<url>/<bucket>/<key>`). */
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
};

export async function startS3rver(buckets: string[]): Promise<S3rverProcess> {
  const entry = createRequire(import.meta.url).resolve('s3rver');
  const script = `
    const S3rver = require(${JSON.stringify(entry)});
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR,
      configureBuckets: JSON.parse(process.env.S3RVER_BUCKETS).map((name) => ({ name })) });
    server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
  `;
  const server = await startChildServer({
    name: 's3rver',
    args: ['--openssl-legacy-provider', '-e', script],
    env: (directory) => ({ S3RVER_DIR: directory, S3RVER_BUCKETS: JSON.stringify(buckets) }),
    listening: (output) => {
      const line = output.includes('\n') ? output.split('\n')[0] : undefined;
      return line ? `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` : undefined;
    },
  });
  return { ...server, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
}
