import type { Command } from 'commander';
import { listAll, unwrap, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import {
  formatFields,
  formatTable,
  indent,
  printJson,
  printLine,
  printRows,
  shortTime,
  type Column,
} from '../output.js';
import { confirm } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';
import { registerSyncCatalogCommands } from './sync-catalog.js';
import { registerSyncConflictCommands } from './sync-conflicts.js';
import {
  syncBody,
  withSyncFlags,
  type CreateSyncBody,
  type SyncConfig,
  type SyncFlags,
  type UpdateSyncBody,
} from './sync-flags.js';
import { registerSyncRunCommands } from './sync-runs.js';
import { registerSyncStateCommands } from './sync-state.js';
import { twoWayLines, type TwoWay } from './sync-two-way.js';

export function sourceText(c: Pick<SyncConfig, 'source'>): string {
  const streams = c.source.streams.map((s) => (s.target && s.target !== s.name ? `${s.name}→${s.target}` : s.name));
  return `${sourceName(c.source)}: ${streams.join(', ')}`;
}

/** A source's connection (or file), as a person reads it. */
export function sourceName(source: SyncConfig['source']): string {
  if (source.kind === 'file') return `file ${source.file_id}`;
  if (source.kind === 'storage')
    return `storage ${source.connection_id} (${source.root}${source.folder ? ` ${source.folder}` : ''})`;
  return `${source.connection_id}${source.kind === 'record_store' ? ' (stored records)' : ''}`;
}

export function targetText(target: SyncConfig['target']): string {
  if (target.kind === 'record_store') return 'record store';
  if (target.kind === 'postgres') return `postgres ${target.connection_id} (schema ${target.schema})`;
  if (target.kind === 'pgvector')
    return `pgvector ${target.connection_id} (schema ${target.schema}, ${target.dimensions} dimensions)`;
  if (target.kind === 'mysql' || target.kind === 'sqlite') return `${target.kind} ${target.connection_id}`;
  if (target.kind === 'files') return `files store ${target.folder}`;
  return `connection ${target.connection_id}`;
}

function scheduleText(c: SyncConfig): string {
  if (!c.schedule) return c.trigger_event_types.length ? 'on events' : 'manual';
  return `${c.schedule.cron} (${c.schedule.timezone})`;
}

function stateText(c: SyncConfig): string {
  if (c.running_execution_id) return 'running';
  return c.enabled ? 'enabled' : 'disabled';
}

const columns: Column<SyncConfig>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'NAME', value: (c) => c.name },
  { header: 'SOURCE', value: (c) => sourceText(c) },
  { header: 'TARGET', value: (c) => targetText(c.target) },
  { header: 'TYPE', value: (c) => c.type },
  { header: 'SCHEDULE', value: (c) => scheduleText(c) },
  { header: 'STATE', value: (c) => stateText(c) },
  {
    header: 'LAST RUN',
    value: (c) => (c.last_run ? `${c.last_run.status} ${shortTime(c.last_run.started_at) ?? ''}` : null),
  },
  { header: 'NEXT RUN', value: (c) => shortTime(c.next_run_at) },
];

type StreamRow = SyncConfig['source']['streams'][number];
const streamColumns: Column<StreamRow>[] = [
  { header: 'STREAM', value: (s) => s.name },
  { header: 'WRITES TO', value: (s) => s.target ?? s.name },
  { header: 'CURSOR', value: (s) => s.cursor_field },
  { header: 'PRIMARY KEY', value: (s) => s.primary_key?.join(', ') },
];

