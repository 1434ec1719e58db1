import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The CLI and server as plain JavaScript for the processes tests start (`switchyard <command>`, `serve`): every
 * module of src/ and sdk/ transpiled one to one, as tsx would on the fly, but once per run, so each process starts
 * on plain node instead of loading tsx's loader and resolving every import through it (about twice the CPU time
 * per start, and the CLI tests start over a hundred). `dir` must be inside the package (test-output/), so that
 * node_modules, package.json, migrations/, connectors/ and capabilities/ resolve as they do from src/.
 */
export async function buildForProcesses(dir: string): Promise<void> {
  const entryPoints = ['src', 'sdk'].flatMap((top) =>
    fs
      .readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
      .map((file) => path.join(root, top, file)),
  );
  await build({
    entryPoints,
    outdir: dir,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

/** A scratch directory for one test run under test-output/ (several runs may share the checkout at once). */
export function createRunDir(): { dir: string; remove(): void } {
  fs.mkdirSync(path.join(root, 'test-output'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'test-output', 'run-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
