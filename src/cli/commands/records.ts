import type { Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { interruptSignal, readPages } from '../follow.js';
import { printLine, printNote, printRows, secondTime, shortTime, type Column } from '../output.js';
import { collectList, parseDuration, parseInstant } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type StoredRecord = components['schemas']['StoredRecord'];
type StoredModel = components['schemas']['StoredRecordModel'];

const DEFAULT_INTERVAL_SECONDS = 5;

const modelColumns: Column<StoredModel>[] = [
  { header: 'MODEL', value: (m) => m.model },
  { header: 'RECORDS', value: (m) => m.records },
  { header: 'DELETED', value: (m) => m.deleted },
  { header: 'LAST CHANGE', value: (m) => shortTime(m.last_modified_at) },
  { header: 'LATEST CURSOR', value: (m) => m.latest_cursor },
];

/** One change on one line: `updated  42  2025-01-31 09:05:01Z  {"id":42,"name":"Ada"}`. */
export function changeLine(r: StoredRecord): string {
  const meta = r._switchyard;
  return `${meta.action.padEnd(7)}  ${r.id}  ${secondTime(meta.last_modified_at)}  ${JSON.stringify(r.data)}`;
}

type ListOptions = ApiOptions & {
  connection: string;
  model: string;
  cursor?: string;
  filter?: string[];
  modifiedAfter?: string;
  limit?: number;
  all?: boolean;
  follow?: boolean;
  interval?: number;
};

/**
 * Print the change feed from `--cursor`: one page, every page (`--all`), or every page and then what comes later
 * (`--follow`, until Ctrl-C). Whichever way it ends once a page was read — the feed read, Ctrl-C, an error — stderr
 * says the cursor to pass next time: the position after the last change printed.
 */
async function listChanges(opts: ListOptions): Promise<void> {
  const client = clientFor(opts);
  const query = {
    connection_id: opts.connection,
    model: opts.model,
    ...(opts.filter?.length ? { filter: opts.filter.join(',') } : {}),
    ...(opts.modifiedAfter ? { modified_after: opts.modifiedAfter } : {}),
    ...(opts.limit ? { limit: opts.limit } : {}),
  };
  let cursor = opts.cursor;
  let unread = false;
  let printed = 0;
  let pages = 0;
  const interrupt = opts.follow ? interruptSignal() : undefined;
  try {
    await readPages({
      read: () => unwrap(client.GET('/v1/records', { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } })),
      handle: (page) => {
        for (const r of page.records) printLine(opts.json ? JSON.stringify(r) : changeLine(r));
        printed += page.records.length;
        pages += 1;
        // The last record's cursor is the feed position after it (`next_cursor` is that same position, or null at the
        // end): a reader keeps its place even on the last page.
        cursor = page.records.at(-1)?._switchyard.cursor ?? cursor;
        unread = page.next_cursor !== null;
        return { more: unread && (opts.all === true || opts.follow === true) };
      },
      follow: opts.follow === true,
      intervalMs: (opts.interval ?? DEFAULT_INTERVAL_SECONDS) * 1000,
      ...(interrupt ? { signal: interrupt.signal } : {}),
    });
    if (printed === 0 && !opts.json && !opts.follow) printLine('No changes.');
    if (unread && !opts.follow) printNote('note: more changes follow; --all reads them all.');
  } finally {
    interrupt?.release();
    // A read that failed before its first page leaves the position where it was given.
    if (pages > 0)
      printNote(cursor ? `resume with: --cursor ${cursor}` : 'resume with: no --cursor (no change read yet)');
  }
}

/** `switchyard records models | list`: what syncs stored in the record store, as a change feed. */
export function registerRecordCommands(program: Command): void {
  const records = program
    .command('records')
    .description('Read the record store: the models a connection has records of, and their change feed');

  withApiOptions(
    records
      .command('models')
      .description('The models a connection has stored records of: live and deleted counts, the last change')
      .requiredOption('--connection <id>', 'the connection the records were synced from'),
  ).action(async (opts: ApiOptions & { connection: string }) => {
    const models = await unwrap(
      clientFor(opts).GET('/v1/records/models', { params: { query: { connection_id: opts.connection } } }),
    );
    printRows(models.data, modelColumns, { json: opts.json, what: 'stored records for this connection' });
  });

  withApiOptions(
    records
      .command('list')
      .description(
        'The changes of one model in the order they were made (added, updated, deleted), a line each; ' +
          '--json prints one JSON record per line. Ends by printing the cursor to resume from on stderr.',
      )
      .requiredOption('--connection <id>', 'the connection the records were synced from')
      .requiredOption('--model <name>', 'the model (the stream name the sync wrote the records under)')
      .option('--cursor <cursor>', 'read the changes after this one (a cursor printed before, or a record’s cursor)')
      .option(
        '--filter <actions>',
        'only these changes: added, updated, deleted; repeat or comma-separate',
        collectList,
      )
      .option(
        '--modified-after <instant>',
        'only records last changed after this (ISO 8601, or a duration ago such as 2h)',
        parseInstant,
      )
      .option('--limit <n>', 'changes per page, at most 1000 (default 100)', parsePositiveInt)
      .option('--all', 'read page after page to the end of the feed')
      .option('--follow', 'read to the end, then keep polling for later changes until Ctrl-C')
      .option(
        '--interval <duration>',
        `how often --follow polls (default ${DEFAULT_INTERVAL_SECONDS}s)`,
        parseDuration,
      ),
  ).action((opts: ListOptions) => listChanges(opts));
}