async function printSync(client: SwitchyardClient, c: SyncConfig): Promise<void> {
  // The configuration itself does not carry its last run (the list does); one page of one run tells it.
  const runs = await unwrap(client.GET('/v1/syncs/executions', { params: { query: { sync_id: c.id, limit: 1 } } }));
  const last = runs.data[0];
  printLine(`Sync ${c.id}: ${c.name} (${stateText(c)})`);
  printLine(
    formatFields([
      ['Description', c.description],
      ['Source', sourceName(c.source)],
      ['Target', targetText(c.target)],
      ['Type', c.type],
      ['Direction', c.direction === 'bidirectional' ? `bidirectional (${c.conflict_policy})` : c.direction],
      [
        'Schedule',
        c.schedule
          ? `${c.schedule.cron} in ${c.schedule.timezone}; misfire ${c.schedule.misfire}, overlap ${c.schedule.overlap}`
          : 'none (by hand, webhook rule or event)',
      ],
      ['Trigger events', c.trigger_event_types.join(', ')],
      ['Next run', shortTime(c.next_run_at)],
      ['Running', c.running_execution_id],
      [
        'Last run',
        last
          ? `${last.id} ${last.status}, ${last.records.processed} records, ${shortTime(last.started_at ?? last.created_at)}`
          : 'never',
      ],
      ['Deletion', `${c.deletion.mode}; stops above ${Math.round(c.deletion.max_delete_share * 100)}% of the target`],
      ['Lookback', c.lookback_seconds ? `${c.lookback_seconds} s` : null],
      ['Batch size', c.batch_size],
      ['Created', shortTime(c.created_at)],
      ['Updated', shortTime(c.updated_at)],
    ]),
  );
  printLine('Streams:');
  printLine(indent(formatTable(c.source.streams, streamColumns)));
  const twoWay = (c as { two_way?: TwoWay | null }).two_way;
  if (c.direction === 'bidirectional' && twoWay) {
    printLine('Two-way (A is the source, B the target):');
    for (const line of twoWayLines(twoWay)) printLine(indent(line));
    return;
  }
  if (c.mappings.fields.length === 0) {
    return printLine(c.mappings.select === 'all' ? 'Mappings: none (records are written as read).' : 'Mappings: none.');
  }
  printLine(`Mappings (${c.mappings.select === 'all' ? 'every source field, plus' : 'only these fields'}):`);
  for (const f of c.mappings.fields) printLine(indent(mappingText(f)));
}

