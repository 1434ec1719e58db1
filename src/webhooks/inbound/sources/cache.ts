import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../core/db/port.js';
import type { Vault } from '../../../vault/vault.js';
import type { InboundSecret } from '../verify/index.js';
import { findSourceByTokenHash, listSourceSecrets, type SourceRow } from './sql.js';
import { sourceSecretContext } from '../../../vault/contexts.js';

const CHANNEL = 'inbound_source_changed';
// Sent (src/access) on every change that can alter a principal, tenants disabled or re-enabled among them: a
// disabled tenant's URLs must stop answering at once on every node, so every cached entry is dropped.
const TENANT_CHANNEL = 'auth_invalidate';
const TTL_MS = 60_000;
const MISS_TTL_MS = 2_000;
const LIMIT = 10_000;

/** A public URL token: 160 random bits, base64url (27 characters). */
export function newSourceToken(): string {
  return `hook_${randomBytes(20).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Tokens we issue are `hook_` and 27 base64url characters; anything else is not worth a lookup. */
export function plausibleToken(token: string): boolean {
  return /^hook_[A-Za-z0-9_-]{27}$/.test(token);
}

export type LiveSource = { row: SourceRow; secrets: InboundSecret[]; hash: string };

/**
 * Sources by token hash, with their secrets opened, for the ingest path: one lookup per request would otherwise
 * cost a query and a vault open. Entries are dropped on every node when a source changes (LISTEN/NOTIFY on
 * commit), and unknown tokens are remembered briefly so a flood of bad URLs does not reach the database.
 */
export function createSourceCache(deps: { db: Db; vault: Vault }) {
  const { db, vault } = deps;
  const entries = new Map<string, { live: LiveSource | undefined; at: number }>();
  let unlisten: (() => Promise<void>) | undefined;
  // Bumped by every invalidation: a lookup that started before one does not cache what it read (it may be stale).
  let generation = 0;

  async function load(hash: string): Promise<LiveSource | undefined> {
    const row = await findSourceByTokenHash(db, hash);
    if (!row) return undefined;
    const sealed = await listSourceSecrets(db, [row.id]);
    const secrets = await Promise.all(
      sealed.map(async (s) => ({
        value: await vault.open(db, row.tenant_id, sourceSecretContext(s.id), s.secret_sealed),
        expiresAt: s.expires_at,
      })),
    );
    return { row, secrets, hash };
  }

  function forget(sourceId: string): void {
    generation++;
    for (const [hash, entry] of entries) {
      if (!entry.live || entry.live.row.id === sourceId) entries.delete(hash);
    }
  }

  function clear(): void {
    generation++;
    entries.clear();
  }

  return {
    async lookup(token: string, now: Date): Promise<LiveSource | undefined> {
      const hash = hashToken(token);
      const hit = entries.get(hash);
      const age = hit ? Date.now() - hit.at : Infinity;
      let live = hit && age < (hit.live ? TTL_MS : MISS_TTL_MS) ? hit.live : undefined;
      if (!hit || age >= (hit.live ? TTL_MS : MISS_TTL_MS)) {
        const started = generation;
        live = await load(hash);
        if (started === generation) {
          if (entries.size >= LIMIT) entries.delete(entries.keys().next().value as string);
          entries.set(hash, { live, at: Date.now() });
        }
      }
      if (!live) return undefined;
      // The previous token of a rotation stops working when its grace period ends, cached or not.
      if (live.row.token_hash !== hash) {
        const until = live.row.previous_token_expires_at;
        if (!until || until.getTime() <= now.getTime()) return undefined;
      }
      return live;
    },
    /** Call in the transaction that changes the source (or its secrets). */
    async changed(q: Parameters<Db['notify']>[0], sourceId: string): Promise<void> {
      forget(sourceId);
      await db.notify(q, CHANNEL, sourceId);
    },
    async start(): Promise<void> {
      const stops = [await db.listen(CHANNEL, forget), await db.listen(TENANT_CHANNEL, clear)];
      unlisten = async () => {
        for (const stop of stops) await stop();
      };
    },
    async stop(): Promise<void> {
      await unlisten?.();
    },
  };
}

export type SourceCache = ReturnType<typeof createSourceCache>;
