import { InvalidArgumentError, Option, type Command } from 'commander';
import type { components, operations } from '../../../sdk/index.js';
import { CliError } from '../errors.js';
import { readDocumentFile } from '../input.js';
import { collectList, parseDuration } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';
import {
  collectFieldPair,
  parseDeletes,
  parseMatch,
  parseTimestamps,
  twoWayOf,
  type TwoWay,
  type TwoWayFlags,
} from './sync-two-way.js';

export type SyncConfig = components['schemas']['SyncConfig'];
export type CreateSyncBody = operations['createSync']['requestBody']['content']['application/json'];
export type UpdateSyncBody = operations['updateSync']['requestBody']['content']['application/json'];
type Schedule = NonNullable<SyncConfig['schedule']>;
type Target = SyncConfig['target'];

/** The configuration flags `create` and `update` share; `undefined` leaves a field to its default / as it is. */
export type SyncFlags = TwoWayFlags & {
  fromFile?: string;
  name?: string;
  description?: string;
  source?: string;
  sourceKind?: 'connection' | 'record_store';
  stream?: string[];
  target?: Target['kind'];
  targetConnection?: string;
  targetSchema?: string;
  type?: SyncConfig['type'];
  direction?: SyncConfig['direction'];
  conflictPolicy?: SyncConfig['conflict_policy'];
  // --cron <expr> gives a string, --no-schedule false.
  cron?: string;
  schedule?: false;
  timezone?: string;
  misfire?: Schedule['misfire'];
  overlap?: Schedule['overlap'];
  mappings?: string;
  deletion?: SyncConfig['deletion']['mode'];
  maxDeleteShare?: number;
  triggerEvent?: string[];
  lookback?: number;
  batchSize?: number;
};

/** A share between 0 and 1 (`0.25`), or a percentage (`25%`). */
function parseShare(text: string): number {
  const percent = text.trim().endsWith('%');
  const value = Number(percent ? text.trim().slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError('expected a share between 0 and 1 (0.25) or a percentage (25%)');
  }
  return value;
}

/** A duration that may be zero (`0`: no lookback). */
const durationOrZero = (text: string) => (/^0+[smhd]?$/.test(text.trim()) ? 0 : parseDuration(text));

/** The options create and update share. */
export function withSyncFlags(command: Command): Command {
  return command
    .option('--from-file <file>', 'the configuration as a JSON or YAML file (- for stdin); flags given override it')
    .option('--name <name>', 'a name people recognise, e.g. "HubSpot contacts → warehouse"')
    .option('--description <text>', 'what the sync is for')
    .option('--source <connection>', 'the connection read from')
    .addOption(
      new Option('--source-kind <kind>', 'read the connection itself, or what syncs stored for it').choices([
        'connection',
        'record_store',
      ]),
    )
    .option('--stream <name>', 'a stream, table (schema.table) or model to read; repeat or comma-separate', collectList)
    .addOption(
      new Option('--target <kind>', 'where records go (default record_store)').choices([
        'record_store',
        'postgres',
        'connection',
      ]),
    )
    .option('--target-connection <connection>', 'the target connection (postgres and connection targets)')
    .option('--target-schema <schema>', 'the PostgreSQL schema written to (default public)')
    .addOption(
      new Option('--type <type>', 'how the source is read (default incremental)').choices([
        'full',
        'incremental',
        'delta',
      ]),
    )
    .addOption(
      new Option('--direction <direction>', 'default inbound; outbound writes to a connection').choices([
        'inbound',
        'outbound',
        'bidirectional',
      ]),
    )
    .addOption(
      new Option('--conflict-policy <policy>', 'bidirectional syncs: which side wins').choices([
        'source_wins',
        'target_wins',
        'latest_timestamp',
        'manual',
      ]),
    )
    .option(
      '--pair <a=b>',
      "bidirectional: a field of A paired with one of B, 'A=B[:both|a_to_b|b_to_a][:none|trim|lower|email|phone]'; repeat",
      collectFieldPair,
    )
    .option('--match <a=b>', "bidirectional: the first run matches records by 'A=B[:normaliser]' (or none)", parseMatch)
    .option(
      '--timestamps <sides>',
      'bidirectional: each side’s record timestamp for latest_timestamp, a=updatedAt,b=updated_at',
      parseTimestamps,
    )
    .option(
      '--deletes <sides>',
      'bidirectional: what a delete on each side does to the other (propagate, soft, ignore), a=soft,b=ignore',
      parseDeletes,
    )
    .option('--cron <expr>', "run on this cron schedule, e.g. '0 2 * * *' or @hourly")
    .option('--timezone <zone>', 'the schedule’s IANA time zone, e.g. Europe/Berlin (default UTC)')
    .addOption(
      new Option('--misfire <policy>', 'instants missed while no node ran (default skip)').choices([
        'skip',
        'run_once',
      ]),
    )
    .addOption(
      new Option('--overlap <policy>', 'a due instant while a run is going (default skip)').choices([
        'skip',
        'queue_one',
        'cancel_running',
      ]),
    )
    .option('--mappings <file>', 'field mappings as a JSON or YAML file ({select, fields: [{to, from|constant|…}]})')
    .addOption(
      new Option('--deletion <mode>', 'records a full read no longer finds (default soft)').choices([
        'soft',
        'hard',
        'none',
      ]),
    )
    .option(
      '--max-delete-share <share>',
      'a full sync deleting more than this share stops instead (0.5, 50%)',
      parseShare,
    )
    .option('--trigger-event <type>', 'run when this event type is published; repeat or comma-separate', collectList)
    .option(
      '--lookback <duration>',
      'incremental reads re-read this far before the cursor (late commits), e.g. 5m',
      durationOrZero,
    )
    .option('--batch-size <n>', 'records per batch (default 5000)', parsePositiveInt);
}

