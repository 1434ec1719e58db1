import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up from this file, so the same code works from `src/` (tsx, vitest) and
 * from `dist/src/` (the built server).
 */
export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'switchyard') return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json of switchyard not found above ${start}`);
  }
}

export const migrationsDir = path.join(packageRoot, 'migrations');
export const connectorsDir = path.join(packageRoot, 'connectors');
export const consoleDir = path.join(packageRoot, 'console', 'dist');
export const capabilitiesDir = path.join(packageRoot, 'capabilities');
