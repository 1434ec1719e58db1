import type { Command } from 'commander';
import { unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
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
 * in a browser, and wait until the callback has ended the flow, polling its status (`GET /v1/oauth/flows/{id}`).
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
    const connection = await waitForConnection(client, flow.flow_id, opts.interval);
    if (opts.json) return printJson(connection);
    printLine(`Connected ${connection.name} (${connection.id}) to ${connector.name}: ${connection.state}.`);
    if (connection.last_test_outcome) printLine(indent(formatOutcome(connection.last_test_outcome)));
    printWarnings(connection);
  });
}

type Flow = components['schemas']['OAuthFlow'];

/**
 * Poll the flow until the callback has ended it: connected (the connection, read back), failed (the words its page
 * showed the user), or expired without anyone coming back.
 */
async function waitForConnection(
  client: SwitchyardClient,
  flowId: string,
  intervalSeconds: number,
): Promise<Connection> {
  let flow: Flow | undefined;
  const interrupt = interruptSignal();
  try {
    await readPages({
      read: () => unwrap(client.GET('/v1/oauth/flows/{id}', { params: { path: { id: flowId } } })),
      handle: (latest) => {
        flow = latest;
        const finished = latest.status === 'connected' || latest.status === 'failed' || latest.status === 'expired';
        return { more: false, finished };
      },
      follow: true,
      intervalMs: intervalSeconds * 1000,
      signal: interrupt.signal,
    });
  } finally {
    interrupt.release();
  }
  if (flow?.status === 'connected' && flow.connection_id) {
    return unwrap(client.GET('/v1/connections/{id}', { params: { path: { id: flow.connection_id } } }));
  }
  if (flow?.status === 'failed') {
    throw new CliError(`The connection was not made (${flow.error?.code}): ${flow.error?.message} Nothing was saved.`);
  }
  if (flow?.status === 'expired') {
    throw new CliError('The authorization expired before anyone came back from the vendor. Run the command again.');
  }
  throw new CliError('Stopped waiting. The URL still works until it expires; see `switchyard connections list`.');
}
