import type { Logger } from 'pino';
import type { Db, Queryable } from '../../../core/db/port.js';
import type { HeaderDestination } from '../../../vault/secrets/destination-authority.js';
import type { Vault } from '../../../vault/vault.js';
import type { Rule, StoredForwardAction, StoredRule } from './config.js';
import { forwardHeadersContext } from '../../../vault/contexts.js';

/**
 * Forward actions' extra headers can be a receiver's credentials, so their values are sealed in the tenant's vault
 * like outbound endpoint headers (endpoints/secrets.ts): the rules column, the API, the audit diff and the logs
 * hold only their names. `{{secrets.NAME}}` references are sealed as written and resolved when forwarding.
 */

/**
 * The rules to store: each forward action's headers sealed. A forward action given without `headers` (an update
 * that does not restate them) keeps those of `previous`'s action at the same rule name and position, if it
 * forwards to the same URL — never another URL's, which could carry a credential somewhere new.
 */
export async function sealRules(
  q: Queryable,
  vault: Vault,
  ids: { tenantId: string; sourceId: string },
  rules: Rule[],
  previous: StoredRule[] = [],
): Promise<StoredRule[]> {
  const out: StoredRule[] = [];
  for (const rule of rules) {
    const before = previous.find((r) => r.name === rule.name);
    const actions: StoredRule['actions'] = [];
    for (const [index, action] of rule.actions.entries()) {
      if (action.type !== 'forward') {
        actions.push(action);
        continue;
      }
      const { headers, ...rest } = action;
      const old = before?.actions[index];
      if (headers === undefined && old?.type === 'forward' && old.url === action.url) {
        actions.push({ ...rest, ...(await resealed(q, vault, ids, old)) });
        continue;
      }
      actions.push({ ...rest, ...(await sealHeaders(q, vault, ids, headers ?? {})) });
    }
    out.push({ ...rule, actions });
  }
  return out;
}

async function sealHeaders(
  q: Queryable,
  vault: Vault,
  ids: { tenantId: string; sourceId: string },
  headers: Record<string, string>,
): Promise<Pick<StoredForwardAction, 'header_names' | 'headers_sealed'>> {
  const names = Object.keys(headers);
  if (names.length === 0) return { header_names: [], headers_sealed: null };
  const sealed = await vault.seal(q, ids.tenantId, forwardHeadersContext(ids.sourceId), JSON.stringify(headers));
  return { header_names: names, headers_sealed: sealed };
}

/** A kept action's sealed headers; clear ones from before sealing are sealed now. */
async function resealed(
  q: Queryable,
  vault: Vault,
  ids: { tenantId: string; sourceId: string },
  old: StoredForwardAction,
): Promise<Pick<StoredForwardAction, 'header_names' | 'headers_sealed'>> {
  if (old.headers) return sealHeaders(q, vault, ids, old.headers);
  return { header_names: old.header_names, headers_sealed: old.headers_sealed };
}

/** The header values to send with a forward (still holding `{{secrets.NAME}}` references). */
export async function openForwardHeaders(
  q: Queryable,
  vault: Vault,
  ids: { tenantId: string; sourceId: string },
  action: StoredForwardAction,
): Promise<Record<string, string>> {
  if (action.headers) return action.headers;
  if (!action.headers_sealed) return {};
  const text = await vault.open(q, ids.tenantId, forwardHeadersContext(ids.sourceId), action.headers_sealed);
  return JSON.parse(text) as Record<string, string>;
}

/**
 * Where rules given to the API forward, with the headers they give (secret references unresolved), for secret
 * authority (vault/secrets/destination-authority.ts). An action given without headers counts as sending none: it
 * keeps only headers it already sent to the same URL, which send no secret anywhere new.
 */
export function forwardDestinations(rules: readonly Rule[]): HeaderDestination[] {
  return rules.flatMap((rule) =>
    rule.actions.flatMap((a) => (a.type === 'forward' ? [{ url: a.url, headers: a.headers ?? {} }] : [])),
  );
}

/** Where stored rules forward, their headers opened: what a change is compared with. */
export async function storedForwardDestinations(
  q: Queryable,
  vault: Vault,
  ids: { tenantId: string; sourceId: string },
  rules: readonly StoredRule[],
): Promise<HeaderDestination[]> {
  const out: HeaderDestination[] = [];
  for (const rule of rules) {
    for (const action of rule.actions) {
      if (action.type === 'forward')
        out.push({ url: action.url, headers: await openForwardHeaders(q, vault, ids, action) });
    }
  }
  return out;
}

/** Rules as the API and the audit diff show them: forward headers by name, never a value. */
export function presentRules(rules: readonly StoredRule[]) {
  return rules.map((rule) => ({
    ...rule,
    actions: rule.actions.map((action) => {
      if (action.type !== 'forward') return action;
      return {
        type: action.type,
        url: action.url,
        timeout_ms: action.timeout_ms,
        header_names: action.headers ? Object.keys(action.headers) : (action.header_names ?? []),
      };
    }),
  }));
}

const HAS_CLEAR_HEADERS = `jsonb_path_exists(rules, '$[*].actions[*] ? (@.type == "forward" && exists(@.headers))')`;

/**
 * Seal the forward headers of sources stored before they were sealed (their values were in clear in the rules
 * column). Run at start-up; idempotent, and safe on several nodes at once (each source is re-checked under its
 * row lock). Returns how many sources were rewritten.
 */
export async function sealClearForwardHeaders(db: Db, vault: Vault, log?: Logger): Promise<number> {
  const { rows } = await db.query<{ id: string }>(`select id from inbound_sources where ${HAS_CLEAR_HEADERS}`);
  let sealed = 0;
  for (const { id } of rows) {
    const done = await db.transaction(async (tx) => {
      const { rows: locked } = await tx.query<{ tenant_id: string; rules: StoredRule[] }>(
        `select tenant_id, rules from inbound_sources where id = $1 and ${HAS_CLEAR_HEADERS} for update`,
        [id],
      );
      const row = locked[0];
      if (!row) return false;
      const ids = { tenantId: row.tenant_id, sourceId: id };
      const rules: StoredRule[] = [];
      for (const rule of row.rules) {
        const actions: StoredRule['actions'] = [];
        for (const action of rule.actions) {
          if (action.type !== 'forward' || !action.headers) {
            actions.push(action);
            continue;
          }
          const { headers, ...rest } = action;
          actions.push({ ...rest, ...(await sealHeaders(tx, vault, ids, headers)) });
        }
        rules.push({ ...rule, actions });
      }
      await tx.query(`update inbound_sources set rules = $2::jsonb where id = $1`, [id, JSON.stringify(rules)]);
      return true;
    });
    if (done) sealed++;
  }
  if (sealed > 0) {
    // The rewritten rows' old versions still hold the values until vacuumed: reclaim them now, not some day.
    await db.exec('vacuum inbound_sources');
    log?.info({ sources: sealed }, 'sealed the forward headers of inbound sources stored in clear');
  }
  return sealed;
}
