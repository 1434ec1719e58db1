import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A peer server (s3rver, Azurite) run by node in a child process with a temporary directory of its own: started, its
 * address read from what it prints once it listens; closed with SIGTERM, then its directory removed.
 */
export type ChildServer = { url: string; close(): Promise<void> };

export async function startChildServer(options: {
  name: string;
  /** node's arguments (a script or `-e`, and the server's own options). */
  args: string[];
  /** Extra environment; `directory` is the temporary directory made for it. */
  env?: (directory: string) => Record<string, string>;
  /** Run in the temporary directory (a server that keeps its workspace in the current one). */
  inDirectory?: boolean;
  /** The server's origin, once its output so far says it listens. */
  listening(output: string): string | undefined;
}): Promise<ChildServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `${options.name}-`));
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env?.(directory) },
    ...(options.inDirectory ? { cwd: directory } : {}),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(directory, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const origin = options.listening(out);
        if (origin) resolve(origin);
      });
      child.once('exit', (code) => reject(new Error(`${options.name} exited (${code}) before listening: ${out}`)));
    });
    return { url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
