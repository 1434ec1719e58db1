import type { Command } from 'commander';
import { unwrap } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { printJson, printLine } from '../output.js';
import { collectPair, readCredentialsStdin, reportTest, warnAboutSecretsOnArgv } from './connections.js';

type Values = Record<string, string>;
type EditOptions = ApiOptions & {
  name?: string;
  description?: string;
  config: Values;
  credential: Values;
  credentialsStdin?: boolean;
  validate: boolean;
};

/**
 * `switchyard connections edit <id>`: rename, describe, change config fields or rotate credentials. A change to the
 * config or the credentials is tested before it is kept (unless --no-validate), as in the console.
 */
export function registerConnectionEditCommand(connections: Command): void {
  withApiOptions(
    connections
      .command('edit')
      .description(
        'Edit a connection: name, description, config fields, or new credentials (tested before they are kept ' +
          'unless --no-validate; exit code 1 unless connected)',
      )
      .argument('<id>', 'connection id')
      .option('--name <name>', 'new display name')
      .option('--description <text>', 'new description')
      .option('--config <key=value>', 'a config field to change; repeat for each', collectPair, {})
      .option(
        '--credential <key=value>',
        'a credential field to set; repeat. Secrets: --credentials-stdin',
        collectPair,
        {},
      )
      .option('--credentials-stdin', 'read the new credentials as a JSON object from standard input')
      .option('--no-validate', 'keep the change without the test call'),
  ).action(async (id: string, opts: EditOptions) => {
    const credentials = { ...(opts.credentialsStdin ? await readCredentialsStdin() : {}), ...opts.credential };
    const body = {
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(Object.keys(opts.config).length ? { config: opts.config } : {}),
      ...(Object.keys(credentials).length ? { credentials } : {}),
    };
    if (Object.keys(body).length === 0) {
      throw new CliError(
        'Nothing to change: give --name, --description, --config, --credential or --credentials-stdin.',
      );
    }
    const client = clientFor(opts);
    if (Object.keys(opts.credential).length) {
      const current = await unwrap(client.GET('/v1/connections/{id}', { params: { path: { id } } }));
      await warnAboutSecretsOnArgv(client, current.connector.slug, opts.credential);
    }
    const tested = body.config !== undefined || body.credentials !== undefined;
    const connection = await unwrap(
      client.PATCH('/v1/connections/{id}', {
        params: { path: { id } },
        body: { ...body, ...(tested ? { validate: opts.validate } : {}) },
      }),
    );
    const headline = `Updated connection ${connection.name} (${connection.id}): ${connection.state}.`;
    if (tested && opts.validate) return reportTest(connection, opts, headline);
    if (opts.json) return printJson(connection);
    printLine(headline);
  });
}
