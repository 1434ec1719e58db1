import { Option, type Command } from 'commander';
import { listAll, unwrap, type components, type operations } from '../../../sdk/index.js';
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
import { collectList, collectPair, confirm, parseCount, parseDuration } from '../parse.js';
import { parsePositiveInt } from './api-keys.js';

type Endpoint = components['schemas']['WebhookEndpoint'];
type EndpointSecret = components['schemas']['WebhookEndpointSecret'];
type NewSecret = components['schemas']['WebhookEndpointNewSecret'];
type UpdateBody = operations['updateWebhookEndpoint']['requestBody']['content']['application/json'];

const columns: Column<Endpoint>[] = [
  { header: 'ID', value: (e) => e.id },
  { header: 'URL', value: (e) => e.url },
  { header: 'EVENT TYPES', value: (e) => (e.event_types.length ? e.event_types.join(', ') : 'all') },
  { header: 'STATE', value: (e) => endpointState(e) },
  { header: 'ORDERING', value: (e) => e.ordering },
  { header: 'CREATED', value: (e) => shortTime(e.created_at) },
];

const secretColumns: Column<EndpointSecret>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'KIND', value: (s) => s.kind },
  { header: 'CREATED', value: (s) => shortTime(s.created_at) },
  { header: 'EXPIRES', value: (s) => shortTime(s.expires_at) ?? 'never' },
];

/** Flags shared by create and update; `undefined` leaves a field as it is (update) or to its default (create). */
type EndpointFlags = {
  eventType?: string[];
  filter?: string;
  header?: Record<string, string>;
  ordering?: 'none' | 'endpoint' | 'key';
  rateLimit?: number;
  description?: string;
};
type CreateOptions = ApiOptions & EndpointFlags & { signing?: 'hmac' | 'ed25519' };
type UpdateOptions = ApiOptions &
  Omit<EndpointFlags, 'filter'> & {
    // --filter <expr> gives a string, --no-filter false.
    filter?: string | false;
    endpointUrl?: string;
    enable?: boolean;
    disable?: boolean;
    reason?: string;
  };

function endpointState(e: Endpoint): string {
  if (!e.enabled) return 'disabled';
  return e.health.circuit === 'closed' ? 'enabled' : `enabled, circuit ${e.health.circuit.replace('_', '-')}`;
}

/** The options create and update share. */
function withEndpointFlags(command: Command): Command {
  return command
    .option('--event-type <type>', 'an event type to receive; repeat or comma-separate (default: all)', collectList)
    .option('--filter <expr>', "deliver only events matching this SQL/JSON path condition, e.g. '$.data.amount > 100'")
    .option('--header <key=value>', 'a custom header sent with every delivery; repeat for each', collectPair)
    .addOption(
      new Option('--ordering <mode>', 'FIFO delivery per endpoint or per ordering key').choices([
        'none',
        'endpoint',
        'key',
      ]),
    )
    .option('--rate-limit <perSecond>', 'at most this many deliveries per second', parseCount)
    .option('--description <text>', 'what the endpoint is for');
}

