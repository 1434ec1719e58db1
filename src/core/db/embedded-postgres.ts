import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { binariesFor, findPostgresBinaries, type PostgresBinaries } from './postgres-binaries.js';

/** How to reach the running embedded server (a Unix socket in its directory, or loopback TCP when that path is too long). */
export type EmbeddedConnection = { host: string; port: number; user: string; password: string; database: string };

export type EmbeddedPostgres = {
  connection: EmbeddedConnection;
  /** The server ended without `stop()` (it crashed or was killed): its exit code or signal and its last words. */
  exited: Promise<string>;
  /** Fast shutdown (active transactions roll back, a checkpoint is written); resolves when the server is gone. */
  stop(): Promise<void>;
};

export type EmbeddedPostgresOptions = {
  /** The database cluster's directory (made by initdb on first start). */
  dir: string;
  /** A directory holding initdb and postgres (SWITCHYARD_POSTGRES_BIN); by default the packaged binaries. */
  binDir?: string | undefined;
  /** Server messages of level FATAL and PANIC (they never carry statement text). */
  onMessage?: (line: string) => void;
};

const USER = 'switchyard';
const DATABASE = 'postgres';
// A Unix socket path is at most 107 bytes on Linux (103 on macOS); the name PostgreSQL adds is 15.
const SOCKET_PATH_LIMIT = 100;
const READY_TIMEOUT_MS = 120_000;

/**
 * Durability is the point of this server: every commit is flushed to disk before it is acknowledged. These are the
 * defaults, given on the command line so that no edit of postgresql.conf turns them off. The server logs only
 * what ends a session or the server (never a statement's text), and no replication is offered (minimal WAL).
 */
const SETTINGS: Record<string, string> = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_level: 'minimal',
  max_wal_senders: '0',
  log_min_messages: 'fatal',
  log_min_error_statement: 'panic',
  log_checkpoints: 'off',
  log_connections: 'off',
  log_disconnections: 'off',
};

/**
 * Run as root, the server runs as `postgres`, which may not be allowed through the directories above the data
 * directory (a home directory, a mktemp directory: mode 0700). The process starts in its directory (chosen as root,
 * before the user changes) and reaches it as `/proc/<pid>/cwd`, which needs no rights on the path. Elsewhere `HERE`
 * names the directory.
 */
const HERE = 'here="${HERE:-/proc/$$/cwd}"';

/**
 * The shell between us and the server: it starts PostgreSQL in the background and, when its standard input ends
 * (we stopped it, or this process died, even by kill -9), asks for a fast shutdown. It exits with the server.
 */
const WATCHDOG = [
  HERE,
  'exec 3<&0 0</dev/null',
  '"$@" -D "$here" -c "unix_socket_directories=${SOCKETS:+$here}" &',
  'server=$!',
  '{ while read -r _ <&3; do :; done; kill -INT "$server" 2>/dev/null; } &',
  'watch=$!',
  'wait "$server"',
  'status=$?',
  'kill "$watch" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** initdb, started in the staging directory: the cluster goes to `data`, the password comes from `pwfile`. */
const INITDB = [HERE, 'exec "$@" -D "$here/data" --pwfile="$here/pwfile"'].join('\n');

/**
 * A PostgreSQL server managed by this process in a directory of its own: the embedded database. initdb runs on the
 * first start (password authentication; the password is kept beside the cluster, readable only by its owner). A
 * server left running by a process that died is shut down first. Run as root, the server runs as the `postgres`
 * user (PostgreSQL refuses root), created when missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const owner = serverUser();
  const binaries = binariesFor(findPostgresBinaries(options.binDir), owner);
  const password = await ensureCluster(binaries, dir, owner);
  await stopLeftover(dir);

  const socketPath = path.join(dir, '.s.PGSQL.5432');
  const tcp = socketPath.length > SOCKET_PATH_LIMIT;
  const port = tcp ? await freePort() : 5432;
  const settings = { ...SETTINGS, listen_addresses: tcp ? '127.0.0.1' : '', port: String(port) };
  const args = Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'postgres', binaries.postgres, ...args], {
    cwd: dir,
    env: serverEnv(dir, owner, { SOCKETS: tcp ? '' : '1' }),
    stdio: ['pipe', 'ignore', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches us, and we stop the server after draining.
    detached: true,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  let lastWords = '';
  // Until it answers, its FATALs are our own probes finding it still starting.
  let ready = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    lastWords = (lastWords + chunk).slice(-4000);
    if (ready) for (const line of chunk.split('\n')) if (line.trim()) options.onMessage?.(line);
  });
  let stopping = false;
  const ended = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)),
  );
  const exited = ended.then(async (how) => {
    if (stopping) return new Promise<string>(() => {});
    return `${how}: ${lastWords.trim().split('\n').slice(-3).join(' | ')}`;
  });

  const connection: EmbeddedConnection = {
    host: tcp ? '127.0.0.1' : dir,
    port,
    user: USER,
    password,
    database: DATABASE,
  };
  const stop = async () => {
    stopping = true;
    child.stdin.end();
    await ended;
  };
  try {
    await waitReady(connection, ended, () => lastWords);
    ready = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return { connection, exited, stop };
}

type Owner = { uid: number; gid: number } | undefined;

/**
 * The environment of initdb and the server: nothing of ours (no secret of this process reaches theirs), a C locale,
 * and `HERE` unless the directory is reached through `/proc` (as another user, on Linux).
 */
function serverEnv(dir: string, owner: Owner, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const viaProc = owner !== undefined && process.platform === 'linux';
  return { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', HERE: viaProc ? '' : dir, ...extra };
}

/** Who runs the server: ourselves, or as root the `postgres` user. */
function serverUser(): Owner {
  if (process.getuid?.() !== 0) return undefined;
  const found = systemUser('postgres');
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/bin/false', 'postgres'], {
      stdio: 'ignore',
    });
  } catch {
    // Reported below.
  }
  const created = systemUser('postgres');
  if (!created)
    throw new Error(
      'PostgreSQL refuses to run as root, and no "postgres" user exists or could be created. ' +
        'Run Switchyard as an ordinary user, or create that user.',
    );
  return created;
}

