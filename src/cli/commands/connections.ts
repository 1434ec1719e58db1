import { InvalidArgumentError, type Command } from 'commander';
import readline from 'node:readline/promises';
import {
  listAll,
  paginate,
  unwrap,
  type components,
  type operations,
  type SwitchyardClient,
} from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { readPipedStdin } from '../input.js';
import {
  formatFields,
  formatOutcome,
  indent,
  printJson,
  printLine,
  printNote,
  printRows,
  shortTime,
  type Column,
} from '../output.js';
import { parsePositiveInt } from './api-keys.js';
import { collectList } from '../parse.js';
import { registerConnectCommand } from './connection-connect.js';
import { registerConnectionEditCommand } from './connection-edit.js';

type Connection = components['schemas']['Connection'];
type ConnectionRequest = components['schemas']['ConnectionRequest'];
type ListQuery = NonNullable<operations['listConnections']['parameters']['query']>;
type HistoryEntry =
  operations['listConnectionHistory']['responses'][200]['content']['application/json']['data'][number];
type Values = Record<string, string>;

const columns: Column<Connection>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'NAME', value: (c) => c.name },
  { header: 'CONNECTOR', value: (c) => c.connector.slug },
  { header: 'STATE', value: (c) => c.state },
  { header: 'LAST TEST', value: (c) => c.last_test_outcome?.outcome },
  { header: 'LAST TESTED', value: (c) => shortTime(c.last_test_at) },
];

const requestColumns: Column<ConnectionRequest>[] = [
  { header: 'AT', value: (r) => shortTime(r.at) },
  { header: 'KIND', value: (r) => r.kind },
  { header: 'METHOD', value: (r) => r.method },
  { header: 'PATH', value: (r) => r.path },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'LATENCY', value: (r) => `${Math.round(r.latency_ms)} ms` },
  { header: 'BYTES IN', value: (r) => r.bytes_in },
  { header: 'BYTES OUT', value: (r) => r.bytes_out },
  { header: 'RETRIES', value: (r) => r.retries },
  { header: 'ERROR', value: (r) => r.error },
];

const historyColumns: Column<HistoryEntry>[] = [
  { header: 'AT', value: (h) => shortTime(h.at) },
  { header: 'FROM', value: (h) => h.from },
  { header: 'TO', value: (h) => h.to },
  { header: 'BY', value: (h) => (h.actor_id ? `${h.actor_type} ${h.actor_id}` : h.actor_type) },
  { header: 'REASON', value: (h) => h.reason },
];

type ListOptions = ApiOptions & {
  search?: string;
  state?: string;
  connector?: string;
  endUser?: string;
  tag?: string[];
  limit?: number;
};
type CreateOptions = ApiOptions & {
  connector: string;
  name: string;
  description?: string;
  authMethod?: string;
  config: Values;
  credential: Values;
  credentialsStdin?: boolean;
  validate: boolean;
};

/** `key=value` options, collected into one object (a later key wins). */
export function collectPair(text: string, previous: Values): Values {
  const at = text.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}

