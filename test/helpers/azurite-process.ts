import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * Azurite's Blob service (Microsoft's emulator, which checks Shared Key and SAS signatures) in a child process on
 * 127.0.0.1 with a port of its own choosing, its workspace in a temporary directory, its data in memory.
 * The emulator's well-known account: https://learn.microsoft.com/azure/storage/common/storage-use-azurite.
 */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteProcess = { url: string; close(): Promise<void> };

export async function startAzurite(): Promise<AzuriteProcess> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  const main = path.join(
    path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')),
    'dist/src/blob/main.js',
  );
  const child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--silent', '--inMemoryPersistence', '--disableTelemetry'],
    { cwd: directory, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = /successfully listens on (http:\/\/[^\s]+)/.exec(out);
      if (found) resolve((found[1] as string).replace(/\/$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`azurite exited (${code}) before listening: ${out}`)));
  });
  return {
    url: origin,
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