function endpointBody(opts: EndpointFlags) {
  return {
    ...(opts.eventType ? { event_types: opts.eventType } : {}),
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    ...(opts.header ? { headers: opts.header } : {}),
    ...(opts.ordering ? { ordering: opts.ordering } : {}),
    // 0 means "no limit", as the API's null.
    ...(opts.rateLimit !== undefined ? { rate_limit_per_second: opts.rateLimit || null } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  };
}

/** The signing secret, once, with the words that it will not be shown again (as `api-keys create` does). */
function printNewSecret(secret: NewSecret): void {
  printLine(`Signing secret (${secret.kind}, ${secret.id}) — shown once, store it now: it cannot be retrieved later:`);
  printLine('');
  printLine(`  ${secret.secret}`);
  printLine('');
  if (secret.public_key) printLine(`Receivers verify with the public key ${secret.public_key}.`);
}

export function printEndpoint(e: Endpoint): void {
  printLine(`${e.url} (${e.id})`);
  printLine(
    formatFields([
      ['Description', e.description],
      ['State', e.enabled ? endpointState(e) : `disabled${e.disabled_reason ? ` (${e.disabled_reason})` : ''}`],
      ['Event types', e.event_types.length ? e.event_types.join(', ') : 'all'],
      ['Filter', e.filter],
      ['Ordering', e.ordering],
      ['Rate limit', e.rate_limit_per_second === null ? 'none' : `${e.rate_limit_per_second}/s`],
      ['Failing since', shortTime(e.health.failing_since)],
      ['Consecutive failures', e.health.consecutive_failures || null],
      ['Circuit open until', shortTime(e.health.circuit_open_until)],
      ['Created', shortTime(e.created_at)],
      ['Updated', shortTime(e.updated_at)],
    ]),
  );
  if (e.header_names.length) printLine(`Custom headers (values sealed): ${e.header_names.join(', ')}`);
  printLine('Signing secrets (values are never shown again):');
  printLine(indent(formatTable(e.secrets, secretColumns)));
}

/** `switchyard webhooks endpoints …`: where outbound webhooks go, and the secrets they are signed with. */
export function registerWebhookEndpointCommands(webhooks: Command): void {
  const endpoints = webhooks.command('endpoints').description('Manage outbound webhook endpoints');

  withApiOptions(
    endpoints
      .command('list')
      .description('List webhook endpoints, newest first')
      .option('--limit <n>', 'show at most this many', parsePositiveInt),
  ).action(async (opts: ApiOptions & { limit?: number }) => {
    const client = clientFor(opts);
    const rows = await listAll((cursor) =>
      client.GET('/v1/webhooks/endpoints', { params: { query: { cursor, limit: 200 } } }),
    );
    printRows(opts.limit ? rows.slice(0, opts.limit) : rows, columns, { json: opts.json, what: 'webhook endpoints' });
  });

  withApiOptions(
    endpoints.command('get').description('Show a webhook endpoint').argument('<id>', 'endpoint id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const endpoint = await unwrap(clientFor(opts).GET('/v1/webhooks/endpoints/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(endpoint);
    printEndpoint(endpoint);
  });

  withApiOptions(
    withEndpointFlags(
      endpoints
        .command('create')
        .description('Create a webhook endpoint and print its signing secret (shown once)')
        // A positional URL: `--url` is the Switchyard server's URL on every API command.
        .argument('<url>', 'where deliveries are POSTed (https://…)')
        .addOption(new Option('--signing <scheme>', 'signature scheme (default hmac)').choices(['hmac', 'ed25519'])),
    ),
  ).action(async (url: string, opts: CreateOptions) => {
    const created = await unwrap(
      clientFor(opts).POST('/v1/webhooks/endpoints', {
        body: { url, ...endpointBody(opts), ...(opts.signing ? { signing: opts.signing } : {}) },
      }),
    );
    if (opts.json) return printJson(created);
    const types = created.event_types.length ? created.event_types.join(', ') : 'every event type';
    printLine(`Created webhook endpoint ${created.id} for ${created.url} (${types}).`);
    printNewSecret(created.signing_secret);
  });

  withApiOptions(
    withEndpointFlags(
      endpoints
        .command('update')
        .description('Change a webhook endpoint, or enable / disable it; only the options given change')
        .argument('<id>', 'endpoint id')
        .option('--endpoint-url <url>', 'the new delivery URL'),
    )
      // After --filter <expr>: declared first, --no-filter would make the filter default to true.
      .option('--no-filter', 'remove the payload filter (deliver every event)')
      .option('--enable', 'enable the endpoint')
      .option('--disable', 'disable the endpoint: deliveries wait until it is enabled')
      .option('--reason <text>', 'why it is disabled (with --disable)'),
  ).action(async (id: string, opts: UpdateOptions) => {
    if (opts.enable && opts.disable) throw new CliError('Give --enable or --disable, not both.');
    const body: UpdateBody = {
      ...endpointBody({ ...opts, filter: undefined }),
      ...(opts.filter === false ? { filter: null } : opts.filter !== undefined ? { filter: opts.filter } : {}),
      ...(opts.endpointUrl ? { url: opts.endpointUrl } : {}),
      ...(opts.enable ? { enabled: true } : {}),
      ...(opts.disable ? { enabled: false, ...(opts.reason ? { disabled_reason: opts.reason } : {}) } : {}),
    };
    if (Object.keys(body).length === 0) throw new CliError('Nothing to change: give at least one option (see --help).');
    const endpoint = await unwrap(
      clientFor(opts).PATCH('/v1/webhooks/endpoints/{id}', { params: { path: { id } }, body }),
    );
    if (opts.json) return printJson(endpoint);
    printLine(`Updated webhook endpoint ${endpoint.id}: ${endpoint.enabled ? 'enabled' : 'disabled'}.`);
  });

  withApiOptions(
    endpoints
      .command('delete')
      .description('Delete a webhook endpoint and its signing secrets')
      .argument('<id>', 'endpoint id')
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (id: string, opts: ApiOptions & { yes?: boolean }) => {
    if (!opts.yes) {
      await confirm(
        `Delete webhook endpoint ${id}?`,
        `Refusing to delete webhook endpoint ${id} without --yes: there is no terminal to ask for confirmation.`,
      );
    }
    await unwrap(clientFor(opts).DELETE('/v1/webhooks/endpoints/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, deleted: true });
    printLine(`Deleted webhook endpoint ${id}.`);
  });

  withApiOptions(
    endpoints
      .command('rotate-secret')
      .description('Add a new signing secret (shown once); the current ones keep signing until they expire')
      .argument('<id>', 'endpoint id')
      .option(
        '--expire-old-in <duration>',
        'how long the current secrets keep signing, e.g. 1h, 24h, 7d',
        parseDuration,
      )
      .addOption(
        new Option('--signing <scheme>', 'scheme of the new secret (default: as the newest)').choices([
          'hmac',
          'ed25519',
        ]),
      ),
  ).action(async (id: string, opts: ApiOptions & { expireOldIn?: number; signing?: 'hmac' | 'ed25519' }) => {
    const rotated = await unwrap(
      clientFor(opts).POST('/v1/webhooks/endpoints/{id}/secrets/rotate', {
        params: { path: { id } },
        body: {
          ...(opts.expireOldIn !== undefined ? { expire_old_in_seconds: opts.expireOldIn } : {}),
          ...(opts.signing ? { signing: opts.signing } : {}),
        },
      }),
    );
    if (opts.json) return printJson(rotated);
    const old = rotated.endpoint.secrets.filter((s) => s.id !== rotated.signing_secret.id && s.expires_at);
    const until = old
      .map((s) => shortTime(s.expires_at))
      .sort()
      .at(-1);
    printLine(`Rotated the signing secret of webhook endpoint ${id}.`);
    printLine(until ? `The previous secrets keep signing until ${until}.` : 'No previous secret is still signing.');
    printNewSecret(rotated.signing_secret);
  });
}
