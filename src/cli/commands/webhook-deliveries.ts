import type { Command } from 'commander';
import { paginate, unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
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
import { collectList, parseInstant } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type Delivery = components['schemas']['WebhookDelivery'];
type Attempt = components['schemas']['WebhookAttempt'];

const columns: Column<Delivery>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'ENDPOINT', value: (d) => d.endpoint_id },
  { header: 'EVENT TYPE', value: (d) => d.event_type },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'ATTEMPTS', value: (d) => d.attempt_count },
  { header: 'LAST CODE', value: (d) => d.last_status_code },
  { header: 'CREATED', value: (d) => shortTime(d.created_at) },
];

const attemptColumns: Column<Attempt>[] = [
  { header: '#', value: (a) => a.attempt_number },
  { header: 'ID', value: (a) => a.id },
  { header: 'STARTED', value: (a) => shortTime(a.started_at) },
  { header: 'TRIGGER', value: (a) => a.trigger },
  { header: 'OUTCOME', value: (a) => a.outcome },
  { header: 'CODE', value: (a) => a.status_code },
  { header: 'DURATION', value: (a) => (a.duration_ms === null ? null : `${Math.round(a.duration_ms)} ms`) },
  { header: 'ERROR', value: (a) => a.error },
];

type ListOptions = ApiOptions & {
  endpoint?: string;
  status?: string[];
  eventType?: string[];
  since?: string;
  until?: string;
  search?: string;
  limit: number;
  all?: boolean;
};

/** `switchyard webhooks deliveries …`: the delivery log, one delivery with its attempts, and manual retries. */
export function registerWebhookDeliveryCommands(webhooks: Command): void {
  const deliveries = webhooks.command('deliveries').description('Browse and retry outbound webhook deliveries');

  withApiOptions(
    deliveries
      .command('list')
      .description('The delivery log, newest first')
      .option('--endpoint <id>', 'only deliveries to this endpoint')
      .option(
        '--status <status>',
        'pending, dispatched, delivered, failed or skipped; repeat or comma-separate',
        collectList,
      )
      .option('--event-type <type>', 'only this event type; repeat or comma-separate', collectList)
      .option('--since <instant>', 'created at or after (ISO 8601, or a duration ago such as 2h)', parseInstant)
      .option('--until <instant>', 'created before (ISO 8601, or a duration ago)', parseInstant)
      .option('--search <id>', 'an event id (or its prefix) or a delivery id')
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 50)
      .option('--all', 'every matching delivery (ignores --limit)'),
  ).action(async (opts: ListOptions) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.endpoint ? { endpoint_id: opts.endpoint } : {}),
      ...(opts.status ? { status: opts.status.join(',') } : {}),
      ...(opts.eventType ? { event_type: opts.eventType.join(',') } : {}),
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.search ? { q: opts.search } : {}),
    };
    const limit = opts.all ? 200 : Math.min(opts.limit, 200);
    const rows: Delivery[] = [];
    for await (const row of paginate((cursor) =>
      client.GET('/v1/webhooks/deliveries', { params: { query: { ...query, cursor, limit } } }),
    )) {
      rows.push(row);
      if (!opts.all && rows.length >= opts.limit) break;
    }
    printRows(rows, columns, { json: opts.json, what: 'deliveries' });
  });

  withApiOptions(
    deliveries
      .command('get')
      .description('A delivery, the event it sends and its attempts')
      .argument('<id>', 'delivery id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const d = await unwrap(clientFor(opts).GET('/v1/webhooks/deliveries/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(d);
    printLine(`Delivery ${d.id}: ${d.status}`);
    printLine(
      formatFields([
        ['Endpoint', d.endpoint_id],
        ['Event', `${d.event.id} (${d.event_type}, ${shortTime(d.event.created_at)})`],
        ['Attempts', d.attempt_count],
        ['Last status code', d.last_status_code],
        ['Last error', d.last_error],
        ['Skipped because', d.skip_reason],
        ['Next attempt', d.next_attempt_at ? `${shortTime(d.next_attempt_at)} (${d.next_trigger})` : null],
        ['Delivered', shortTime(d.delivered_at)],
        ['Created', shortTime(d.created_at)],
      ]),
    );
    printLine('Event data:');
    printLine(indent(JSON.stringify(d.event.data, null, 2)));
    if (d.attempts.length === 0) return printLine('No attempts yet.');
    printLine('Attempts (oldest first):');
    printLine(indent(formatTable(d.attempts, attemptColumns)));
  });

  withApiOptions(
    deliveries
      .command('retry')
      .description('Send a delivery again now (a new attempt; earlier attempts are kept)')
      .argument('<id>', 'delivery id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const d = await unwrap(clientFor(opts).POST('/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } } }));
    if (opts.json) return printJson(d);
    printLine(`Queued delivery ${d.id} to ${d.endpoint_id} for another attempt (now ${d.status}).`);
  });
}