type FieldMapping = SyncConfig['mappings']['fields'][number];
/** `email ← properties.email (string)`, `full_name ← "{{first}} {{last}}"`, `source ← constant "hubspot"`. */
export function mappingText(f: FieldMapping): string {
  const from =
    f.from !== undefined
      ? f.from
      : f.template !== undefined
        ? JSON.stringify(f.template)
        : `constant ${JSON.stringify(f.constant)}`;
  const extras = [f.cast, f.default !== undefined ? `default ${JSON.stringify(f.default)}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${f.stream ? `[${f.stream}] ` : ''}${f.to} ← ${from}${extras ? ` (${extras})` : ''}`;
}

async function setEnabled(id: string, enabled: boolean, opts: ApiOptions): Promise<void> {
  const c = await unwrap(clientFor(opts).PATCH('/v1/syncs/{id}', { params: { path: { id } }, body: { enabled } }));
  if (opts.json) return printJson(c);
  const next = enabled && c.next_run_at ? ` Next run ${shortTime(c.next_run_at)}.` : '';
  printLine(`${enabled ? 'Enabled' : 'Disabled'} sync ${c.id} (${c.name}).${next}`);
}

/** `switchyard syncs …`: sync configurations, their runs, logs, rejected records and checkpoints. */
export function registerSyncCommands(program: Command): void {
  const syncs = program
    .command('syncs')
    .description('Manage syncs: configurations, runs, logs, checkpoints, discovery and schedules');

  withApiOptions(
    syncs
      .command('list')
      .description('Sync configurations with their last and next run, newest first')
      .option('--connection <id>', 'only syncs reading from or writing to this connection')
      .option('--search <text>', 'only syncs whose name contains this')
      .option('--limit <n>', 'show at most this many', parsePositiveInt),
  ).action(async (opts: ApiOptions & { connection?: string; search?: string; limit?: number }) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.connection ? { connection_id: opts.connection } : {}),
      ...(opts.search ? { search: opts.search } : {}),
    };
    const rows = await listAll((cursor) =>
      client.GET('/v1/syncs', { params: { query: { ...query, cursor, limit: 200 } } }),
    );
    printRows(opts.limit ? rows.slice(0, opts.limit) : rows, columns, { json: opts.json, what: 'syncs' });
  });

  withApiOptions(
    syncs
      .command('show')
      .description('A sync configuration: source, target, schedule, streams, mappings')
      .argument('<id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const client = clientFor(opts);
    const c = await unwrap(client.GET('/v1/syncs/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(c);
    await printSync(client, c);
  });

  withApiOptions(
    withSyncFlags(
      syncs
        .command('create')
        .description(
          'Create a sync from flags or a file (--from-file); the server checks the streams and mappings against the source',
        )
        .option('--disabled', 'create it disabled: it runs only once enabled'),
    ),
  ).action(async (opts: ApiOptions & SyncFlags & { disabled?: boolean }) => {
    const body = await syncBody(opts);
    if (opts.disabled) body.enabled = false;
    if (!body.name) throw new CliError('Give the sync a name with --name (or in --from-file).');
    if (!body.source)
      throw new CliError('Say what is read with --source <connection> and --stream <name> (or --from-file).');
    const c = await unwrap(clientFor(opts).POST('/v1/syncs', { body: body as CreateSyncBody }));
    if (opts.json) return printJson(c);
    printLine(`Created sync ${c.id} (${c.name}): ${sourceText(c)} → ${targetText(c.target)}, ${c.type}.`);
    if (!c.enabled) printLine('It is disabled: `switchyard syncs enable` to let it run.');
    else if (c.next_run_at) printLine(`Next run ${shortTime(c.next_run_at)}.`);
    else printLine(`It runs when asked: switchyard syncs run ${c.id}`);
  });

  withApiOptions(
    withSyncFlags(
      syncs
        .command('update')
        .description('Change a sync; only what is given changes (a schedule option keeps the rest of the schedule)')
        .argument('<id>'),
    ).option('--no-schedule', 'remove the schedule: the sync runs only by hand, webhook rule or event'),
  ).action(async (id: string, opts: ApiOptions & SyncFlags) => {
    const client = clientFor(opts);
    const current = await unwrap(client.GET('/v1/syncs/{id}', { params: { path: { id } } }));
    const body = await syncBody(opts, current);
    if (Object.keys(body).length === 0) throw new CliError('Nothing to change: give at least one option (see --help).');
    const c = await unwrap(client.PATCH('/v1/syncs/{id}', { params: { path: { id } }, body: body as UpdateSyncBody }));
    if (opts.json) return printJson(c);
    printLine(`Updated sync ${c.id} (${c.name}): ${Object.keys(body).sort().join(', ')}.`);
  });

  withApiOptions(
    syncs
      .command('delete')
      .description('Delete a sync, its runs and checkpoints (records it stored stay); a running run is cancelled')
      .argument('<id>')
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (id: string, opts: ApiOptions & { yes?: boolean }) => {
    if (!opts.yes) {
      await confirm(
        `Delete sync ${id}, its runs and its checkpoints?`,
        `Refusing to delete sync ${id} without --yes: there is no terminal to ask for confirmation.`,
      );
    }
    await unwrap(clientFor(opts).DELETE('/v1/syncs/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, deleted: true });
    printLine(`Deleted sync ${id}.`);
  });

  withApiOptions(
    syncs.command('enable').description('Let a sync run (and schedule its next run)').argument('<id>'),
  ).action((id: string, opts: ApiOptions) => setEnabled(id, true, opts));
  withApiOptions(
    syncs.command('disable').description('Stop a sync from running on its schedule or triggers').argument('<id>'),
  ).action((id: string, opts: ApiOptions) => setEnabled(id, false, opts));

  registerSyncRunCommands(syncs);
  registerSyncStateCommands(syncs);
  registerSyncCatalogCommands(syncs);
  registerSyncConflictCommands(syncs);
}
