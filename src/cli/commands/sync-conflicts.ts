import { Option, type Command } from 'commander';
import { paginate, unwrap, type components } from '../../../sdk/index.js';
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
import { collectPair } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type Conflict = components['schemas']['SyncConflict'];
type ConflictField = Conflict['fields'][number];

const STATES = ['open', 'resolved', 'applied', 'all'] as const;

/** A field's value in a table: text as it is, anything else as JSON, a missing one as `(none)`. */
export function valueText(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A value typed on the command line: JSON when it parses (`42`, `true`, `null`, `"x"`), the text itself otherwise. */
function typedValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const listColumns: Column<Conflict>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'SYNC', value: (c) => c.sync_name },
  { header: 'STREAM', value: (c) => c.stream },
  { header: 'A ID', value: (c) => c.a_id },
  { header: 'B ID', value: (c) => c.b_id },
  { header: 'FIELDS', value: (c) => c.fields.map((f) => f.field).join(', ') },
  { header: 'STATE', value: (c) => c.state },
  { header: 'CREATED', value: (c) => shortTime(c.created_at) },
];

const fieldColumns: Column<ConflictField>[] = [
  { header: 'FIELD', value: (f) => f.field },
  { header: 'A', value: (f) => valueText(f.a) },
  { header: 'B', value: (f) => valueText(f.b) },
  { header: 'BASE', value: (f) => valueText(f.base) },
];

/** `take A`, or `values first_name=Ada, last_name=King` in the conflict's order of fields (the store keeps none). */
function resolutionText(c: Pick<Conflict, 'fields' | 'resolution'>): string | null {
  const r = c.resolution;
  if (!r) return null;
  if (r.take !== 'values') return `take ${r.take.toUpperCase()}`;
  const values = r.values ?? {};
  const order = c.fields.map((f) => f.field);
  const names = Object.keys(values).sort((x, y) => order.indexOf(x) - order.indexOf(y));
  return `values ${names.map((k) => `${k}=${valueText(values[k])}`).join(', ')}`;
}

function printConflict(c: Conflict): void {
  printLine(`Conflict ${c.id} in sync ${c.sync_id} (${c.sync_name}): ${c.state}`);
  printLine(
    formatFields([
      ['Stream', c.stream],
      ['Record on A', c.a_id],
      ['Record on B', c.b_id],
      ['Created', shortTime(c.created_at)],
      ['Resolution', resolutionText(c)],
      ['Resolved', c.resolved_at ? `${shortTime(c.resolved_at)}${c.resolved_by ? ` by ${c.resolved_by}` : ''}` : null],
    ]),
  );
  printLine(indent(formatTable(c.fields, fieldColumns)));
}

/**
 * The body resolving a conflict: `--take a|b` alone takes that side's values; `--set field=value` writes the values
 * given, each other conflicting field taken from the side `--take` names (without it, every field must be set).
 */
export function resolveBody(
  conflict: Pick<Conflict, 'fields'>,
  take: 'a' | 'b' | undefined,
  set: Record<string, string> | undefined,
): { take: 'a' | 'b' } | { take: 'values'; values: Record<string, unknown> } {
  if (!set) {
    if (!take) throw new CliError('Say how to resolve it: --take a, --take b, or --set field=value for each field.');
    return { take };
  }
  const names = conflict.fields.map((f) => f.field);
  const unknown = Object.keys(set).filter((k) => !names.includes(k));
  if (unknown.length) {
    throw new CliError(`Not a conflicting field: ${unknown.join(', ')} (the fields are ${names.join(', ')}).`);
  }
  const missing = names.filter((n) => !(n in set));
  if (missing.length && !take) {
    throw new CliError(`Set every conflicting field, or give --take a|b for the rest: ${missing.join(', ')}.`);
  }
  const values = Object.fromEntries(
    conflict.fields.map((f) => [f.field, f.field in set ? typedValue(set[f.field] ?? '') : take === 'a' ? f.a : f.b]),
  );
  return { take: 'values', values };
}

/** `switchyard syncs conflicts list | show | resolve`: a bidirectional sync's conflicts inbox. */
export function registerSyncConflictCommands(syncs: Command): void {
  const conflicts = syncs
    .command('conflicts')
    .description('Records changed on both sides of a bidirectional sync that wait for a person (manual policy)');

  withApiOptions(
    conflicts
      .command('list')
      .description('Conflicts, newest first: the record on each side and the fields that differ')
      .option('--sync <id>', 'only conflicts of this sync')
      .addOption(new Option('--state <state>', 'open (default), resolved, applied or all').choices([...STATES]))
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 100),
  ).action(async (opts: ApiOptions & { sync?: string; state?: (typeof STATES)[number]; limit: number }) => {
    const client = clientFor(opts);
    const state = opts.state ?? 'open';
    const query = { ...(opts.sync ? { sync_id: opts.sync } : {}), ...(state !== 'all' ? { state } : {}) };
    const rows: Conflict[] = [];
    for await (const row of paginate((cursor) =>
      client.GET('/v1/syncs/conflicts', { params: { query: { ...query, cursor, limit: Math.min(opts.limit, 200) } } }),
    )) {
      rows.push(row);
      if (rows.length >= opts.limit) break;
    }
    printRows(rows, listColumns, { json: opts.json, what: state === 'all' ? 'conflicts' : `${state} conflicts` });
  });

  withApiOptions(
    conflicts
      .command('show')
      .description('One conflict: each field’s value on A, on B, and as both last agreed (the base)')
      .argument('<id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const c = await unwrap(clientFor(opts).GET('/v1/syncs/conflicts/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(c);
    printConflict(c);
  });

  withApiOptions(
    conflicts
      .command('resolve')
      .description('Resolve a conflict; the sync runs and writes the chosen values to both sides')
      .argument('<id>')
      .addOption(new Option('--take <side>', 'take every field from side a or b').choices(['a', 'b']))
      .option('--set <field=value>', 'write this value (JSON or text) for a field; repeat', collectPair),
  ).action(async (id: string, opts: ApiOptions & { take?: 'a' | 'b'; set?: Record<string, string> }) => {
    const client = clientFor(opts);
    if (!opts.take && !opts.set) {
      throw new CliError('Say how to resolve it: --take a, --take b, or --set field=value for each field.');
    }
    // Values given by hand are checked against the conflict's fields before anything is sent.
    const conflict = opts.set
      ? await unwrap(client.GET('/v1/syncs/conflicts/{id}', { params: { path: { id } } }))
      : { fields: [] };
    const body = resolveBody(conflict, opts.take, opts.set);
    const c = await unwrap(client.POST('/v1/syncs/conflicts/{id}/resolve', { params: { path: { id } }, body }));
    if (opts.json) return printJson(c);
    printLine(`Resolved conflict ${c.id} (${resolutionText(c)}); the next run of ${c.sync_id} writes it.`);
  });
}
