import type { Command } from 'commander';
import { listAll, paginate, unwrap, type components, type operations } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { followNewest } from '../follow.js';
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
import { readJsonArgument } from '../input.js';
import { collectList, confirm, parseDuration, parseInstant } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type Source = components['schemas']['InboundSource'];
type InboundEvent = components['schemas']['InboundEvent'];
type CreateBody = operations['createInboundSource']['requestBody']['content']['application/json'];

const sourceColumns: Column<Source>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'NAME', value: (s) => s.name },
  { header: 'SCHEME', value: (s) => s.verification.type },
  { header: 'RULES', value: (s) => s.rules.length },
  { header: 'STATE', value: (s) => (s.enabled ? 'enabled' : 'disabled') },
  { header: 'REJECTED', value: (s) => s.rejections.count },
  { header: 'URL', value: (s) => s.url },
];

const eventColumns: Column<InboundEvent>[] = [
  { header: 'ID', value: (e) => e.id, width: 30 },
  { header: 'RECEIVED', value: (e) => shortTime(e.received_at) },
  { header: 'SOURCE', value: (e) => e.source_name, width: 20 },
  { header: 'TYPE', value: (e) => e.event_type, width: 24 },
  { header: 'STATUS', value: (e) => (e.rejection ? `rejected (${e.rejection})` : e.status), width: 24 },
  { header: 'PREVIEW', value: (e) => (e.preview ? e.preview.replace(/\s+/g, ' ').slice(0, 60) : null) },
];

/** A duration that may be zero (`0`, `0s`: at once). */
const durationOrZero = (text: string) => (/^0+[smhd]?$/.test(text.trim()) ? 0 : parseDuration(text));

type CreateOptions = ApiOptions & {
  scheme?: string;
  verification?: string;
  secret?: string;
  connection?: string;
  rules?: string;
  description?: string;
  sync?: boolean;
};

type EventListOptions = ApiOptions & {
  source?: string;
  status?: string[];
  type?: string;
  since?: string;
  until?: string;
  limit: number;
  follow?: boolean;
  interval: number;
};

