import type { Command } from 'commander';
import { paginate, type components, type operations, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { followNewest } from '../follow.js';
import { printRows, secondTime, type Column } from '../output.js';
import { parseDuration, parseInstant } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type AuditEntry = components['schemas']['AuditEntry'];
type AuditQuery = NonNullable<operations['listAuditEntries']['parameters']['query']>;

const columns: Column<AuditEntry>[] = [
  { header: 'AT', value: (e) => secondTime(e.created_at) },
  { header: 'ACTOR', value: (e) => actorText(e.actor), width: 24 },
  { header: 'ACTION', value: (e) => e.action, width: 28 },
  {
    header: 'TARGET',
    value: (e) => (e.target.id ? `${e.target.type ?? '-'} ${e.target.id}` : e.target.type),
    width: 36,
  },
  { header: 'OUTCOME', value: (e) => (e.error_code ? `${e.outcome} (${e.error_code})` : e.outcome), width: 12 },
  { header: 'REQUEST', value: (e) => e.request_id },
];

function actorText(actor: AuditEntry['actor']): string {
  if (actor.type === 'system') return 'system';
  return actor.label ?? `${actor.type} ${actor.id ?? '-'}`;
}

type ListOptions = ApiOptions & {
  actor?: string;
  action?: string;
  targetType?: string;
  target?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit: number;
  follow?: boolean;
  interval: number;
};

/** `switchyard audit list`: the tenant's activity log (who did what to which, and how it ended). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Read the activity log');

  withApiOptions(
    audit
      .command('list')
      .description('Activity-log entries, newest first; --follow prints new ones as they come (oldest first)')
      .option('--actor <id>', 'a user or API key id')
      .option('--action <action>', 'e.g. connection.create')
      .option('--target-type <type>', 'e.g. connection')
      .option('--target <id>', 'the target’s id')
      .option('--outcome <outcome>', 'success, failure or denied')
      .option('--since <instant>', 'at or after (ISO 8601, or a duration ago such as 2h)', parseInstant)
      .option('--until <instant>', 'before', parseInstant)
      .option('--limit <n>', 'show at most this many (before following)', parsePositiveInt, 50)
      .option('--follow', 'keep printing new entries until Ctrl-C')
      .option('--interval <duration>', 'how often --follow polls (default 5s)', parseDuration, 5),
  ).action(async (opts: ListOptions) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.actor ? { actor: opts.actor } : {}),
      ...(opts.action ? { action: opts.action } : {}),
      ...(opts.targetType ? { target_type: opts.targetType } : {}),
      ...(opts.target ? { target_id: opts.target } : {}),
      ...(opts.outcome ? { outcome: opts.outcome } : {}),
      ...(opts.until ? { until: opts.until } : {}),
    } as AuditQuery;
    const first = await readEntries(client, { ...query, ...(opts.since ? { since: opts.since } : {}) }, opts.limit);
    if (!opts.follow) return printRows(first, columns, { json: opts.json, what: 'audit entries' });
    await followEntries(client, query, first, opts);
  });
}

/** Up to `limit` entries matching `query`, newest first. */
async function readEntries(client: SwitchyardClient, query: AuditQuery, limit: number): Promise<AuditEntry[]> {
  const rows: AuditEntry[] = [];
  for await (const row of paginate((cursor) =>
    client.GET('/v1/audit', { params: { query: { ...query, cursor, limit: Math.min(limit, 200) } } }),
  )) {
    rows.push(row);
    if (rows.length >= limit) break;
  }
  return rows;
}

/** Print `first`, then every entry written since, until Ctrl-C; everything since is read, not just a page. */
function followEntries(
  client: SwitchyardClient,
  query: AuditQuery,
  first: AuditEntry[],
  opts: ListOptions,
): Promise<void> {
  return followNewest({
    first,
    since: (newest) => readEntries(client, { ...query, since: newest }, Number.MAX_SAFE_INTEGER),
    timeOf: (e) => e.created_at,
    columns,
    json: opts.json,
    intervalMs: opts.interval * 1000,
  });
}
