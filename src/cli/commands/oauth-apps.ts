import type { Command } from 'commander';
import { unwrap, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { readPipedStdin } from '../input.js';
import { formatFields, printJson, printLine, shortTime } from '../output.js';

type SetOptions = ApiOptions & { clientId: string; clientSecretStdin?: boolean; public?: boolean; platform?: boolean };

const SECRET_ENV = 'SWITCHYARD_OAUTH_CLIENT_SECRET';

/**
 * `switchyard oauth-apps …`: the OAuth app (client id and secret registered at the vendor) a connector's connections
 * use — the tenant's own, or with `--platform` the platform's (superusers), as the registry's management pattern says.
 */
export function registerOAuthAppCommands(program: Command): void {
  const apps = program
    .command('oauth-apps')
    .description('Set up the OAuth app (client id and secret) an OAuth connector uses');

  withApiOptions(
    apps
      .command('set')
      .description(
        `Register the tenant's own OAuth app for a connector (or the platform's with --platform). The secret comes ` +
          `from standard input with --client-secret-stdin or from ${SECRET_ENV}, never from argv`,
      )
      .argument('<connector>', 'connector slug')
      .requiredOption('--client-id <id>', 'the client id the vendor gave the app')
      .option('--client-secret-stdin', 'read the client secret from standard input')
      .option('--public', 'a public client: no secret (PKCE only)')
      .option('--platform', 'the platform’s app, shared by every tenant (superusers; shared or hybrid connectors)'),
  ).action(async (slug: string, opts: SetOptions) => {
    const secret = await clientSecret(opts);
    const client = clientFor(opts);
    if (opts.platform) await setPlatformApp(client, slug, opts.clientId, secret);
    else {
      await unwrap(
        client.PUT('/v1/oauth/clients/{connector}', {
          params: { path: { connector: slug } },
          body: { client_id: opts.clientId, client_secret: secret },
        }),
      );
    }
    const connector = await unwrap(client.GET('/v1/connectors/{slug}', { params: { path: { slug } } }));
    const redirectUri = connector.auth.find((a) => a.type === 'oauth2')?.redirect_uri ?? null;
    if (opts.json)
      return printJson({ connector: slug, client_id: opts.clientId, owner: owner(opts), redirect_uri: redirectUri });
    printLine(
      `Registered ${owner(opts) === 'platform' ? 'the platform’s' : 'the tenant’s'} OAuth app for ${connector.name} ` +
        `(client id ${opts.clientId}; ${secret === null ? 'no secret, PKCE only' : 'secret sealed'}).`,
    );
    if (redirectUri) printLine(`Redirect URI to register with the vendor: ${redirectUri}`);
    printLine(`Connect an account with: switchyard connections connect ${slug}`);
  });

  withApiOptions(
    apps
      .command('show')
      .description('The OAuth app a connector’s connections use in this tenant (never the secret)')
      .argument('<connector>', 'connector slug'),
  ).action(async (slug: string, opts: ApiOptions) => {
    const app = await unwrap(
      clientFor(opts).GET('/v1/oauth/clients/{connector}', { params: { path: { connector: slug } } }),
    );
    if (opts.json) return printJson(app);
    printLine(
      formatFields([
        ['Connector', app.connector],
        ['Client id', app.client_id],
        ['Secret', app.has_secret ? 'held (sealed)' : 'none (public client)'],
        ['Owner', app.source === 'tenant' ? 'this tenant' : 'the platform'],
        ['Updated', shortTime(app.updated_at)],
      ]),
    );
  });

  withApiOptions(
    apps
      .command('delete')
      .description('Remove the tenant’s own OAuth app for a connector')
      .argument('<connector>', 'connector slug'),
  ).action(async (slug: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/oauth/clients/{connector}', { params: { path: { connector: slug } } }));
    if (opts.json) return printJson({ connector: slug, deleted: true });
    printLine(`Removed the tenant’s OAuth app for ${slug}.`);
  });
}

const owner = (opts: SetOptions) => (opts.platform ? 'platform' : 'tenant');

async function clientSecret(opts: SetOptions): Promise<string | null> {
  if (opts.public) {
    if (opts.clientSecretStdin)
      throw new CliError('--public is a client without a secret: drop --client-secret-stdin.');
    return null;
  }
  const secret = opts.clientSecretStdin ? await readPipedStdin() : process.env[SECRET_ENV];
  if (secret) return secret;
  throw new CliError(
    opts.clientSecretStdin
      ? '--client-secret-stdin needs the secret on standard input, e.g. printf %s "$SECRET" | switchyard oauth-apps set …'
      : `Give the client secret with --client-secret-stdin or ${SECRET_ENV}, or pass --public for a client without one.`,
  );
}

/** The platform's app is the credential of the connector's system connection, under its OAuth method. */
async function setPlatformApp(client: SwitchyardClient, slug: string, clientId: string, secret: string | null) {
  const connector = await unwrap(client.GET('/v1/connectors/{slug}', { params: { path: { slug } } }));
  const method = connector.auth.find((a) => a.type === 'oauth2');
  if (!method) throw new CliError(`${connector.name} has no OAuth method: there is no OAuth app to set.`);
  await unwrap(
    client.PUT('/v1/connectors/{slug}/system-connection', {
      params: { path: { slug } },
      body: {
        auth_method: method.id,
        credentials: { client_id: clientId, ...(secret ? { client_secret: secret } : {}) },
      },
    }),
  );
}
