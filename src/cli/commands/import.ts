import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { formatFields, printJson, printLine, printNote } from '../output.js';
import { uploadFile } from '../file-transfer.js';
import { followRun, reportEnd, type Execution } from './sync-runs.js';

type ImportOptions = ApiOptions & {
  to: string;
  model?: string;
  key?: string;
  format?: string;
  formatOptions?: string;
  onError: 'stop' | 'skip' | 'reject_file';
  newColumns: 'evolve' | 'freeze' | 'discard_row' | 'discard_value';
  dryRun?: boolean;
  /** False with --no-undo. */
  undo: boolean;
  replace?: boolean;
  errorsFile?: string;
  folder?: string;
};

type SyncSource = components['schemas']['SyncSource'];
type FileSource = Extract<SyncSource, { kind: 'file' }>;
type SyncTarget = components['schemas']['SyncTarget'];

const FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'xml'];

/**
 * `switchyard import FILE --to …`: a file into the record store, a PostgreSQL table or a connection's stream, as a
 * bulk import does it (seed 002, Pattern 3). The file is uploaded (resumably, with a progress bar), its format
 * detected and a schema proposed from a sample (or given), and an import sync is made from it. `--dry-run` checks
 * every record and writes nothing; otherwise the import runs under `--on-error` (by default nothing is imported
 * unless every record fits). Rejected records can be saved as an errors file to fix and import again.
 */
export function registerImportCommand(program: Command): void {
  withApiOptions(
    program
      .command('import')
      .description('Import a CSV, TSV, JSON, NDJSON or XML file (checked first; --dry-run writes nothing)')
      .argument('<file>', 'the file to import')
      .requiredOption(
        '--to <target>',
        'record-store:<connection> | postgres:<connection>[/<schema>] | mysql:<connection> | sqlite:<connection> | ' +
          'connection:<connection> (a connection id or key)',
      )
      .option('--model <name>', 'the model, table or stream written (default: the file name without extension)')
      .option(
        '--key <fields>',
        'comma-separated primary key fields (default: id when the file has one, else the record number)',
      )
      .option('--format <format>', `read as ${FORMATS.join(', ')} instead of detecting it`)
      .option('--format-options <json>', 'format options as JSON, e.g. {"delimiter":";","header":false}')
      .addOption(
        new Option('--on-error <policy>', 'stop, skip (import the good records) or reject_file')
          .choices(['stop', 'skip', 'reject_file'])
          .default('reject_file'),
      )
      .addOption(
        new Option('--new-columns <policy>', 'what a column the schema lacks does')
          .choices(['evolve', 'freeze', 'discard_row', 'discard_value'])
          .default('evolve'),
      )
      .option('--dry-run', 'check every record and write nothing; exits 1 when any is rejected')
      .option('--no-undo', 'keep no undo journal: a table import writes somewhat faster, but cannot be undone')
      .option('--replace', 'replace the model: records the file no longer has are deleted (by the deletion policy)')
      .option('--errors-file <path>', 'save the rejected records (with a reason column) here')
      .option('--folder <folder>', 'the files store folder to upload into', '/imports'),
  ).action(async (file: string, opts: ImportOptions) => {
    const client = clientFor(opts);
    const target = parseTarget(opts.to);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`${file} is not a file.`);
    if (opts.format && !FORMATS.includes(opts.format))
      throw new CliError(`--format must be one of ${FORMATS.join(', ')}.`);
    const model = opts.model ?? sanitiseModel(path.basename(file).replace(/\.[^.]+$/, ''));

    const uploaded = await uploadFile(client, file, { folder: opts.folder ?? '/imports', ifExists: 'rename' });
    const inspected = await unwrap(
      client.POST('/v1/imports/inspect', {
        body: {
          file_id: uploaded.id,
          ...(opts.format ? { format: formatSpec(opts.format, opts.formatOptions) } : {}),
          preview: 0,
        },
      }),
    );
    const fields = inspected.schema.fields;
    const key = opts.key
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const primaryKey = key ?? (fields.some((f) => f.name === 'id') ? ['id'] : undefined);
    for (const k of key ?? []) {
      if (!fields.some((f) => f.name === k)) throw new CliError(`--key names "${k}", which the file has no column of.`);
    }
    if (!opts.json) {
      const shown = fields.map((f) => `${f.name} (${f.type}${f.note ? `; ${f.note}` : ''})`).join(', ');
      printNote(`Format: ${inspected.format.format}. Fields: ${shown}.`);
    }
    const source: FileSource = {
      kind: 'file',
      file_id: uploaded.id,
      format: inspected.format,
      schema: fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })),
      unique: primaryKey ? [primaryKey] : [],
      json_schema: null,
      event_type: null,
      on_error: opts.onError,
      undoable: opts.undo,
      new_columns: opts.newColumns,
      streams: [{ name: model, ...(primaryKey ? { primary_key: primaryKey } : {}) }],
    };
    const sync = await unwrap(
      client.POST('/v1/syncs', {
        body: {
          name: `Import ${path.basename(file)} → ${model}`,
          source,
          target: target as never,
          type: 'full',
          deletion: { mode: opts.replace ? 'soft' : 'none', max_delete_share: 0.5 },
        },
      }),
    );
    const asked = await unwrap(
      client.POST('/v1/syncs/{id}/run', {
        params: { path: { id: sync.id } },
        body: { dry_run: opts.dryRun === true, full_refresh: opts.replace === true },
      }),
    );
    const run = await followRun(client, asked.execution.id);
    if (opts.errorsFile && run.records.failed > 0) await saveErrors(client, run, opts.errorsFile);
    if (opts.json) {
      printJson({ file: uploaded, sync_id: sync.id, execution: run });
    } else {
      printLine(summary(run, model, opts.dryRun === true));
    }
    if (opts.dryRun) {
      if (run.status === 'failed' || run.status === 'cancelled') reportEnd(run);
      else if (run.records.failed > 0) {
        printNote(
          `${run.records.failed} records would be rejected; nothing was written.` +
            (opts.errorsFile ? '' : ` Save them with --errors-file, or: switchyard syncs rejected ${run.id}`),
        );
        process.exitCode = 1;
      }
      return;
    }
    reportEnd(run);
    // A connection's stream keeps nothing to undo from, and a table an import replaced (--replace) cannot be undone.
    const intoTable = target.kind === 'postgres' || target.kind === 'mysql' || target.kind === 'sqlite';
    const undoable = opts.undo && (target.kind === 'record_store' || (intoTable && opts.replace !== true));
    if (!opts.json && run.status !== 'failed' && undoable)
      printNote(`Undo this import with: switchyard imports undo ${run.id}`);
  });

  const imports = program.command('imports').description('File imports: list them, undo one');
  withApiOptions(
    imports
      .command('undo')
      .description('Undo an import into the record store or a table: remove what it created, restore what it changed')
      .argument('<run>', 'the import run (execution id)'),
  ).action(async (id: string, opts: ApiOptions) => {
    const client = clientFor(opts);
    const e = await unwrap(client.POST('/v1/syncs/executions/{id}/undo', { params: { path: { id } } }));
    if (opts.json) return printJson(e);
    const u = e.undo;
    printLine(
      `Undid ${e.id}: ${u?.removed ?? 0} records removed, ${u?.restored ?? 0} restored` +
        (u?.kept ? `, ${u.kept} left as they are (changed since the import)` : '') +
        '.',
    );
  });
  withApiOptions(imports.command('list').description('Imports, newest first, with their last check and run')).action(
    async (opts: ApiOptions) => {
      const client = clientFor(opts);
      const page = await unwrap(client.GET('/v1/imports', { params: { query: { limit: 50 } } }));
      if (opts.json) return printJson(page.data);
      for (const item of page.data) {
        const last = item.last_import ?? item.last_check;
        printLine(
          formatFields([
            ['Import', `${item.sync.name} (${item.sync.id})`],
            ['File', item.file ? `${item.file.name}, ${item.file.size} bytes` : 'deleted'],
            [
              'Last run',
              last
                ? `${last.id} ${last.dry_run ? 'check' : 'import'} ${last.status}: ${last.records.processed} read, ` +
                  `${last.records.failed} rejected${last.undo ? ' (undone)' : ''}`
                : 'none',
            ],
          ]),
        );
      }
    },
  );
}

