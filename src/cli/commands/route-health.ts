import { Option, type Command } from 'commander';
import { unwrap, type paths, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { sparkRows } from '../chart.js';
import { followNewest } from '../follow.js';
import { formatTable, indent, printJson, printLine, printRows, secondTime, shortTime, type Column } from '../output.js';
import { parsePositiveInt } from './api-keys.js';
import { breakerText, providerViewColumns, type ProviderView } from './route-query.js';

type Health = paths['/v1/routes/{name}/health']['get']['responses'][200]['content']['application/json'];
type Stats = paths['/v1/routes/{name}/stats']['get']['responses'][200]['content']['application/json'];
type CallPage = paths['/v1/routes/{name}/calls']['get']['responses'][200]['content']['application/json'];
type Call = CallPage['data'][number];
type CallOutcome = NonNullable<paths['/v1/routes/{name}/calls']['get']['parameters']['query']>['outcome'];

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? null : `${Math.round(value)} ms`;

const callColumns: Column<Call>[] = [
  { header: 'AT', value: (c) => secondTime(c.at), width: 20 },
  { header: 'OUTCOME', value: (c) => c.outcome, width: 12 },
  { header: 'CONNECTOR', value: (c) => c.connector, width: 14 },
  { header: 'CONNECTION', value: (c) => c.connection_id, width: 16 },
  { header: 'LATENCY', value: (c) => ms(c.latency_ms), width: 8 },
  { header: 'ATTEMPTS', value: (c) => c.attempts.length, width: 8 },
  { header: 'REASON', value: (c) => c.reason },
];

type ProviderStats = Stats['providers'][number];
const statsColumns: Column<ProviderStats>[] = [
  { header: 'CONNECTION', value: (p) => p.connection_id },
  { header: 'CONNECTOR', value: (p) => p.connector },
  { header: 'CALLS', value: (p) => p.calls },
  { header: 'OK', value: (p) => p.ok },
  { header: 'FAILED', value: (p) => p.failed },
  { header: 'RATE LIMITED', value: (p) => p.rate_limited },
  { header: 'P50', value: (p) => ms(p.p50_ms) },
  { header: 'P95', value: (p) => ms(p.p95_ms) },
];

type Bucket = Stats['buckets'][number];
const HOUR = 3_600_000;
const series = ['ok', 'fallback', 'fused', 'rate_limited', 'queued', 'failed'] as const;

/**
 * The last `hours` hours up to now, an hour a column (the API lists only hours with calls; the others are zero), as
 * rows of blocks on one scale, so a run of fallbacks or failures stands out beside the calls served. Outcomes that
 * never happened are left out, except ok.
 */
export function formatCallsChart(stats: Stats, hours: number, now = Date.now()): string {
  const byHour = new Map(stats.buckets.map((b) => [Date.parse(b.at), b]));
  const end = Math.max(Math.floor(now / HOUR) * HOUR, ...byHour.keys());
  const hoursShown = Array.from({ length: hours }, (_, i) => end - (hours - 1 - i) * HOUR);
  const counts = (key: (typeof series)[number]) =>
    hoursShown.map((at) => (byHour.get(at) as Bucket | undefined)?.[key] ?? 0);
  const heading = `Calls per hour, ${shortTime(new Date(hoursShown[0] ?? end).toISOString())} → ${shortTime(new Date(end).toISOString())}:`;
  const rows = series
    .map((key) => ({ label: key.replace('_', ' '), values: counts(key) }))
    .filter((row) => row.label === 'ok' || row.values.some((v) => v > 0));
  if (rows.every((row) => row.values.every((v) => v === 0))) return [heading, indent('no calls')].join('\n');
  return [heading, ...sparkRows(rows).map((row) => indent(row))].join('\n');
}

async function readStats(client: SwitchyardClient, name: string, hours: number): Promise<Stats> {
  return unwrap(client.GET('/v1/routes/{name}/stats', { params: { path: { name }, query: { hours } } }));
}

/**
 * The calls newer than `newest` (inclusive), newest first: the log has no `since`, so pages are read from the newest
 * until one reaches back past it.
 */
async function callsSince(
  client: SwitchyardClient,
  name: string,
  newest: string,
  outcome?: CallOutcome,
): Promise<Call[]> {
  const rows: Call[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await unwrap(
      client.GET('/v1/routes/{name}/calls', {
        params: {
          path: { name },
          query: { limit: 100, ...(cursor ? { cursor } : {}), ...(outcome ? { outcome } : {}) },
        },
      }),
    );
    rows.push(...page.data.filter((c) => c.at >= newest));
    if (!page.next_cursor || page.data.some((c) => c.at < newest)) return rows;
    cursor = page.next_cursor;
  }
}

/** `routes health`, `routes calls`, `routes stats`, `routes reset`. */
export function registerRouteHealthCommands(routes: Command): void {
  withApiOptions(
    routes
      .command('health')
      .description(
        'Each provider now (breaker, quota, rate limit, sticky), the queue, and a chart of the last 24 hours',
      )
      .argument('<name>'),
  ).action(async (name: string, opts: ApiOptions) => {
    const client = clientFor(opts);
    const health = await unwrap(client.GET('/v1/routes/{name}/health', { params: { path: { name } } }));
    if (opts.json) return printJson(health);
    const stats = await readStats(client, name, 24);
    printHealth(name, health);
    printLine('');
    printLine(formatCallsChart(stats, 24));
  });

  withApiOptions(
    routes
      .command('calls')
      .description('The call log, newest first: provider, outcome, latency and reason of each call')
      .argument('<name>')
      .addOption(outcomeOption())
      .option('--limit <n>', 'show at most this many (default 50)', parsePositiveInt)
      .option('--follow', 'keep printing calls as they are made, oldest first, until Ctrl-C')
      .option('--interval <ms>', 'with --follow: how often to ask, in milliseconds (default 2000)', parsePositiveInt),
  ).action(
    async (
      name: string,
      opts: ApiOptions & { outcome?: CallOutcome; limit?: number; follow?: boolean; interval?: number },
    ) => {
      const client = clientFor(opts);
      const page = await unwrap(
        client.GET('/v1/routes/{name}/calls', {
          params: {
            path: { name },
            query: { limit: opts.limit ?? 50, ...(opts.outcome ? { outcome: opts.outcome } : {}) },
          },
        }),
      );
      if (!opts.follow) return printRows(page.data, callColumns, { json: opts.json, what: 'calls' });
      await followNewest({
        first: page.data,
        since: (newest) => callsSince(client, name, newest, opts.outcome),
        timeOf: (c) => c.at,
        columns: callColumns,
        ...(opts.json ? { json: true } : {}),
        intervalMs: opts.interval ?? 2000,
      });
    },
  );

  withApiOptions(
    routes
      .command('stats')
      .description('Calls per provider (ok, failed, rate limited, latency) and per hour')
      .argument('<name>')
      .option('--hours <n>', 'how far back (default 24)', parsePositiveInt),
  ).action(async (name: string, opts: ApiOptions & { hours?: number }) => {
    const hours = opts.hours ?? 24;
    const stats = await readStats(clientFor(opts), name, hours);
    if (opts.json) return printJson(stats);
    printLine(stats.providers.length ? formatTable(stats.providers, statsColumns) : 'No calls.');
    printLine('');
    printLine(formatCallsChart(stats, hours));
  });

  withApiOptions(
    routes
      .command('reset')
      .description("Close a provider's breaker and forget its quota mark, e.g. after upgrading its plan")
      .argument('<name>')
      .argument('<connection>'),
  ).action(async (name: string, connection: string, opts: ApiOptions) => {
    const view = await unwrap(
      clientFor(opts).POST('/v1/routes/{name}/providers/{connection_id}/reset', {
        params: { path: { name, connection_id: connection } },
      }),
    );
    if (opts.json) return printJson(view);
    printLine(
      `Reset ${view.connector} (${connection}) on route ${name}: breaker ${breakerText(view.breaker)}, ` +
        `${view.eligible ? 'eligible' : `not eligible: ${view.why}`}.`,
    );
  });
}

const healthColumns: Column<ProviderView>[] = [
  ...providerViewColumns.filter((c) => c.header !== 'WHY' && c.header !== 'CONDITION'),
  { header: 'LAST FAILURE', value: (p) => p.last_failure },
];

function printHealth(name: string, health: Health): void {
  printLine(`Route ${name}: ${health.calls_last_hour} call(s) in the last hour, ${health.queue_length} queued.`);
  printLine(formatTable(health.providers, healthColumns));
}

function outcomeOption() {
  return new Option('--outcome <outcome>', 'only calls that ended so').choices([
    'ok',
    'fallback',
    'fused',
    'rate_limited',
    'queued',
    'expired',
    'failed',
    'no_data',
  ]);
}
