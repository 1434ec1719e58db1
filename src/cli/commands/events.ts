import type { Command } from 'commander';
import { listAll, paginate, unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { readJsonArgument } from '../input.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';
import { collectList } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type Event = components['schemas']['Event'];
type EventType = components['schemas']['EventType'];

const columns: Column<Event>[] = [
  { header: 'ID', value: (e) => e.id },
  { header: 'TYPE', value: (e) => e.type },
  { header: 'SOURCE', value: (e) => e.source },
  { header: 'ORDERING KEY', value: (e) => e.ordering_key },
  { header: 'CREATED', value: (e) => shortTime(e.created_at) },
];

const typeColumns: Column<EventType>[] = [
  { header: 'NAME', value: (t) => t.name },
  { header: 'KIND', value: (t) => (t.built_in ? 'built-in' : 'tenant') },
  { header: 'SCHEMA', value: (t) => (t.schema ? 'yes' : 'no') },
  { header: 'STATE', value: (t) => (t.archived_at ? 'archived' : 'active') },
  { header: 'DESCRIPTION', value: (t) => t.description },
];

/** A JSON object from `--data`: inline JSON, `@file`, or `-` for standard input. */
async function readObject(text: string, what: string): Promise<Record<string, unknown>> {
  const { value, from } = await readJsonArgument(text, what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${from} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** `switchyard events …`: publish the tenant's events and define their types; endpoints receive them. */
export function registerEventCommands(program: Command): void {
  const events = program.command('events').description('Publish and list events, and manage event types');

  withApiOptions(
    events
      .command('publish')
      .description('Publish an event; subscribed webhook endpoints receive it')
      .argument('<type>', 'an event type of the tenant (see `switchyard events types list`)')
      .requiredOption('--data <json>', 'the payload: a JSON object, @file, or - for standard input')
      .option('--idempotency-key <key>', 'the same key and payload within 24 hours answer the original event')
      .option('--ordering-key <key>', 'endpoints with ordering "key" receive one key’s events in order'),
  ).action(async (type: string, opts: ApiOptions & { data: string; idempotencyKey?: string; orderingKey?: string }) => {
    const data = await readObject(opts.data, '--data');
    const result = await clientFor(opts).POST('/v1/events', {
      body: {
        type,
        data,
        ...(opts.idempotencyKey ? { idempotency_key: opts.idempotencyKey } : {}),
        ...(opts.orderingKey ? { ordering_key: opts.orderingKey } : {}),
      },
    });
    const event = await unwrap(Promise.resolve(result));
    if (opts.json) return printJson(event);
    // 200 rather than 201: the idempotency key was used before, and this is the original event.
    const verb = result.response.status === 200 ? 'Already published (same idempotency key):' : 'Published';
    printLine(`${verb} event ${event.id} (${event.type}).`);
  });

  withApiOptions(
    events
      .command('list')
      .description('List events, newest first')
      .option('--type <type>', 'only this event type; repeat or comma-separate', collectList)
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 50),
  ).action(async (opts: ApiOptions & { type?: string[]; limit: number }) => {
    const client = clientFor(opts);
    const query = opts.type ? { type: opts.type.join(',') } : {};
    const limit = Math.min(opts.limit, 200);
    const rows: Event[] = [];
    for await (const row of paginate((cursor) =>
      client.GET('/v1/events', { params: { query: { ...query, cursor, limit } } }),
    )) {
      rows.push(row);
      if (rows.length >= opts.limit) break;
    }
    printRows(rows, columns, { json: opts.json, what: 'events' });
  });

  const types = events.command('types').description('Manage event types');

  withApiOptions(
    types
      .command('list')
      .description('List event types: the built-in platform types and the tenant’s own')
      .option('--all', 'include archived types'),
  ).action(async (opts: ApiOptions & { all?: boolean }) => {
    const client = clientFor(opts);
    const include_archived = opts.all ? 'true' : 'false';
    const rows = await listAll((cursor) =>
      client.GET('/v1/event-types', { params: { query: { cursor, limit: 200, include_archived } } }),
    );
    printRows(rows, typeColumns, { json: opts.json, what: 'event types' });
  });

  withApiOptions(
    types
      .command('create')
      .description('Define an event type, optionally with a JSON Schema its payloads must match')
      .argument('<name>', 'e.g. invoice.paid')
      .option('--description <text>', 'what the event means')
      .option('--schema <file>', 'a JSON Schema file for the payload'),
  ).action(async (name: string, opts: ApiOptions & { description?: string; schema?: string }) => {
    const schema = opts.schema ? await readObject(`@${opts.schema}`, '--schema') : undefined;
    const created = await unwrap(
      clientFor(opts).POST('/v1/event-types', {
        body: {
          name,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(schema ? { schema } : {}),
        },
      }),
    );
    if (opts.json) return printJson(created);
    printLine(`Created event type ${created.name}${created.schema ? ' with a payload schema' : ''}.`);
  });
}
