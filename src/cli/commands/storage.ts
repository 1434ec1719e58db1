import { type Command } from 'commander';
import { unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { formatFields, printJson, printLine, printNote, printRows, shortTime, type Column } from '../output.js';
import { progressBar, progressLine } from '../progress.js';

/**
 * `switchyard storage …`: connected drives and buckets. Browse them (roots, folders page by page, search), import
 * files and folders into the files store with a progress bar until every file is stored, skipped or failed, follow
 * and manage imports and exports (history, per-file outcomes, cancel, retry), and keep a folder in step with a
 * scheduled storage sync.
 */
type StorageItem = components['schemas']['StorageItem'];
type Transfer = components['schemas']['StorageTransfer'];
type TransferFile = components['schemas']['StorageTransferItem'];
type Direction = 'import' | 'export';

const POLL_MS = 1000;

const size = (bytes: number | null) =>
  bytes === null ? '' : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${bytes} B`;

const itemColumns: Column<StorageItem>[] = [
  { header: 'KIND', value: (i) => i.kind },
  { header: 'NAME', value: (i) => (i.kind === 'folder' ? `${i.name}/` : i.name) },
  { header: 'SIZE', value: (i) => size(i.size) },
  { header: 'MODIFIED', value: (i) => shortTime(i.modified_at) },
  { header: 'ID', value: (i) => i.id },
];

const transferColumns: Column<Transfer>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'STATE', value: (t) => t.state },
  { header: 'CONNECTION', value: (t) => t.connection_id },
  {
    header: 'FILES',
    value: (t) => `${t.counts.stored} stored, ${t.counts.skipped} skipped, ${t.counts.failed} failed`,
  },
  { header: 'BYTES', value: (t) => size(t.counts.bytes_done) },
  { header: 'CREATED', value: (t) => shortTime(t.created_at) },
];

const verified = (f: TransferFile) => {
  const v = f.verification;
  if (!v) return '';
  if (v.by === 'received') return v.note ? `as received (${v.note})` : 'as received';
  return v.by === 'size' ? 'size only' : `${v.by} matched`;
};

const fileColumns: Column<TransferFile>[] = [
  { header: 'STATE', value: (f) => f.state },
  { header: 'PATH', value: (f) => f.path },
  { header: 'SIZE', value: (f) => size(f.size) },
  { header: 'VERIFIED', value: verified },
  { header: 'NOTE', value: (f) => (f.error ? `${f.error.code}: ${f.error.message}` : (f.phase ?? '')) },
  { header: 'FILE', value: (f) => f.file_id },
];

/** The root to use: the one given, or the connection's first (most connections have one). */
async function rootOf(client: SwitchyardClient, connection: string, root: string | undefined): Promise<string> {
  if (root) return root;
  const roots = await unwrap(
    client.GET('/v1/storage/connections/{id}/roots', { params: { path: { id: connection } } }),
  );
  const first = roots.data[0];
  if (!first) throw new CliError(`Connection ${connection} has nothing to browse.`);
  if (roots.data.length > 1) printNote(`Using root "${first.name}" (${first.id}); pick another with --root.`);
  return first.id;
}

/** One line for a running transfer: files and bytes done, what runs and what waits. */
export function transferProgressText(t: Transfer): string {
  const c = t.counts;
  const done = c.stored + c.skipped + c.failed + c.cancelled;
  const listing = c.folders_pending ? `, listing ${c.folders_pending} folder(s)` : '';
  return (
    `${t.direction === 'import' ? 'Importing' : 'Exporting'} ${progressBar(c.bytes_done, c.bytes_total)} ` +
    `${done}/${c.files} files, ${size(c.bytes_done) || '0 B'} of ${size(c.bytes_total) || '0 B'}` +
    ` · ${c.running} running, ${c.queued} queued${c.failed ? `, ${c.failed} failed` : ''}${listing}`
  );
}

async function getTransfer(client: SwitchyardClient, direction: Direction, id: string): Promise<Transfer> {
  return direction === 'import'
    ? unwrap(client.GET('/v1/storage/imports/{id}', { params: { path: { id } } }))
    : unwrap(client.GET('/v1/storage/exports/{id}', { params: { path: { id } } }));
}

async function transferFiles(client: SwitchyardClient, direction: Direction, id: string): Promise<TransferFile[]> {
  const files: TransferFile[] = [];
  let cursor: string | undefined;
  do {
    const params = { path: { id }, query: { limit: 1000, ...(cursor ? { cursor } : {}) } };
    const page =
      direction === 'import'
        ? await unwrap(client.GET('/v1/storage/imports/{id}/files', { params }))
        : await unwrap(client.GET('/v1/storage/exports/{id}/files', { params }));
    files.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return files;
}

/** Follow a transfer with a progress line until it ends, then print every file's outcome. */
async function follow(client: SwitchyardClient, direction: Direction, id: string, json: boolean | undefined) {
  const line = progressLine({ everyMs: 5000 });
  let t = await getTransfer(client, direction, id);
  while (!t.finished_at) {
    line.update(transferProgressText(t));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    t = await getTransfer(client, direction, id);
  }
  line.done(transferProgressText(t));
  const files = await transferFiles(client, direction, id);
  if (json) return printJson({ ...t, files });
  printRows(files, fileColumns, { what: 'files' });
  printLine(`${direction === 'import' ? 'Import' : 'Export'} ${t.id}: ${t.state}.`);
  if (t.state === 'failed' || t.state === 'partial') process.exitCode = 1;
}

export function registerStorageCommands(program: Command): void {
  const storage = program
    .command('storage')
    .description('Connected drives and buckets: browse, import into the files store, export, keep in sync');

  withApiOptions(storage.command('connections').description('Connections whose storage can be browsed')).action(
    async (opts: ApiOptions) => {
      const list = await unwrap(clientFor(opts).GET('/v1/storage/connections'));
      printRows(
        list.data,
        [
          { header: 'ID', value: (c) => c.id },
          { header: 'NAME', value: (c) => c.name },
          { header: 'CONNECTOR', value: (c) => c.connector_name },
          { header: 'HASHES', value: (c) => c.hashes.join(', ') },
          { header: 'SEARCH', value: (c) => (c.search ? 'yes' : 'no') },
          { header: 'CHANGES', value: (c) => c.changes },
        ],
        { json: opts.json, what: 'storage connections' },
      );
    },
  );

  withApiOptions(
    storage.command('roots').description('Drives, sites, buckets or containers').argument('<connection>'),
  ).action(async (connection: string, opts: ApiOptions) => {
    const roots = await unwrap(
      clientFor(opts).GET('/v1/storage/connections/{id}/roots', { params: { path: { id: connection } } }),
    );
    printRows(
      roots.data,
      [
        { header: 'ID', value: (r) => r.id },
        { header: 'NAME', value: (r) => r.name },
        { header: 'KIND', value: (r) => r.kind },
      ],
      { json: opts.json, what: 'roots' },
    );
  });

  withApiOptions(
    storage
      .command('browse')
      .description('A folder’s files and folders (or a search), page by page')
      .argument('<connection>')
      .option('--root <id>', 'the drive, bucket or container (default: the first)')
      .option('--folder <id>', 'the folder’s id (default: the top)')
      .option('--search <text>', 'search by name instead (where the vendor can)')
      .option('--all', 'every page, not only the first'),
  ).action(
    async (
      connection: string,
      opts: ApiOptions & { root?: string; folder?: string; search?: string; all?: boolean },
    ) => {
      const client = clientFor(opts);
      const root = await rootOf(client, connection, opts.root);
      const items: StorageItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(
          client.GET('/v1/storage/connections/{id}/items', {
            params: {
              path: { id: connection },
              query: {
                root,
                ...(opts.folder ? { folder: opts.folder } : {}),
                ...(opts.search ? { q: opts.search } : {}),
                ...(cursor ? { cursor } : {}),
              },
            },
          }),
        );
        items.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor && opts.all);
      printRows(items, itemColumns, { json: opts.json, what: 'items' });
      if (cursor && !opts.json) printNote('More on the next page: add --all.');
    },
  );

  withApiOptions(
    storage
      .command('import')
      .description('Import files and folders (recursively) into the files store, with progress')
      .argument('<connection>')
      .argument('<items...>', 'ids of the files and folders (from `storage browse`)')
      .option('--root <id>', 'the drive, bucket or container (default: the first)')
      .option('--to <folder>', 'the files store folder', '/imports')
      .option('--no-wait', 'start it and print its id'),
  ).action(
    async (connection: string, items: string[], opts: ApiOptions & { root?: string; to: string; wait: boolean }) => {
      const client = clientFor(opts);
      const root = await rootOf(client, connection, opts.root);
      const made = await unwrap(
        client.POST('/v1/storage/imports', { body: { connection_id: connection, root, items, folder: opts.to } }),
      );
      if (!opts.wait) return opts.json ? printJson(made) : printLine(`Started import ${made.id}.`);
      await follow(client, 'import', made.id, opts.json);
    },
  );

  withApiOptions(
    storage
      .command('export')
      .description('Write files of the files store to a folder of a drive or bucket, with progress')
      .argument('<connection>')
      .argument('<files...>', 'file ids')
      .option('--root <id>', 'the drive, bucket or container (default: the first)')
      .option('--folder <folder>', 'the vendor folder: a path below the root (/reports/2026), made where missing', '')
      .option('--no-wait', 'start it and print its id'),
  ).action(
    async (
      connection: string,
      files: string[],
      opts: ApiOptions & { root?: string; folder: string; wait: boolean },
    ) => {
      const client = clientFor(opts);
      const root = await rootOf(client, connection, opts.root);
      const made = await unwrap(
        client.POST('/v1/storage/exports', {
          body: { connection_id: connection, root, folder: opts.folder, file_ids: files },
        }),
      );
      if (!opts.wait) return opts.json ? printJson(made) : printLine(`Started export ${made.id}.`);
      await follow(client, 'export', made.id, opts.json);
    },
  );

  for (const direction of ['import', 'export'] as const) {
    const plural = `${direction}s`;
    withApiOptions(
      storage
        .command(plural)
        .description(`The ${direction} history, newest first`)
        .option('--connection <id>', 'only this connection’s')
        .option('--limit <n>', 'at most this many', '20'),
    ).action(async (opts: ApiOptions & { connection?: string; limit: string }) => {
      const client = clientFor(opts);
      const query = { limit: Number(opts.limit), ...(opts.connection ? { connection_id: opts.connection } : {}) };
      const page =
        direction === 'import'
          ? await unwrap(client.GET('/v1/storage/imports', { params: { query } }))
          : await unwrap(client.GET('/v1/storage/exports', { params: { query } }));
      printRows(page.data, transferColumns, { json: opts.json, what: plural });
    });
  }

  withApiOptions(
    storage
      .command('show')
      .description('An import or export and every file’s outcome (--follow: until it ends)')
      .argument('<id>', 'an import (stimp_…) or export (stexp_…) id')
      .option('--follow', 'show progress until it ends'),
  ).action(async (id: string, opts: ApiOptions & { follow?: boolean }) => {
    const client = clientFor(opts);
    const direction: Direction = id.startsWith('stexp_') ? 'export' : 'import';
    if (opts.follow) return follow(client, direction, id, opts.json);
    const t = await getTransfer(client, direction, id);
    const files = await transferFiles(client, direction, id);
    if (opts.json) return printJson({ ...t, files });
    printLine(
      formatFields([
        [direction === 'import' ? 'Import' : 'Export', `${t.id} (${t.state})`],
        ['Connection', `${t.connection_id}, root ${t.root}`],
        [direction === 'import' ? 'Into' : 'To', direction === 'import' ? t.folder : (t.remote_folder ?? '')],
        ['Progress', transferProgressText(t)],
        ['Created', t.created_at],
        ['Finished', t.finished_at],
      ]),
    );
    printRows(files, fileColumns, { what: 'files' });
  });

  for (const action of ['cancel', 'retry'] as const) {
    withApiOptions(
      storage
        .command(action)
        .description(action === 'cancel' ? 'Cancel an import or export' : 'Run an ended one’s failed files again')
        .argument('<id>', 'an import or export id'),
    ).action(async (id: string, opts: ApiOptions) => {
      const client = clientFor(opts);
      const params = { params: { path: { id } } };
      const exported = id.startsWith('stexp_');
      const t = exported
        ? await unwrap(client.POST(`/v1/storage/exports/{id}/${action}`, params))
        : await unwrap(client.POST(`/v1/storage/imports/{id}/${action}`, params));
      if (opts.json) return printJson(t);
      printLine(`${exported ? 'Export' : 'Import'} ${t.id}: ${t.state}.`);
    });
  }

  withApiOptions(
    storage
      .command('sync')
      .description('Keep a folder in step: a storage sync into the files store (changes only after the first run)')
      .argument('<connection>')
      .requiredOption('--name <name>', 'the sync’s name')
      .option('--root <id>', 'the drive, bucket or container (default: the first)')
      .option('--folder <id>', 'the folder’s id (default: the top)')
      .option('--to <folder>', 'the files store folder', '/imports')
      .option('--cron <expr>', 'run on this schedule (e.g. "0 * * * *")')
      .option('--timezone <zone>', 'the schedule’s IANA time zone', 'UTC')
      .option('--delete', 'remove imported files the vendor removed (default: keep them)'),
  ).action(
    async (
      connection: string,
      opts: ApiOptions & {
        name: string;
        root?: string;
        folder?: string;
        to: string;
        cron?: string;
        timezone: string;
        delete?: boolean;
      },
    ) => {
      const client = clientFor(opts);
      const root = await rootOf(client, connection, opts.root);
      const sync = await unwrap(
        client.POST('/v1/syncs', {
          body: {
            name: opts.name,
            type: 'incremental',
            source: { kind: 'storage', connection_id: connection, root, folder: opts.folder ?? '' },
            target: { kind: 'files', folder: opts.to },
            deletion: { mode: opts.delete ? 'hard' : 'none' },
            ...(opts.cron
              ? { schedule: { cron: opts.cron, timezone: opts.timezone, misfire: 'skip', overlap: 'skip' } }
              : {}),
          } as never,
        }),
      );
      if (opts.json) return printJson(sync);
      printLine(
        `Created sync ${sync.id}${opts.cron ? ` (${opts.cron}, ${opts.timezone})` : ''}; run it now with ` +
          `\`switchyard syncs run ${sync.id} --follow\`.`,
      );
    },
  );
}