/**
 * A user's ids: from /etc/passwd (no process to start), else from `id` (users from a directory service).
 */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  } catch {
    // No /etc/passwd: ask `id`.
  }
  try {
    return {
      uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
      gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
    };
  } catch {
    return undefined;
  }
}

/** initdb on first start (into a temporary directory, renamed when complete); answers the cluster's password. */
async function ensureCluster(binaries: PostgresBinaries, dir: string, owner: Owner): Promise<string> {
  const passwordFile = `${dir}.password`;
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    if (owner) chownTree(dir, owner);
    // PostgreSQL refuses a data directory others may read; a copied or restored one (cp -r, Node 22's cpSync) has
    // the copier's umask, so it is closed again here.
    fs.chmodSync(dir, 0o700);
    return fs.readFileSync(passwordFile, 'utf8').trim();
  }
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  const staging = `${dir}.initdb`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  // initdb reads the password from a file it can open; it lives in the staging directory until initdb is done.
  fs.writeFileSync(path.join(staging, 'pwfile'), password, { mode: 0o600 });
  const cluster = path.join(staging, 'data');
  if (owner) chownTree(staging, owner);
  try {
    execFileSync(
      '/bin/sh',
      ['-c', INITDB, 'initdb', binaries.initdb, '-U', USER, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'],
      {
        cwd: staging,
        env: serverEnv(staging, owner),
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`initdb failed: ${stderr || (error as Error).message}`);
  }
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  fs.renameSync(cluster, dir);
  fs.rmSync(staging, { recursive: true, force: true });
  return password;
}

/** A cluster copied or restored by root belongs to root; the server needs it as its own. */
function chownTree(dir: string, owner: NonNullable<Owner>): void {
  const stat = fs.statSync(dir);
  if (stat.uid === owner.uid) return;
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
}

/**
 * A server still running on this cluster belongs to a Switchyard process that died (we hold the data-directory
 * lock): its watchdog is shutting it down. Wait for that, and end it if it takes too long.
 */
async function stopLeftover(dir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return;
  const gone = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!isPostgres(pid)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  signal(pid, 'SIGINT');
  if (await gone(30_000)) return;
  // Immediate shutdown: the next start recovers from the WAL, as after a crash.
  signal(pid, 'SIGQUIT');
  if (!(await gone(10_000))) throw new Error(`A PostgreSQL server (pid ${pid}) still runs on ${dir}.`);
}

/** Whether `pid` is a live PostgreSQL server (not a process that reused the number after a reboot). */
function isPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'comm='], { encoding: 'utf8' }).includes('postgres');
    } catch {
      return false;
    }
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/** Connect until the server answers (a start after a crash replays the WAL first); fail if it exits meanwhile. */
async function waitReady(connection: EmbeddedConnection, ended: Promise<string>, log: () => string): Promise<void> {
  let exit: string | undefined;
  void ended.then((how) => (exit = how));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exit !== undefined) throw new Error(`The embedded PostgreSQL server did not start (${exit}): ${log().trim()}`);
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      // A wrong password or a missing database will not mend with time.
      const code = (error as { code?: string }).code;
      if (code === '28P01' || code === '28000' || code === '3D000')
        throw new Error(`The embedded PostgreSQL server refused us: ${(error as Error).message}`);
      if (Date.now() > deadline)
        throw new Error(`The embedded PostgreSQL server did not start in time: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