/** The whole configuration from --from-file, checked to be an object (the API checks the rest). */
async function fileBody(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) return {};
  const value = await readDocumentFile(file, '--from-file');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(
      `--from-file must hold one configuration object (a ${Array.isArray(value) ? 'list' : typeof value} was given).`,
    );
  }
  return value as Record<string, unknown>;
}

/** The schedule from the flags over `current` (update keeps what is not given); undefined when none was given. */
function scheduleOf(opts: SyncFlags, current: Schedule | null | undefined): Schedule | null | undefined {
  if (opts.schedule === false) {
    if (opts.cron || opts.timezone || opts.misfire || opts.overlap) {
      throw new CliError('Give --no-schedule or schedule options (--cron, --timezone, …), not both.');
    }
    return null;
  }
  if (!opts.cron && !opts.timezone && !opts.misfire && !opts.overlap) return undefined;
  const cron = opts.cron ?? current?.cron;
  if (!cron) throw new CliError('--timezone, --misfire and --overlap need a schedule: give --cron too.');
  return {
    cron,
    timezone: opts.timezone ?? current?.timezone ?? 'UTC',
    misfire: opts.misfire ?? current?.misfire ?? 'skip',
    overlap: opts.overlap ?? current?.overlap ?? 'skip',
  };
}

function targetOf(opts: SyncFlags, current: Target | undefined): Target | undefined {
  if (!opts.target && !opts.targetConnection && !opts.targetSchema) return undefined;
  const kind = opts.target ?? current?.kind ?? (opts.targetConnection ? undefined : 'record_store');
  if (!kind) throw new CliError('Say what --target-connection is: --target postgres or --target connection.');
  if (kind === 'files') {
    throw new CliError('A files-store target takes a storage source: make it with `switchyard storage sync`.');
  }
  if (kind === 'record_store') {
    if (opts.targetConnection || opts.targetSchema) {
      throw new CliError('The record store target takes no --target-connection or --target-schema.');
    }
    return { kind };
  }
  const connection =
    opts.targetConnection ?? (current && 'connection_id' in current ? current.connection_id : undefined);
  if (!connection) throw new CliError(`--target ${kind} needs --target-connection <connection>.`);
  if (kind === 'connection') {
    if (opts.targetSchema) throw new CliError('--target-schema is for --target postgres.');
    return { kind, connection_id: connection };
  }
  if (kind === 'pgvector') {
    // Its dimensions and fields have no flags: they come from --from-file, or stay as stored.
    if (current?.kind !== 'pgvector') throw new CliError('A pgvector target is set with --from-file (see the README).');
    return { ...current, connection_id: connection, schema: opts.targetSchema ?? current.schema };
  }
  const schema = opts.targetSchema ?? (current?.kind === 'postgres' ? current.schema : 'public');
  return { kind, connection_id: connection, schema };
}

