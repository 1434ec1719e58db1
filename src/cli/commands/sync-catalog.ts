import { Option, type Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { sparkRows } from '../chart.js';
import { CliError } from '../errors.js';
import { readDocumentFile } from '../input.js';
import { formatFields, formatTable, indent, printJson, printLine, type Column } from '../output.js';
import { parsePositiveInt } from './api-keys.js';
import type { Execution } from './sync-runs.js';

type Stream = components['schemas']['SyncStream'];
type Stats = components['schemas']['SyncStats'];
type SourceKind = 'connection' | 'record_store';

const streamColumns: Column<Stream>[] = [
  { header: 'STREAM', value: (s) => s.name },
  { header: 'PRIMARY KEY', value: (s) => s.primary_key.join(', ') },
  { header: 'CURSOR', value: (s) => s.cursor_field },
  {
    header: 'MODES',
    value: (s) => (['full', 'incremental', 'delta'] as const).filter((m) => s.supports[m]).join(', '),
  },
  { header: 'FIELDS', value: (s) => s.fields.length || null },
  { header: 'DESCRIPTION', value: (s) => s.description },
];

const sourceKindOption = () =>
  new Option('--source-kind <kind>', 'the connection itself, or what syncs stored for it (default connection)').choices(
    ['connection', 'record_store'],
  );

/**
 * A wall-clock reading of an instant in a time zone, `Sun 2025-03-30 03:00 CEST`, so a preview shows how a
 * schedule meets daylight-saving changes.
 */
export function zonedTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** Records per run, oldest first, as two rows of blocks on one scale (processed, failed). */
export function formatRunsChart(runs: Execution[]): string {
  const finished = runs.filter((r) => r.finished_at).reverse();
  if (finished.length === 0) return 'Records per run: no finished runs yet.';
  const rows = sparkRows([
    { label: 'processed', values: finished.map((r) => r.records.processed) },
    { label: 'failed', values: finished.map((r) => r.records.failed) },
  ]);
  return [`Records per run, last ${finished.length} runs, oldest first:`, ...rows.map((r) => indent(r))].join('\n');
}

function printStats(stats: Stats, runs: Execution[], days: number): void {
  printLine(`Syncs over the last ${days} days (runs created since ${stats.since.slice(0, 16).replace('T', ' ')}Z)`);
  printLine(
    indent(
      formatFields([
        ['Configurations', `${stats.configs} (${stats.enabled} enabled)`],
        ['Running now', stats.running],
        ['Runs', stats.runs],
        ['Succeeded', stats.succeeded],
        ['Failed', stats.failed],
        [
          'Success rate',
          stats.success_rate === null ? '- (nothing finished)' : `${(stats.success_rate * 100).toFixed(1)}%`,
        ],
        ['Records moved', stats.records],
      ]),
    ),
  );
  printLine('');
  printLine(formatRunsChart(runs));
}

/** `switchyard syncs discover | mapping-preview | schedule-preview | stats`. */
export function registerSyncCatalogCommands(syncs: Command): void {
  withApiOptions(
    syncs
      .command('discover')
      .description('The streams (API listings, tables, models) a sync could read from a connection')
      .argument('<connection-id>')
      .addOption(sourceKindOption())
      .option('--fields', 'list each stream’s fields too'),
  ).action(async (connection: string, opts: ApiOptions & { sourceKind?: SourceKind; fields?: boolean }) => {
    const { streams } = await unwrap(
      clientFor(opts).POST('/v1/syncs/discover', {
        body: { connection_id: connection, kind: opts.sourceKind ?? 'connection' },
      }),
    );
    if (opts.json) return printJson(streams);
    if (streams.length === 0) return printLine('No streams.');
    printLine(formatTable(streams, streamColumns));
    if (!opts.fields) return;
    for (const s of streams) {
      printLine('');
      printLine(`${s.name}:`);
      const fields = s.fields.map((f) => `${f.name} ${f.type}${f.nullable === false ? ' not null' : ''}`);
      printLine(indent(fields.length ? fields.join('\n') : '(the source does not say)'));
    }
  });

  withApiOptions(
    syncs
      .command('mapping-preview')
      .description('Run field mappings on sample records read from the source, before a sync uses them')
      .argument('<connection-id>')
      .argument('<stream>')
      .requiredOption('--mappings <file>', 'the mappings as a JSON or YAML file (- for stdin)')
      .addOption(sourceKindOption())
      .option('--limit <n>', 'how many sample records (default 5, at most 50)', parsePositiveInt),
  ).action(
    async (
      connection: string,
      stream: string,
      opts: ApiOptions & { mappings: string; sourceKind?: SourceKind; limit?: number },
    ) => {
      const mappings = await readDocumentFile(opts.mappings, '--mappings');
      const preview = await unwrap(
        clientFor(opts).POST('/v1/syncs/mapping-preview', {
          body: {
            connection_id: connection,
            kind: opts.sourceKind ?? 'connection',
            stream,
            mappings: mappings as components['schemas']['SyncMapping'],
            ...(opts.limit ? { limit: opts.limit } : {}),
          },
        }),
      );
      if (opts.json) return printJson(preview);
      for (const p of preview.problems) printLine(`problem ${p.path}: ${p.message}`);
      if (preview.samples.length === 0) return printLine(`No sample records in ${stream}.`);
      for (const [i, s] of preview.samples.entries()) {
        printLine(`Record ${i + 1}:`);
        printLine(indent(`in:  ${JSON.stringify(s.input)}`));
        printLine(indent(s.error ? `rejected: ${s.error}` : `out: ${JSON.stringify(s.output)}`));
      }
    },
  );

  withApiOptions(
    syncs
      .command('schedule-preview')
      .description('The next instants a cron schedule fires, in UTC and in its time zone (DST-correct)')
      .requiredOption('--cron <expr>', "a cron expression, e.g. '0 2 * * *' or @hourly")
      .option('--timezone <zone>', 'an IANA time zone, e.g. Europe/Berlin', 'UTC')
      .option('--count <n>', 'how many instants (at most 50)', parsePositiveInt, 5),
  ).action(async (opts: ApiOptions & { cron: string; timezone: string; count: number }) => {
    if (opts.count > 50) throw new CliError('--count is at most 50.');
    const preview = await unwrap(
      clientFor(opts).POST('/v1/syncs/schedule-preview', {
        body: { cron: opts.cron, timezone: opts.timezone, count: opts.count },
      }),
    );
    if (opts.json) return printJson(preview);
    printLine(`Next runs of '${opts.cron}' in ${opts.timezone}:`);
    for (const at of preview.next_runs)
      printLine(indent(`${at.replace('.000Z', 'Z')}  ${zonedTime(at, opts.timezone)}`));
  });

  withApiOptions(
    syncs
      .command('stats')
      .description(
        'The Sync Management figures: configurations, runs, success rate, records, a chart of records per run',
      )
      .option('--days <n>', 'the window (default 7)', parsePositiveInt, 7)
      .option('--runs <n>', 'how many recent runs the chart shows', parsePositiveInt, 40),
  ).action(async (opts: ApiOptions & { days: number; runs: number }) => {
    const client = clientFor(opts);
    const stats = await unwrap(client.GET('/v1/syncs/stats', { params: { query: { days: opts.days } } }));
    const runs = await unwrap(
      client.GET('/v1/syncs/executions', { params: { query: { limit: Math.min(opts.runs, 200) } } }),
    );
    if (opts.json) return printJson(stats);
    printStats(stats, runs.data, opts.days);
  });
}
