#!/usr/bin/env node
// `npm start` runs this first (prestart): it builds the server and the web console (`npm run build`) only when
// there is no build yet or a source file changed after the last one, so a restart of a built server starts at once.
//
//   node scripts/build-if-stale.js            build if stale, else say nothing
//   node scripts/build-if-stale.js --check    exit 1 and say why when stale, 0 when current; never builds
//   node scripts/build-if-stale.js --record   `npm run build` ends with this: the CLI made executable, and the
//                                             build recorded as current as of now
//
// The record is dist/build-stamp.json; a build counts as current when it exists, both outputs exist and no source
// (below) was modified after it. Tests are not sources: editing one needs no build. Plain JavaScript on purpose:
// it runs before anything is built, on every start, so it loads nothing but node's own modules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');
const stampFile = path.join(root, 'dist', 'build-stamp.json');
const outputs = ['dist/src/cli/main.js', 'console/dist/index.html'];
/** What the build reads: the server's and the SDK's TypeScript, the console, and how they are compiled and bundled. */
const sourceDirs = ['src', 'sdk', 'console'];
const sourceFiles = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const skipDirs = new Set(['dist', 'node_modules']);
const isTest = (name) => /\.test\.tsx?$/.test(name);

/** The first source file modified after `since` (ms), or undefined. */
function changedSince(since) {
  for (const file of sourceFiles) {
    const full = path.join(root, file);
    if (fs.existsSync(full) && fs.statSync(full).mtimeMs > since) return file;
  }
  const pending = sourceDirs.map((dir) => path.join(root, dir)).filter((dir) => fs.existsSync(dir));
  while (pending.length > 0) {
    const dir = pending.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name)) pending.push(full);
      } else if (!isTest(entry.name) && fs.statSync(full).mtimeMs > since) {
        return path.relative(root, full);
      }
    }
  }
  return undefined;
}

/** Why a build is needed, or undefined when the last one is current. */
function staleness() {
  if (!fs.existsSync(stampFile)) return 'no build recorded yet';
  const missing = outputs.find((file) => !fs.existsSync(path.join(root, file)));
  if (missing) return `${missing} is missing`;
  const changed = changedSince(fs.statSync(stampFile).mtimeMs);
  return changed ? `${changed} changed since the last build` : undefined;
}

const mode = process.argv[2];
if (mode === '--record') {
  // The package's bin: `npx switchyard` runs it directly, which tsc's output (mode 0644) would not allow.
  fs.chmodSync(path.join(root, outputs[0]), 0o755);
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${JSON.stringify({ built_at: new Date().toISOString() })}\n`);
} else if (mode === '--check') {
  const why = staleness();
  if (why) {
    process.stdout.write(`stale: ${why}\n`);
    process.exitCode = 1;
  } else process.stdout.write('current\n');
} else if (mode === undefined) {
  const why = staleness();
  if (why) {
    process.stderr.write(`Building the server and the web console (${why})…\n`);
    // npm sets npm_execpath for the scripts it runs; the same npm then runs the build.
    const npm = process.env.npm_execpath;
    const result = npm
      ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
      : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    process.exitCode = result.status ?? 1;
  }
} else {
  process.stderr.write(`unknown option ${mode}: use --check, --record or nothing\n`);
  process.exitCode = 2;
}
