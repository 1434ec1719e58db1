import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { expect, inject } from 'vitest';

/**
 * The CLI's entry as this run built it from src/ (test/helpers/process-build.ts): started with plain node, it is
 * the same code tsx would run from src/cli/main.ts, without tsx's start-up cost in each of the many processes.
 */
export const cliMainFile = (): string => path.join(inject('processBuild'), 'src', 'cli', 'main.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/** The CLI as a child process with only the environment given: none of this process's SWITCHYARD_* settings leak in. */
function spawnCli(args: string[], target: { url: string; token: string }) {
  const inherited = Object.entries(process.env).filter(
    ([k]) => !k.startsWith('SWITCHYARD_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k),
  );
  const child = spawn(process.execPath, [cliMainFile(), ...args], {
    env: { ...Object.fromEntries(inherited), SWITCHYARD_URL: target.url, SWITCHYARD_TOKEN: target.token },
  });
  const result = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (result.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (result.stderr += d.toString()));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 + os.constants.signals[signal] : -1),
        stdout: result.stdout,
        stderr: result.stderr,
      }),
    );
  });
  return { child, result, exited };
}

/**
 * Runs the real CLI in a child process against a test server. `target` is read per call, so it may be set up after
 * this is created.
 */
export function cliRunner(target: () => { url: string; token: string }) {
  return (args: string[], options: { input?: string } = {}): Promise<CliResult> => {
    const { child, exited } = spawnCli(args, target());
    // Always close stdin: an open pipe is "piped input" that never ends (and is not a terminal).
    child.stdin.end(options.input ?? '');
    return exited;
  };
}

/** A CLI process that keeps running (`--follow`): read its output as it comes, then interrupt it. */
export type RunningCli = {
  /** Resolves once stdout so far matches `pattern` (checked on every chunk), or rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<string>;
  /** Send SIGINT, as Ctrl-C does, and wait for the process to end. */
  interrupt(): Promise<CliResult>;
  exited: Promise<CliResult>;
};

export function cliProcess(target: () => { url: string; token: string }) {
  return (args: string[]): RunningCli => {
    const { child, result, exited } = spawnCli(args, target());
    child.stdin.end('');
    return {
      exited,
      waitForStdout: (pattern) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (!pattern.test(result.stdout)) return;
            child.stdout.off('data', check);
            resolve(result.stdout);
          };
          child.stdout.on('data', check);
          check();
          void exited.then((r) =>
            pattern.test(r.stdout)
              ? resolve(r.stdout)
              : reject(new Error(`the CLI ended (${r.code}) before printing ${pattern}:\n${r.stdout}${r.stderr}`)),
          );
        }),
      interrupt: () => {
        child.kill('SIGINT');
        return exited;
      },
    };
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