/** `switchyard connections …`: a tenant's connections to vendors, their tests, states and request log. */
export function registerConnectionCommands(program: Command): void {
  const connections = program.command('connections').description('Manage connections to vendors');

  withApiOptions(
    connections
      .command('list')
      .description('List connections, newest first')
      .option('--search <text>', 'words in the name, description, connector or vendor account id')
      .option('--state <state>', 'inactive, testing, active, paused, auth_expired, auth_revoked or error')
      .option('--connector <slug>', 'only connections to this connector')
      .option('--end-user <id>', 'only connections of this end user')
      .option('--tag <tags>', 'only connections with this tag; repeat or comma-separate (every one)', collectList)
      .option('--limit <n>', 'show at most this many', parsePositiveInt),
  ).action(async (opts: ListOptions) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.search ? { q: opts.search } : {}),
      ...(opts.state ? { state: opts.state } : {}),
      ...(opts.connector ? { connector: opts.connector } : {}),
      ...(opts.endUser ? { end_user_id: opts.endUser } : {}),
      ...(opts.tag?.length ? { tags: opts.tag.join(',') } : {}),
    } as ListQuery;
    const limit = Math.min(opts.limit ?? 200, 200);
    const rows: Connection[] = [];
    for await (const row of paginate((cursor) =>
      client.GET('/v1/connections', { params: { query: { ...query, cursor, limit } } }),
    )) {
      rows.push(row);
      if (opts.limit !== undefined && rows.length >= opts.limit) break;
    }
    printRows(rows, columns, { json: opts.json, what: 'connections' });
  });

  withApiOptions(connections.command('show').description('Show a connection').argument('<id>', 'connection id')).action(
    async (id: string, opts: ApiOptions) => {
      const connection = await unwrap(clientFor(opts).GET('/v1/connections/{id}', { params: { path: { id } } }));
      if (opts.json) return printJson(connection);
      printConnection(connection);
    },
  );

  withApiOptions(
    connections
      .command('create')
      .description(
        'Create a connection, tested first unless --no-validate. Give secret values as {{secrets.NAME}} ' +
          'references or with --credentials-stdin, never on the command line',
      )
      .requiredOption('--connector <slug>', 'connector slug (see `switchyard connectors list`)')
      .requiredOption('--name <name>', 'display name')
      .option('--description <text>', 'what the connection is for')
      .option('--auth-method <method>', 'one of the connector’s auth methods (its first by default)')
      .option('--config <key=value>', 'a config field; repeat for each', collectPair, {})
      .option(
        '--credential <key=value>',
        'a credential field; repeat for each. Secret values: use {{secrets.NAME}} or --credentials-stdin',
        collectPair,
        {},
      )
      .option('--credentials-stdin', 'read the credentials as a JSON object from standard input')
      .option('--no-validate', 'save without the test call (the connection starts inactive)'),
  ).action(async (opts: CreateOptions) => {
    const credentials = { ...(opts.credentialsStdin ? await readCredentialsStdin() : {}), ...opts.credential };
    const client = clientFor(opts);
    await warnAboutSecretsOnArgv(client, opts.connector, opts.credential);
    const connection = await unwrap(
      client.POST('/v1/connections', {
        body: {
          connector: opts.connector,
          name: opts.name,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.authMethod ? { auth_method: opts.authMethod } : {}),
          ...(Object.keys(opts.config).length ? { config: opts.config } : {}),
          ...(Object.keys(credentials).length ? { credentials } : {}),
          validate: opts.validate,
        },
      }),
    );
    if (opts.json) return printJson(connection);
    printLine(
      `Created connection ${connection.name} (${connection.id}) to ${connection.connector.name}: ${connection.state}.`,
    );
    if (connection.last_test_outcome) printLine(indent(formatOutcome(connection.last_test_outcome)));
    else printLine(`Not tested; run \`switchyard connections test ${connection.id}\`.`);
    printWarnings(connection);
  });

  withApiOptions(
    connections
      .command('test')
      .description('Run the connector’s test call and record the outcome (exit code 1 unless connected)')
      .argument('<id>', 'connection id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const connection = await unwrap(clientFor(opts).POST('/v1/connections/{id}/test', { params: { path: { id } } }));
    reportTest(connection, opts, `Tested connection ${connection.name} (${connection.id}): ${connection.state}.`);
  });

  withApiOptions(
    connections
      .command('pause')
      .description('Pause a connection: no deliveries and no proxied calls; its credentials are kept')
      .argument('<id>', 'connection id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const connection = await unwrap(clientFor(opts).POST('/v1/connections/{id}/pause', { params: { path: { id } } }));
    if (opts.json) return printJson(connection);
    printLine(`Paused connection ${connection.name} (${connection.id}).`);
  });

  withApiOptions(
    connections
      .command('resume')
      .description('Resume a paused connection; it is tested first (exit code 1 unless connected)')
      .argument('<id>', 'connection id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const connection = await unwrap(clientFor(opts).POST('/v1/connections/{id}/resume', { params: { path: { id } } }));
    const connected = connection.state === 'active';
    const verb = connected ? 'Resumed' : 'Could not resume';
    reportTest(connection, opts, `${verb} connection ${connection.name} (${connection.id}): ${connection.state}.`);
  });

  withApiOptions(
    connections
      .command('delete')
      .description('Disconnect: delete a connection and its credentials')
      .argument('<id>', 'connection id')
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (id: string, opts: ApiOptions & { yes?: boolean }) => {
    const client = clientFor(opts);
    if (!opts.yes) await confirmDelete(client, id);
    await unwrap(client.DELETE('/v1/connections/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, deleted: true });
    printLine(`Deleted connection ${id} and its credentials.`);
  });

  withApiOptions(
    connections
      .command('requests')
      .description('Request log of a connection (proxied calls and tests), newest first; never headers or bodies')
      .argument('<id>', 'connection id')
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 50),
  ).action(async (id: string, opts: ApiOptions & { limit: number }) => {
    const client = clientFor(opts);
    const rows: ConnectionRequest[] = [];
    const limit = Math.min(opts.limit, 200);
    for await (const row of paginate((cursor) =>
      client.GET('/v1/connections/{id}/requests', { params: { path: { id }, query: { cursor, limit } } }),
    )) {
      rows.push(row);
      if (rows.length >= opts.limit) break;
    }
    printRows(rows, requestColumns, { json: opts.json, what: 'requests logged' });
  });

  withApiOptions(
    connections
      .command('history')
      .description('State history of a connection, newest first')
      .argument('<id>', 'connection id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const history = await unwrap(clientFor(opts).GET('/v1/connections/{id}/history', { params: { path: { id } } }));
    printRows(history.data, historyColumns, { json: opts.json, what: 'state changes' });
  });

  registerConnectionEditCommand(connections);
  registerConnectCommand(connections);
}

