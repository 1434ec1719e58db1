import type { Command } from 'commander';
import { listAll, unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { interruptSignal, readPages } from '../follow.js';
import { formatOutcome, indent, printJson, printLine, printNote } from '../output.js';
import { collectList, parseDuration } from '../parse.js';
import { collectPair, printWarnings } from './connections.js';

type Connection = components['schemas']['Connection'];
type ConnectOptions = ApiOptions & {
  name?: string;
  description?: string;
  config: Record<string, string>;
  scope?: string[];
  level?: 'app' | 'user';
  wait: boolean;
  interval: number;
};

/**
 * `switchyard connections connect <connector>`: start an OAuth authorization, print the vendor's consent URL to open
 * in a browser, and wait until the callback has created the connection (active), polling the connection list.
 */
export function registerConnectCommand(connections: Command): void {
  withApiOptions(
    connections
      .command('connect')
      .description(
        'Connect an OAuth connector: prints the authorization URL to open in a browser, then waits until the ' +
          'connection is active (Ctrl-C stops waiting; the URL works until it expires)',
      )
      .argument('<connector>', 'connector slug (its OAuth app set up: see `switchyard oauth-apps set`)')
      .option('--name <name>', 'display name (the connector’s name by default)')
      .option('--description <text>', 'what the connection is for')
      .option('--config <key=value>', 'a config field; repeat for each', collectPair, {})
      .option(
        '--scope <scopes>',
        'a scope to ask for; repeat or comma-separate (the connector’s defaults otherwise)',
        collectList,
      )
      .option('--level <level>', 'app (one shared credential) or user (one per user)')
      .option('--no-wait', 'print the URL and return without waiting')
      .option('--interval <duration>', 'how often to check while waiting (default 2s)', parseDuration, 2),
  ).action(async (slug: string, opts: ConnectOptions) => {
    const client = clientFor(opts);
    const connector = await unwrap(client.GET('/v1/connectors/{slug}', { params: { path: { slug } } }));
    const name = opts.name ?? connector.name;
    const before = new Set((await connectionsTo(client, slug)).map((c) => c.id));
    const flow = await unwrap(
      client.POST('/v1/oauth/authorize', {
        body: {
          connector: slug,
          name,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(Object.keys(opts.config).length ? { config: opts.config } : {}),
          ...(opts.scope?.length ? { scopes: opts.scope } : {}),
          ...(opts.level ? { level: opts.level } : {}),
        },
      }),
    );
    for (const warning of flow.warnings ?? []) printNote(`warning: ${warning}`);
    if (!opts.wait) {
      if (opts.json) return printJson(flow);
      printLine(`Open this URL in a browser to connect ${connector.name}:`);
      return printLine(`  ${flow.authorization_url}`);
    }
    // The URL is for the person at the terminal: under --json it goes to stderr, and stdout gets the connection.
    const say = opts.json ? printNote : printLine;
    say(`Open this URL in a browser to connect ${connector.name} (until ${flow.state_expires_at}):`);
    say(`  ${flow.authorization_url}`);
    say('Waiting for the connection…');
    const connection = await waitForConnection(client, slug, name, before, flow.state_expires_at, opts.interval);
    if (opts.json) return printJson(connection);
    printLine(`Connected ${connection.name} (${connection.id}) to ${connector.name}: ${connection.state}.`);
    if (connection.last_test_outcome) printLine(indent(formatOutcome(connection.last_test_outcome)));
    printWarnings(connection);
  });
}

const connectionsTo = (client: SwitchyardClient, slug: string) =>
  listAll((cursor) => client.GET('/v1/connections', { params: { query: { connector: slug, cursor, limit: 200 } } }));

/**
 * Poll until a connection to `slug` named `name` that was not there before the flow started appears: the callback
 * creates it only once the grant and its test call succeeded. A denied or failed consent creates nothing, so the
 * wait ends when the flow expires.
 */
async function waitForConnection(
  client: SwitchyardClient,
  slug: string,
  name: string,
  before: Set<string>,
  expiresAt: string,
  intervalSeconds: number,
): Promise<Connection> {
  let found: Connection | undefined;
  let expired = false;
  const interrupt = interruptSignal();
  try {
    await readPages({
      read: () => connectionsTo(client, slug),
      handle: (rows) => {
        found = rows.find((c) => !before.has(c.id) && c.name === name);
        expired = !found && Date.now() > Date.parse(expiresAt);
        return { more: false, finished: found !== undefined || expired };
      },
      follow: true,
      intervalMs: intervalSeconds * 1000,
      signal: interrupt.signal,
    });
  } finally {
    interrupt.release();
  }
  if (found) return found;
  if (expired) {
    throw new CliError(
      'The authorization expired before a connection was made (consent denied, or the callback failed: its page ' +
        'said why). Run the command again.',
    );
  }
  throw new CliError('Stopped waiting. The URL still works until it expires; see `switchyard connections list`.');
}
