import { Worker } from 'node:worker_threads';

/**
 * Native hashes (MD5, SHA-1, SHA-256) computed on worker threads, so that a download's bytes are hashed while the
 * next ones arrive and are written: on the request thread, MD5 and SHA-256 of every byte held a streamed import to
 * about half of a bare copy's speed (bench/storage). Each hashing session lives on one thread (its updates stay in
 * order); a session's bytes in flight are bounded, so a slow thread holds the download back instead of piling
 * copies up in memory.
 */
export type NativeHashKind = 'md5' | 'sha1' | 'sha256';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'open') {
    sessions.set(m.id, m.kinds.map((kind) => [kind, createHash(kind)]));
  } else if (m.op === 'update') {
    const hashes = sessions.get(m.id);
    if (hashes) for (const [, hash] of hashes) hash.update(m.data);
    parentPort.postMessage({ id: m.id, done: m.data.length });
  } else if (m.op === 'digest') {
    const hashes = sessions.get(m.id) || [];
    sessions.delete(m.id);
    parentPort.postMessage({ id: m.id, digests: Object.fromEntries(hashes.map(([kind, hash]) => [kind, hash.digest('hex')])) });
  } else if (m.op === 'drop') {
    sessions.delete(m.id);
  }
});
`;

/**
 * Threads in the pool: one hashes MD5 and SHA-256 at about 300 MB/s (this machine: about one core), more than a node's
 * downloads bring in, for about 20 MB of memory.
 */
const THREADS = 1;

/** Bytes of one session sent to its thread and not hashed yet, before `update` waits. */
const IN_FLIGHT_BYTES = 8 * 1024 * 1024;

type Session = {
  pending: number;
  waiting: (() => void)[];
  digested?: (digests: Record<string, string>) => void;
};

type Pool = { workers: Worker[]; sessions: Map<number, Session>; next: number; ids: number; active: number };

let pool: Pool | undefined;

function poolOf(): Pool {
  if (pool) return pool;
  const created: Pool = { workers: [], sessions: new Map(), next: 0, ids: 0, active: 0 };
  for (let i = 0; i < THREADS; i++) {
    // A small heap: the thread holds hash states, and the bytes in flight live outside it.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    worker.on('message', (m: { id: number; done?: number; digests?: Record<string, string> }) => {
      const session = created.sessions.get(m.id);
      if (!session) return;
      if (m.done !== undefined) {
        session.pending -= m.done;
        if (session.pending <= IN_FLIGHT_BYTES) for (const wake of session.waiting.splice(0)) wake();
      }
      if (m.digests) {
        close(created, m.id);
        session.digested?.(m.digests);
      }
    });
    // Referenced only while a session is open (after its listener is on: a message listener references it again),
    // so an idle thread never keeps the process alive.
    worker.unref();
    created.workers.push(worker);
  }
  pool = created;
  return created;
}

/** End a session here; the last one open lets the threads go idle. Answers whether it was open. */
function close(p: Pool, id: number): boolean {
  if (!p.sessions.delete(id)) return false;
  if (--p.active === 0) for (const w of p.workers) w.unref();
  return true;
}

/** Hash bytes on a worker thread: `update` copies them over (waiting while too many are in flight). */
export function threadedHashes(kinds: readonly NativeHashKind[]) {
  const p = poolOf();
  const id = ++p.ids;
  const worker = p.workers[p.next++ % p.workers.length] as Worker;
  const session: Session = { pending: 0, waiting: [] };
  p.sessions.set(id, session);
  if (p.active++ === 0) for (const w of p.workers) w.ref();
  worker.postMessage({ op: 'open', id, kinds });
  return {
    async update(chunk: Uint8Array): Promise<void> {
      session.pending += chunk.length;
      // A message carries a view's whole buffer: a view of part of one goes over as a copy of its own bytes.
      const data = chunk.byteLength === chunk.buffer.byteLength ? chunk : new Uint8Array(chunk);
      worker.postMessage({ op: 'update', id, data });
      if (session.pending > IN_FLIGHT_BYTES) await new Promise<void>((resolve) => session.waiting.push(resolve));
    },
    digest(): Promise<Record<string, string>> {
      return new Promise((resolve) => {
        session.digested = resolve;
        worker.postMessage({ op: 'digest', id });
      });
    },
    /** Forget the session (a download abandoned). */
    drop(): void {
      if (close(p, id)) worker.postMessage({ op: 'drop', id });
    },
  };
}
