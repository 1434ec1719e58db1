import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Servers under test run on the last CPU and the load generator (this process) on the others, when `taskset` is
 * there and the machine has two or more CPUs. Unpinned, the server and the generator fight over cores and the
 * bare baseline swung by half from run to run on a two-core machine; pinned, each server gets one whole core and
 * runs repeat closely.
 */
export function pinCpus(): { serverPrefix: string[]; description: string } {
  const cpus = os.cpus().length;
  let hasTaskset = true;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    hasTaskset = false;
  }
  if (cpus < 2 || !hasTaskset) return { serverPrefix: [], description: 'unpinned' };
  const last = cpus - 1;
  execFileSync('taskset', ['-a', '-cp', `0-${last - 1}`, String(process.pid)], { stdio: 'ignore' });
  return {
    serverPrefix: ['taskset', '-c', String(last)],
    description: `server on CPU ${last}, load generator on CPU${last > 1 ? `s 0-${last - 1}` : ' 0'}`,
  };
}

/**
 * The layout of a bench with a vendor behind Switchyard (bench/proxy's, shared): Switchyard gets a CPU of its own
 * (the last). The upstream stands in for a vendor on another machine: with three or more CPUs it gets the next one;
 * with two it shares the load generator's (this process's) — in the direct baseline and through Switchyard alike.
 * `switchyard` and `upstream` are command prefixes (taskset, or nothing when unpinned).
 */
export function pinWithUpstream(): { switchyard: string[]; upstream: string[]; description: string } {
  const cpus = os.cpus().length;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { switchyard: [], upstream: [], description: 'unpinned' };
  }
  if (cpus < 2) return { switchyard: [], upstream: [], description: 'unpinned' };
  const last = cpus - 1;
  const generator = cpus >= 3 ? `0-${last - 2}` : '0';
  execFileSync('taskset', ['-a', '-cp', generator, String(process.pid)], { stdio: 'ignore' });
  const upstream = cpus >= 3 ? String(last - 1) : generator;
  return {
    switchyard: ['taskset', '-c', String(last)],
    upstream: ['taskset', '-c', upstream],
    description: `switchyard on CPU ${last}, upstream on CPU ${upstream}, load generator on CPU ${generator}`,
  };
}

/** Start a child process and wait until `ready(url)` answers true (polling). Output is discarded. */
export async function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: () => Promise<boolean>,
): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${args.join(' ')} exited during start-up`);
    if (await ready().catch(() => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not become ready`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/**
 * The embedded database's server runs in processes of its own, started by Switchyard and so pinned with it. Like a
 * PostgreSQL server named by DATABASE_URL (which no bench pins), it may use every CPU: its postmaster and the
 * processes it has started are allowed all of them, and the backends it starts later inherit that. Nothing happens
 * without taskset, or when the data directory holds no running server (a run on DATABASE_URL).
 */
export function unpinEmbeddedDatabase(dataDir: string): boolean {
  const postmaster = embeddedPostmaster(dataDir);
  if (!postmaster) return false;
  const all = `0-${os.cpus().length - 1}`;
  try {
    const children = execFileSync('pgrep', ['-P', postmaster], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of [postmaster, ...children]) execFileSync('taskset', ['-a', '-cp', all, pid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The embedded database's postmaster: the first line of its postmaster.pid (none on a run on DATABASE_URL). */
function embeddedPostmaster(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
}

/** A process's resident set (VmRSS) in bytes, from /proc (Linux); undefined once it has gone. */
export async function residentBytes(pid: number | string): Promise<number | undefined> {
  try {
    const status = await fs.promises.readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * The embedded database server's resident sets summed: its postmaster and the processes it has started now
 * (`pgrep -P`). Shared memory is counted in every process that touched it, so this overstates what the server
 * holds; it shows a trend, not a size. Undefined when the data directory holds no running server.
 */
export async function embeddedDatabaseResidentBytes(dataDir: string): Promise<number | undefined> {
  const postmaster = embeddedPostmaster(dataDir);
  if (!postmaster) return undefined;
  let children: string[] = [];
  try {
    const { stdout } = await promisify(execFile)('pgrep', ['-P', postmaster], { encoding: 'utf8' });
    children = stdout.split('\n').filter(Boolean);
  } catch {
    // pgrep exits 1 when nothing matched.
  }
  const sizes = await Promise.all([postmaster, ...children].map((pid) => residentBytes(pid)));
  if (sizes[0] === undefined) return undefined;
  return sizes.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0);
}
