import { createRequire } from 'node:module';
import path from 'node:path';
import { startChildServer } from './child-server.js';

/**
 * Azurite's Blob service (Microsoft's emulator, which checks Shared Key and SAS signatures) in a child process on
 * 127.0.0.1 with a port of its own choosing, its workspace in a temporary directory, its data in memory.
 * The emulator's well-known account: https://learn.microsoft.com/azure/storage/common/storage-use-azurite.
 */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteProcess = { url: string; close(): Promise<void> };

export async function startAzurite(): Promise<AzuriteProcess> {
  const main = path.join(
    path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')),
    'dist/src/blob/main.js',
  );
  return startChildServer({
    name: 'azurite',
    args: [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--silent',
      '--inMemoryPersistence',
      '--disableTelemetry',
    ],
    inDirectory: true,
    listening: (output) => /successfully listens on (http:\/\/[^\s]+)/.exec(output)?.[1]?.replace(/\/$/, ''),
  });
}