function endUserText(user: Connection['end_user']): string | null {
  if (!user) return null;
  const name = user.display_name ? `${user.display_name} ` : '';
  return `${name}(${user.id}${user.email ? `, ${user.email}` : ''}${user.organization ? `, org ${user.organization.id}` : ''})`;
}

function printConnection(c: Connection): void {
  const account = c.vendor_account_name
    ? `${c.vendor_account_id ?? '-'} (${c.vendor_account_name})`
    : c.vendor_account_id;
  printLine(`${c.name} (${c.id})`);
  printLine(
    formatFields([
      ['Connector', `${c.connector.name} (${c.connector.slug})`],
      ['Description', c.description],
      ['State', c.state_reason ? `${c.state} (${c.state_reason})` : c.state],
      ['Auth method', `${c.auth_method} (${c.credential_source === 'system' ? 'platform' : 'tenant'} credentials)`],
      ['Level', c.level],
      ['Vendor account', account],
      ['Scopes granted', c.scopes_granted.join(', ')],
      ['Key', c.key],
      ['End user', endUserText(c.end_user)],
      ['Tags', c.tags.join(', ')],
      ['Last delivery', shortTime(c.last_delivery_at)],
      ['Created', shortTime(c.created_at)],
      ['Updated', shortTime(c.updated_at)],
    ]),
  );
  const config = Object.entries(c.config);
  if (config.length) {
    printLine('Config:');
    printLine(indent(formatFields(config.map(([key, value]) => [key, configText(value)]))));
  }
  if (c.last_test_outcome) {
    printLine(`Last test (${shortTime(c.last_test_at) ?? 'time unknown'}):`);
    printLine(indent(formatOutcome(c.last_test_outcome)));
  } else {
    printLine('Last test: never tested');
  }
  printWarnings(c);
}