function parseTarget(to: string): SyncTarget {
  const match = /^(record-store|postgres|mysql|sqlite|connection):([^/]+)(?:\/(.+))?$/.exec(to);
  const [, kind, connection, rest] = (match ?? []) as unknown as [string, string, string, string | undefined];
  if (!match || (rest !== undefined && kind !== 'postgres')) {
    throw new CliError(
      '--to must be record-store:<connection>, postgres:<connection>[/<schema>], mysql:<connection>, ' +
        'sqlite:<connection> or connection:<connection>.',
    );
  }
  if (kind === 'record-store') return { kind: 'record_store', connection_id: connection };
  if (kind === 'postgres') return { kind: 'postgres', connection_id: connection, schema: rest ?? 'public' };
  if (kind === 'mysql' || kind === 'sqlite') return { kind, connection_id: connection };
  return { kind: 'connection', connection_id: connection };
}

function formatSpec(format: string, options: string | undefined): FileSource['format'] {
  let parsed: unknown = {};
  if (options) {
    try {
      parsed = JSON.parse(options);
    } catch {
      throw new CliError('--format-options must be a JSON object, e.g. {"delimiter":";"}.');
    }
  }
  return { format, options: parsed } as FileSource['format'];
}

const sanitiseModel = (name: string) => name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 128) || 'import';

async function saveErrors(client: SwitchyardClient, run: Execution, to: string): Promise<void> {
  const body = (await unwrap(
    client.GET('/v1/syncs/executions/{id}/errors-file', { params: { path: { id: run.id } }, parseAs: 'stream' }),
  )) as unknown as ReadableStream<Uint8Array>;
  await pipeline(Readable.fromWeb(body as never), fs.createWriteStream(to));
  printNote(`Wrote the ${run.records.failed} rejected records to ${to}.`);
}

function summary(e: Execution, model: string, dryRun: boolean): string {
  const r = e.records;
  if (dryRun)
    return `Checked ${r.processed} records for ${model}: ${r.processed - r.failed} fit, ${r.failed} rejected.`;
  return (
    `Import into ${model}: ${e.status}, ${r.processed} read, ${r.created} created, ${r.updated} updated, ` +
    `${r.deleted} deleted, ${r.failed} rejected.`
  );
}
