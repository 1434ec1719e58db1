import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * s3rver (a real S3 server that checks SigV4 signatures; its account is S3RVER / S3RVER) in a child process on
 * 127.0.0.1, its buckets in a temporary directory. A child process because s3rver makes its ListObjectsV2
 * continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider: only that process runs with
 * `--openssl-legacy-provider`, not the tests.
 */
export type S3rverProcess = { url: string; close(): Promise<void> };

export async function startS3rver(buckets: string[]): Promise<S3rverProcess> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const entry = createRequire(import.meta.url).resolve('s3rver');
  const script = `
    const S3rver = require(${JSON.stringify(entry)});
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR,
      configureBuckets: JSON.parse(process.env.S3RVER_BUCKETS).map((name) => ({ name })) });
    server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
  `;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], {
    env: { ...process.env, S3RVER_DIR: directory, S3RVER_BUCKETS: JSON.stringify(buckets) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
