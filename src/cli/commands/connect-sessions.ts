import type { Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { formatFields, printJson, printLine } from '../output.js';
import { collectList, parseDuration } from '../parse.js';

type Session = components['schemas']['ConnectSession'];

type CreateOptions = ApiOptions & {
  email?: string;
  name?: string;
  organization?: string;
  connector?: string[];
  origin: string[];
  tag?: string[];
  expiresIn?: number;
  brand?: string;
  color?: string;
  logo?: string;
  reconnect?: string;
};

/**
 * `switchyard connect-sessions …`: links for an end user of your product to connect their accounts through the
 * hosted Connect UI (what a product's backend does with the API; handy to try the UI by hand).
 */
export function registerConnectSessionCommands(program: Command): void {
  const sessions = program
    .command('connect-sessions')
    .description('Make connect sessions: single-use links for an end user to connect their accounts');

  withApiOptions(
    sessions
      .command('create')
      .description('Create a connect session and print the Connect UI link (the token is shown once)')
      .argument('<end-user-id>', 'the end user’s id in your product')
      .requiredOption('--origin <origins>', 'an origin allowed to open the UI; repeat or comma-separate', collectList)
      .option(
        '--connector <slugs>',
        'a connector they may choose; repeat or comma-separate (all by default)',
        collectList,
      )
      .option('--email <email>', 'the end user’s email')
      .option('--name <name>', 'the end user’s display name')
      .option('--organization <id>', 'the end user’s organisation id')
      .option('--tag <tags>', 'a tag for the connection; repeat or comma-separate', collectList)
      .option('--expires-in <duration>', 'how long the link works (default 30m, at most 24h)', parseDuration)
      .option('--brand <name>', 'your product’s name, shown in the UI')
      .option('--color <hex>', 'your product’s colour, #rrggbb')
      .option('--logo <url>', 'your product’s logo (https URL)')
      .option('--reconnect <connection>', 'a connection (id or key) of this end user to renew'),
  ).action(async (endUserId: string, opts: CreateOptions) => {
    const branding = {
      ...(opts.brand ? { name: opts.brand } : {}),
      ...(opts.color ? { primary_color: opts.color } : {}),
      ...(opts.logo ? { logo_url: opts.logo } : {}),
    };
    const created = await unwrap(
      clientFor(opts).POST('/v1/connect/sessions', {
        body: {
          end_user: {
            id: endUserId,
            ...(opts.email ? { email: opts.email } : {}),
            ...(opts.name ? { display_name: opts.name } : {}),
            ...(opts.organization ? { organization: { id: opts.organization } } : {}),
          },
          allowed_origins: opts.origin,
          ...(opts.connector?.length ? { connectors: opts.connector.map((connector) => ({ connector })) } : {}),
          ...(opts.tag?.length ? { tags: opts.tag } : {}),
          ...(opts.expiresIn ? { expires_in: opts.expiresIn } : {}),
          ...(Object.keys(branding).length ? { branding } : {}),
          ...(opts.reconnect ? { reconnect: opts.reconnect } : {}),
        },
      }),
    );
    if (opts.json) return printJson(created);
    printLine(`Connect session ${created.id} for ${endUserId}, until ${created.expires_at}:`);
    printLine(`  ${created.url}`);
    printLine('Open it from a page on an allowed origin (or hand it to @switchyard/connect); it works once.');
  });

  withApiOptions(sessions.command('show').description('Show a connect session').argument('<id>', 'session id')).action(
    async (id: string, opts: ApiOptions) => {
      const session = await unwrap(clientFor(opts).GET('/v1/connect/sessions/{id}', { params: { path: { id } } }));
      if (opts.json) return printJson(session);
      printSession(session);
    },
  );

  withApiOptions(
    sessions.command('end').description('End a connect session now').argument('<id>', 'session id'),
  ).action(async (id: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/connect/sessions/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, ended: true });
    printLine(`Ended connect session ${id}: its link works no more.`);
  });
}

function printSession(s: Session): void {
  printLine(
    formatFields([
      ['Id', s.id],
      ['Status', s.status],
      ['End user', String(s.end_user.id)],
      ['Connectors', s.connectors.map((c) => c.connector).join(', ')],
      ['Origins', s.allowed_origins.join(', ')],
      ['Tags', s.tags.join(', ')],
      ['Connection', s.connection_id],
      ['Expires', s.expires_at],
    ]),
  );
}