/**
 * The request body from --from-file and the flags (flags win). `current` is the stored configuration on update:
 * a partial schedule, source or target given by flags is completed from it, since the API replaces those whole.
 */
type ConnectionSource = Exclude<SyncConfig['source'], { kind: 'file' } | { kind: 'storage' }>;

export async function syncBody(opts: SyncFlags, current?: SyncConfig): Promise<Record<string, unknown>> {
  const body = await fileBody(opts.fromFile);
  const schedule = scheduleOf(opts, (body.schedule as Schedule | null | undefined) ?? current?.schedule);
  const target = targetOf(opts, (body.target as Target | undefined) ?? current?.target);
  let source: SyncConfig['source'] | undefined;
  if (opts.source || opts.sourceKind || opts.stream) {
    const stored = (body.source ?? current?.source) as Partial<SyncConfig['source']> | undefined;
    if (stored?.kind === 'storage') {
      throw new CliError('A storage sync’s source is changed with --from-file (root and folder), not these flags.');
    }
    const base = stored?.kind === 'file' ? undefined : (stored as Partial<ConnectionSource> | undefined);
    const connection = opts.source ?? base?.connection_id;
    const streams = opts.stream?.map((name) => ({ name })) ?? base?.streams;
    if (!connection) throw new CliError('Give the connection read from with --source <connection>.');
    if (!streams?.length)
      throw new CliError('Give the streams to read with --stream <name> (see `switchyard syncs discover`).');
    source = { kind: opts.sourceKind ?? base?.kind ?? 'connection', connection_id: connection, streams };
  }
  const twoWay = twoWayOf(opts, (body.two_way as Partial<TwoWay> | undefined) ?? currentTwoWay(current));
  const baseDeletion = (body.deletion as Partial<SyncConfig['deletion']> | undefined) ?? current?.deletion;
  const deletion =
    opts.deletion || opts.maxDeleteShare !== undefined
      ? {
          mode: opts.deletion ?? baseDeletion?.mode ?? 'soft',
          max_delete_share: opts.maxDeleteShare ?? baseDeletion?.max_delete_share ?? 0.5,
        }
      : undefined;
  return {
    ...body,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(source ? { source } : {}),
    ...(target ? { target } : {}),
    ...(opts.type ? { type: opts.type } : {}),
    ...(opts.direction ? { direction: opts.direction } : {}),
    ...(opts.conflictPolicy ? { conflict_policy: opts.conflictPolicy } : {}),
    ...(twoWay ? { two_way: twoWay } : {}),
    // Field pairs are for bidirectional syncs only: turning one into a one-way sync drops them.
    ...(!twoWay && opts.direction && opts.direction !== 'bidirectional' && currentTwoWay(current)
      ? { two_way: null }
      : {}),
    ...(schedule !== undefined ? { schedule } : {}),
    ...(opts.mappings ? { mappings: await readDocumentFile(opts.mappings, '--mappings') } : {}),
    ...(deletion ? { deletion } : {}),
    ...(opts.triggerEvent ? { trigger_event_types: opts.triggerEvent } : {}),
    ...(opts.lookback !== undefined ? { lookback_seconds: opts.lookback } : {}),
    ...(opts.batchSize !== undefined ? { batch_size: opts.batchSize } : {}),
  };
}

/** The stored two-way settings of a configuration (null on a one-way sync). */
function currentTwoWay(current: SyncConfig | undefined): TwoWay | undefined {
  return (current as { two_way?: TwoWay | null } | undefined)?.two_way ?? undefined;
}