function configText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function printWarnings(c: Connection): void {
  for (const warning of c.warnings) printNote(`warning: ${warning.message}`);
}

/** Outcomes that leave the connection usable (active): limited or unverified credentials still connect. */
const CONNECTED = new Set(['connected', 'connected_limited', 'unverified']);

/** The connection after a test: the outcome in words, and exit code 1 when it did not connect (for scripts). */
export function reportTest(connection: Connection, opts: ApiOptions, headline: string): void {
  if (!CONNECTED.has(connection.last_test_outcome?.outcome ?? '')) process.exitCode = 1;
  if (opts.json) return printJson(connection);
  printLine(headline);
  if (connection.last_test_outcome) printLine(indent(formatOutcome(connection.last_test_outcome)));
  printWarnings(connection);
}

/** `--credentials-stdin`: a JSON object of credential fields, so secret values stay out of argv and shell history. */
export async function readCredentialsStdin(): Promise<Values> {
  const text = await readPipedStdin();
  if (!text) {
    throw new CliError(
      '--credentials-stdin needs a JSON object on standard input, e.g. ' +
        `printf '%s' '{"api_key":"…"}' | switchyard connections create … --credentials-stdin`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The credentials on standard input are not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('The credentials on standard input must be a JSON object of field names to values.');
  }
  const values: Values = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new CliError(`Credential ${key} on standard input must be a string, number or boolean.`);
    }
    values[key] = String(value);
  }
  return values;
}

/**
 * A secret credential given as a literal `--credential` is visible in the process list and shell history: say
 * so (the connection is still created). References (`{{secrets.NAME}}`) are not secret. Best effort: when the
 * connector cannot be read, the server's own validation speaks.
 */
export async function warnAboutSecretsOnArgv(client: SwitchyardClient, slug: string, given: Values): Promise<void> {
  const literal = Object.entries(given).filter(([, value]) => !/^\s*\{\{\s*secrets\./.test(value));
  if (literal.length === 0) return;
  const { data } = await client.GET('/v1/connectors/{slug}', { params: { path: { slug } } });
  const secret = new Set(data?.auth.flatMap((a) => a.fields.filter((f) => f.secret).map((f) => f.key)) ?? []);
  for (const [key] of literal) {
    if (secret.has(key)) {
      printNote(
        `warning: --credential ${key} is a secret given on the command line (visible in the process list); ` +
          'prefer --credentials-stdin or a {{secrets.NAME}} reference.',
      );
    }
  }
}

/** Ask in a terminal; refuse elsewhere, since a script cannot answer and must say --yes. */
/**
 * Deleting a connection deletes the syncs that read from or write to it (their configurations cascade), so the
 * question — and the refusal without a terminal — names them first.
 */
async function syncsOf(client: SwitchyardClient, id: string): Promise<string> {
  const syncs = await listAll((cursor) =>
    client.GET('/v1/syncs', { params: { query: { connection_id: id, cursor, limit: 200 } } }),
  );
  if (syncs.length === 0) return '';
  const names = syncs.slice(0, 5).map((s) => `${s.name} (${s.id})`);
  const more = syncs.length > 5 ? ` and ${syncs.length - 5} more` : '';
  return ` It also deletes ${syncs.length === 1 ? 'the sync' : `${syncs.length} syncs`} using it: ${names.join(', ')}${more}.`;
}

async function confirmDelete(client: SwitchyardClient, id: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError(
      `Refusing to delete connection ${id} without --yes: deleting it removes its credentials for good, and ` +
        `there is no terminal to ask for confirmation.${await syncsOf(client, id)} Run again with --yes.`,
    );
  }
  const connection = await unwrap(client.GET('/v1/connections/{id}', { params: { path: { id } } }));
  const syncs = await syncsOf(client, id);
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      `Delete connection ${connection.name} (${id}) to ${connection.connector.name} and its credentials?${syncs} [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Not deleted.');
  } finally {
    prompt.close();
  }
}
