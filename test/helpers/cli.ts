import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, inject } from 'vitest';

/**
 * The CLI's entry as this run built it from src/ (test/helpers/process-build.ts): started with plain node, it is
 * the same code tsx would run from src/cli/main.ts, without tsx's start-up cost in each of the many processes.
 */
export const cliMainFile = (): string => path.join(inject('processBuild'), 'src', 'cli', 'main.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Runs the real CLI in a child process against a test server, with only the environment given: none of this
 * process's SWITCHYARD_* settings leak in. `target` is read per call, so it may be set up after this is created.
 */
export function cliRunner(target: () => { url: string; token: string }) {
  return (args: string[], options: { input?: string } = {}): Promise<CliResult> => {
    const inherited = Object.entries(process.env).filter(
      ([k]) => !k.startsWith('SWITCHYARD_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k),
    );
    const { url, token } = target();
    const child = spawn(process.execPath, [cliMainFile(), ...args], {
      env: { ...Object.fromEntries(inherited), SWITCHYARD_URL: url, SWITCHYARD_TOKEN: token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Always close stdin: an open pipe is "piped input" that never ends (and is not a terminal).
    child.stdin.end(options.input ?? '');
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  };
}

/** A successful run: exit 0, nothing on stderr. */
export const ok = (result: CliResult): CliResult => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
};

export const json = <T>(result: CliResult): T => JSON.parse(ok(result).stdout) as T;

/** The table line starting with `first` (a column value), or ''. */
export const tableRow = (stdout: string, first: string) =>
  stdout.split('\n').find((l) => l.startsWith(`${first} `)) ?? '';