/** `switchyard inbound …`: inbound webhook sources, their event log, and replays. */
export function registerInboundCommands(program: Command): void {
  const inbound = program.command('inbound').description('Manage inbound webhooks: sources, the event log, replay');
  const sources = inbound.command('sources').description('Inbound webhook sources and their public URLs');

  withApiOptions(sources.command('list').description('Every source, newest first')).action(async (opts: ApiOptions) => {
    const client = clientFor(opts);
    const rows = await listAll((cursor) =>
      client.GET('/v1/inbound/sources', { params: { query: { cursor, limit: 200 } } }),
    );
    printRows(rows, sourceColumns, { json: opts.json, what: 'inbound sources' });
  });

  withApiOptions(
    sources
      .command('create')
      .description('Create a source; prints its URL (and a generated secret, once)')
      .argument('<name>', 'a name people recognise, e.g. "Stripe production"')
      .option('--scheme <type>', 'standard_webhooks, stripe, github, slack, shopify or none')
      .option(
        '--verification <json>',
        'the whole verification scheme as JSON, @file or - (generic_hmac, basic_auth, …)',
      )
      .option('--secret <value>', 'the signing secret the sender uses (generated when omitted)')
      .option('--connection <id>', 'the connection it belongs to; its connector supplies the scheme')
      .option('--rules <json>', 'routing rules as a JSON array, @file or -')
      .option('--description <text>', 'what the source is for')
      .option('--sync', 'answer senders with the rules’ results instead of 202 at once'),
  ).action(async (name: string, opts: CreateOptions) => {
    if (opts.scheme && opts.verification) throw new CliError('Give --scheme or --verification, not both.');
    const verification = opts.verification
      ? (await readJsonArgument(opts.verification, '--verification')).value
      : opts.scheme
        ? { type: opts.scheme }
        : undefined;
    if (!verification && !opts.connection) {
      throw new CliError('Say how requests are verified: --scheme, --verification, or --connection.');
    }
    const body = {
      name,
      ...(verification ? { verification } : {}),
      ...(opts.secret ? { secret: opts.secret } : {}),
      ...(opts.connection ? { connection_id: opts.connection } : {}),
      ...(opts.rules ? { rules: (await readJsonArgument(opts.rules, '--rules')).value } : {}),
      ...(opts.description ? { description: opts.description } : {}),
      ...(opts.sync ? { response_mode: 'sync' } : {}),
    } as CreateBody;
    const created = await unwrap(clientFor(opts).POST('/v1/inbound/sources', { body }));
    if (opts.json) return printJson(created);
    printLine(`Created inbound source ${created.source.id} (${created.source.verification.type}).`);
    printLine(`URL: ${created.source.url}`);
    if (created.secret) {
      printLine(`Secret: ${created.secret}`);
      printLine('The secret is shown once, store it now (configure the sender with it): it cannot be retrieved later.');
    }
  });

  withApiOptions(
    sources.command('get').description('A source: URL, verification, limits, rules').argument('<id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const s = await unwrap(clientFor(opts).GET('/v1/inbound/sources/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(s);
    printLine(`Inbound source ${s.id}: ${s.name}${s.enabled ? '' : ' (disabled)'}`);
    printLine(
      formatFields([
        ['URL', s.url],
        ['Previous URL valid until', shortTime(s.previous_url_expires_at)],
        ['Verification', JSON.stringify(s.verification)],
        [
          'Secrets',
          s.secrets.map((x) => `${x.id}${x.expires_at ? ` (until ${shortTime(x.expires_at)})` : ''}`).join(', '),
        ],
        ['Connection', s.connection_id],
        ['Response', s.response_mode === 'sync' ? `sync (up to ${s.sync_timeout_ms} ms)` : 'async (202)'],
        ['Max body', `${s.max_body_bytes} bytes`],
        ['Content types', s.content_types.join(', ')],
        ['Dedup window', `${s.dedup_window_seconds} s`],
        [
          'Rejected',
          `${s.rejections.count}${s.rejections.last_reason ? ` (last: ${s.rejections.last_reason}, ${shortTime(s.rejections.last_at)})` : ''}`,
        ],
      ]),
    );
    if (s.rules.length === 0) return printLine('No rules: events are stored and marked processed.');
    printLine('Rules (first match wins unless it continues):');
    printLine(indent(JSON.stringify(s.rules, null, 2)));
  });

  withApiOptions(
    sources
      .command('rotate-token')
      .description('Give the source a new URL; the old one keeps working for a grace period')
      .argument('<id>')
      .option(
        '--grace <duration>',
        'how long the old URL still works, e.g. 1h, 24h, 0 (at once)',
        durationOrZero,
        86_400_000,
      ),
  ).action(async (id: string, opts: ApiOptions & { grace: number }) => {
    const s = await unwrap(
      clientFor(opts).POST('/v1/inbound/sources/{id}/rotate-token', {
        params: { path: { id } },
        body: { grace_seconds: Math.round(opts.grace / 1000) },
      }),
    );
    if (opts.json) return printJson(s);
    printLine(`New URL: ${s.url}`);
    printLine(
      s.previous_url_expires_at
        ? `The old URL works until ${shortTime(s.previous_url_expires_at)}.`
        : 'The old URL no longer works.',
    );
  });

  withApiOptions(
    sources
      .command('delete')
      .description('Delete a source, its secrets and its event log')
      .argument('<id>')
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (id: string, opts: ApiOptions & { yes?: boolean }) => {
    if (!opts.yes) {
      await confirm(
        `Delete inbound source ${id}, its secrets and every event it received?`,
        `Refusing to delete inbound source ${id} without --yes: there is no terminal to ask for confirmation.`,
      );
    }
    await unwrap(clientFor(opts).DELETE('/v1/inbound/sources/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, deleted: true });
    printLine(`Deleted inbound source ${id}.`);
  });

  const events = inbound.command('events').description('The inbound event log');
  withApiOptions(
    events
      .command('list')
      .description('Received events, newest first; --follow keeps printing new ones')
      .option('--source <id>', 'only this source')
      .option(
        '--status <status>',
        'received, processed, failed, duplicate or rejected; repeat or comma-separate',
        collectList,
      )
      .option('--type <type>', 'event type, or a prefix ending in *')
      .option('--since <instant>', 'received at or after (ISO 8601, or a duration ago such as 2h)', parseInstant)
      .option('--until <instant>', 'received before', parseInstant)
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 50)
      .option('--follow', 'poll for new events until interrupted')
      .option('--interval <duration>', 'how often --follow polls (default 15s)', parseDuration, 15),
  ).action(async (opts: EventListOptions) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.source ? { source_id: opts.source } : {}),
      ...(opts.status ? { status: opts.status.join(',') } : {}),
      ...(opts.type ? { type: opts.type } : {}),
      ...(opts.until ? { until: opts.until } : {}),
    };
    const fetchSince = async (since: string | undefined) => {
      const rows: InboundEvent[] = [];
      for await (const row of paginate((cursor) =>
        client.GET('/v1/inbound/events', {
          params: { query: { ...query, ...(since ? { since } : {}), cursor, limit: Math.min(opts.limit, 200) } },
        }),
      )) {
        rows.push(row);
        if (rows.length >= opts.limit) break;
      }
      return rows;
    };
    const first = await fetchSince(opts.since);
    if (!opts.follow) return printRows(first, eventColumns, { json: opts.json, what: 'inbound events' });
    // Follow: the newest page, then whatever arrives after the newest event seen, oldest first.
    await followNewest({
      first,
      since: fetchSince,
      timeOf: (e) => e.received_at,
      columns: eventColumns,
      json: opts.json,
      intervalMs: opts.interval * 1000,
    });
  });

  withApiOptions(
    events
      .command('get')
      .description('One event: headers, rule results and the payload')
      .argument('<id>')
      .option('--body', 'print the whole body (default: a preview)'),
  ).action(async (id: string, opts: ApiOptions & { body?: boolean }) => {
    const e = await unwrap(
      clientFor(opts).GET('/v1/inbound/events/{id}', {
        params: { path: { id }, query: { include_body: opts.body ? 'true' : 'false' } },
      }),
    );
    if (opts.json) return printJson(e);
    printLine(`Inbound event ${e.id}: ${e.status}${e.rejection ? ` (${e.rejection})` : ''}`);
    printLine(
      formatFields([
        ['Source', `${e.source_name} (${e.source_id})`],
        ['Received', shortTime(e.received_at)],
        ['Type', e.event_type],
        ['Delivery id', e.dedup_key],
        ['Duplicate of', e.duplicate_of],
        ['From', e.remote_address],
        ['Size', `${e.body_size} bytes (${e.content_type ?? 'no content type'})`],
        ['Attempts', e.attempts],
        ['Next attempt', shortTime(e.next_attempt_at)],
        ['Error', e.error],
        ['Replays', e.replays],
      ]),
    );
    if (e.matched_rules.length > 0) {
      printLine(`Matched rules: ${e.matched_rules.join(', ')}`);
      printLine(
        indent(
          formatTable(e.results, [
            { header: 'RULE', value: (r) => r.rule },
            { header: 'ACTION', value: (r) => `${r.action}:${r.type}` },
            { header: 'OK', value: (r) => (r.ok ? 'yes' : 'no') },
            { header: 'RESULT', value: (r) => r.event_id ?? (r.status !== null ? `HTTP ${r.status}` : null) },
            { header: 'ERROR', value: (r) => r.error },
          ]),
        ),
      );
    }
    if (e.body !== null) {
      printLine(opts.body ? `Body (${e.body_encoding}):` : 'Body (preview):');
      printLine(indent(e.body));
    }
  });

  withApiOptions(
    inbound
      .command('replay')
      .description('Run events through their source’s rules again: one by id, or a time range')
      .argument('[id]', 'one event')
      .option('--since <instant>', 'range start (ISO 8601, or a duration ago such as 2h)', parseInstant)
      .option('--until <instant>', 'range end (default: now)', parseInstant)
      .option('--source <id>', 'only this source')
      .option('--status <status>', 'processed, failed or received (default: processed and failed)', collectList)
      .option('--type <type>', 'event type, or a prefix ending in *')
      .option('--dry-run', 'only count what would be replayed'),
  ).action(
    async (
      id: string | undefined,
      opts: ApiOptions & {
        since?: string;
        until?: string;
        source?: string;
        status?: string[];
        type?: string;
        dryRun?: boolean;
      },
    ) => {
      const client = clientFor(opts);
      if (id) {
        if (opts.since || opts.dryRun) throw new CliError('Give an event id or a range (--since), not both.');
        const r = await unwrap(client.POST('/v1/inbound/events/{id}/replay', { params: { path: { id } } }));
        if (opts.json) return printJson(r);
        return printLine(`Event ${r.id} is queued to run through its rules again.`);
      }
      if (!opts.since) throw new CliError('Give an event id, or a range with --since.');
      const r = await unwrap(
        client.POST('/v1/inbound/replay', {
          body: {
            since: opts.since,
            until: opts.until ?? new Date().toISOString(),
            ...(opts.source ? { source_id: opts.source } : {}),
            ...(opts.status ? { status: opts.status as ('processed' | 'failed' | 'received')[] } : {}),
            ...(opts.type ? { event_type: opts.type } : {}),
            dry_run: opts.dryRun === true,
          },
        }),
      );
      if (opts.json) return printJson(r);
      printLine(r.dry_run ? `${r.count} events would be replayed.` : `Replaying ${r.count} events.`);
    },
  );
}
