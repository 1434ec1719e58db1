import type { Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { sparkRows } from '../chart.js';
import { formatFields, formatTable, indent, printJson, printLine, shortTime, type Column } from '../output.js';
import { parseInstant } from '../parse.js';

type Stats = components['schemas']['WebhookStats'];
type EndpointStats = Stats['per_endpoint'][number];

const percent = (rate: number | null) => (rate === null ? null : `${(rate * 100).toFixed(1)}%`);
const ms = (value: number | null) => (value === null ? null : `${Math.round(value)} ms`);

const endpointColumns: Column<EndpointStats>[] = [
  { header: 'ENDPOINT', value: (e) => e.endpoint_id },
  { header: 'URL', value: (e) => e.url },
  { header: 'TOTAL', value: (e) => e.total },
  { header: 'DELIVERED', value: (e) => e.delivered },
  { header: 'FAILED', value: (e) => e.failed },
  { header: 'PENDING', value: (e) => e.pending },
  { header: 'SUCCESS', value: (e) => percent(e.success_rate) },
  { header: 'ATTEMPT SUCCESS', value: (e) => percent(e.attempt_success_rate) },
  { header: 'CIRCUIT', value: (e) => e.circuit.replace('_', ' ') },
  { header: 'P95 DELIVERY', value: (e) => ms(e.p95_delivery_ms) },
  { header: 'RETRIES', value: (e) => e.retries },
];

/** `1800` → `30m`, for the chart's caption. */
export function bucketText(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The series as two rows of blocks on one scale, so a burst of failures stands out next to the deliveries. */
export function formatSeriesChart(stats: Stats): string {
  const lines = [`Per ${bucketText(stats.bucket_seconds)}, ${shortTime(stats.since)} → ${shortTime(stats.until)}:`];
  if (stats.series.every((point) => point.total === 0)) return [...lines, indent('no deliveries')].join('\n');
  const rows = sparkRows([
    { label: 'delivered', values: stats.series.map((p) => p.delivered) },
    { label: 'failed', values: stats.series.map((p) => p.failed) },
  ]);
  return [...lines, ...rows.map((row) => indent(row))].join('\n');
}

/** An endpoint failing now: its breaker, its run of failures and its latest error. */
export function failingLine(e: EndpointStats): string {
  const last = e.last_failure;
  return [
    `${e.endpoint_id} ${e.url}: circuit ${e.circuit.replace('_', ' ')}, ${e.consecutive_failures} failed in a row`,
    e.failing_since ? ` since ${shortTime(e.failing_since)}` : '',
    last ? `; last ${shortTime(last.started_at)}: ${last.error ?? last.outcome}` : '',
  ].join('');
}

function printStats(stats: Stats): void {
  const o = stats.overall;
  printLine(`Webhook deliveries created ${shortTime(stats.since)} to ${shortTime(stats.until)}`);
  printLine(
    indent(
      formatFields([
        ['Total', o.total],
        ['Delivered', o.delivered],
        ['Failed', o.failed],
        ['Pending', o.pending],
        ['Skipped', o.skipped],
        ['Success rate', percent(o.success_rate) ?? '- (nothing finished)'],
        [
          'Attempt success',
          o.attempt_success_rate === null
            ? '- (no attempt finished)'
            : `${percent(o.attempt_success_rate)} (${o.attempts_delivered} of ${o.attempts_delivered + o.attempts_failed} attempts)`,
        ],
        [
          'Delivery time',
          o.avg_delivery_ms === null ? null : `avg ${ms(o.avg_delivery_ms)}, p95 ${ms(o.p95_delivery_ms)}`,
        ],
        ['Attempt time', o.avg_attempt_ms === null ? null : `avg ${ms(o.avg_attempt_ms)}, p95 ${ms(o.p95_attempt_ms)}`],
        ['Retries', o.retries],
      ]),
    ),
  );
  const failing = stats.per_endpoint.filter((e) => e.consecutive_failures > 0 || e.circuit !== 'closed');
  if (failing.length) {
    printLine('');
    printLine('Failing now:');
    for (const e of failing) printLine(indent(failingLine(e)));
  }
  printLine('');
  printLine(formatSeriesChart(stats));
  if (stats.per_endpoint.length) {
    printLine('');
    printLine(formatTable(stats.per_endpoint, endpointColumns));
  }
}

/** `switchyard webhooks stats`: totals, a chart over time, and a table per endpoint. */
export function registerWebhookStatsCommand(webhooks: Command): void {
  withApiOptions(
    webhooks
      .command('stats')
      .description(
        'Delivery statistics: totals, success rates (deliveries and attempts), latencies, what is failing now, a chart over time and a table per endpoint',
      )
      .option('--since <instant>', 'deliveries created at or after (default: 24 hours before --until)', parseInstant)
      .option('--until <instant>', 'deliveries created before (default: now)', parseInstant)
      .option('--endpoint <id>', 'only this endpoint')
      .option('--bucket <length>', 'chart bucket length, e.g. 5m or 1h (default: at most 48 buckets)'),
  ).action(async (opts: ApiOptions & { since?: string; until?: string; endpoint?: string; bucket?: string }) => {
    const query = {
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.endpoint ? { endpoint_id: opts.endpoint } : {}),
      ...(opts.bucket ? { bucket: opts.bucket } : {}),
    };
    const stats = await unwrap(clientFor(opts).GET('/v1/webhooks/stats', { params: { query } }));
    if (opts.json) return printJson(stats);
    printStats(stats);
  });
}
