import { createHash, randomBytes } from 'node:crypto';
import { channels } from '../../../core/db/channels.js';
import type { Db, Queryable } from '../../../core/db/port.js';
import { createNotifiedCache } from '../../../core/notified-cache.js';
import type { Vault } from '../../../vault/vault.js';
import type { InboundSecret } from '../verify/index.js';
import { findSourceByTokenHash, listSourceSecrets, type SourceRow } from './sql.js';
import { sourceSecretContext } from '../../../vault/contexts.js';

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
  const cache = createNotifiedCache<LiveSource | undefined>(db, {
    channel: channels.inboundSourceChanged,
    // Sent (src/access) on every change that can alter a principal, tenants disabled or re-enabled among them: a
    // disabled tenant's URLs must stop answering at once on every node, so every cached entry is dropped.
    clearOn: [channels.authInvalidate],
    ttlMs: TTL_MS,
    missTtlMs: MISS_TTL_MS,
    max: LIMIT,
    // Keyed by token hash, while a change names its source: it drops the source's entries, and every remembered
    // miss (the change may have made an unknown token valid).
    matches: (sourceId, _hash, live) => !live || live.row.id === sourceId,
  });

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

  return {
    async lookup(token: string, now: Date): Promise<LiveSource | undefined> {
      const hash = hashToken(token);
      const hit = cache.peek(hash);
      const live = hit ? hit.value : await cache.load(hash, () => load(hash));
      if (!live) return undefined;
      // The previous token of a rotation stops working when its grace period ends, cached or not.
      if (live.row.token_hash !== hash) {
        const until = live.row.previous_token_expires_at;
        if (!until || until.getTime() <= now.getTime()) return undefined;
      }
      return live;
    },
    /** Call in the transaction that changes the source (or its secrets). */
    changed: (q: Queryable, sourceId: string): Promise<void> => cache.invalidate(q, sourceId),
    start: cache.start,
    stop: cache.stop,
  };
}

export type SourceCache = ReturnType<typeof createSourceCache>;
