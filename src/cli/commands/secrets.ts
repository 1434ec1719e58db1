import type { Command } from 'commander';
import { listAll, SwitchyardError, unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { readSecretInput } from '../input.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';

type Secret = components['schemas']['Secret'];

const columns: Column<Secret>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'VERSION', value: (s) => s.version },
  { header: 'UPDATED', value: (s) => shortTime(s.updated_at) },
  { header: 'REFERENCE', value: (s) => s.reference },
  { header: 'DESCRIPTION', value: (s) => s.description },
];

type SetOptions = ApiOptions & { value?: string; description?: string };

/** Create the secret, or store the value as its next version when it exists. */
async function setSecret(client: SwitchyardClient, name: string, value: string, description?: string) {
  try {
    const body = { name, value, ...(description !== undefined ? { description } : {}) };
    return { secret: await unwrap(client.POST('/v1/secrets', { body })), created: true };
  } catch (error) {
    if (!(error instanceof SwitchyardError && error.code === 'already_exists')) throw error;
  }
  const body = { value, ...(description !== undefined ? { description } : {}) };
  const secret = await unwrap(client.PUT('/v1/secrets/{name}', { params: { path: { name } }, body }));
  return { secret, created: false };
}

/** `switchyard secrets …`: tenant secrets (values go in, never come out). */
export function registerSecretCommands(program: Command): void {
  const secrets = program.command('secrets').description('Manage tenant secrets');

  withApiOptions(secrets.command('list').description('List secrets (names and versions, never values)')).action(
    async (opts: ApiOptions) => {
      const client = clientFor(opts);
      const rows = await listAll((cursor) => client.GET('/v1/secrets', { params: { query: { cursor, limit: 200 } } }));
      printRows(rows, columns, { json: opts.json, what: 'secrets' });
    },
  );

  withApiOptions(
    secrets
      .command('set')
      .description('Create a secret or store a new version; the value comes from --value or piped stdin')
      .argument('<name>', 'letters, digits and underscores')
      .option('--value <value>', 'the value (visible in the process list; prefer stdin)')
      .option('--description <text>', 'what the secret is for'),
  ).action(async (name: string, opts: SetOptions) => {
    const value = await readSecretInput('value', { flag: opts.value, flagName: '--value' });
    const { secret, created } = await setSecret(clientFor(opts), name, value, opts.description);
    if (opts.json) return printJson(secret);
    printLine(
      created
        ? `Created secret ${secret.name} (version 1); use it as ${secret.reference}.`
        : `Stored secret ${secret.name} as version ${secret.version}.`,
    );
  });

  withApiOptions(
    secrets.command('delete').description('Delete a secret and every version of it').argument('<name>'),
  ).action(async (name: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/secrets/{name}', { params: { path: { name } } }));
    if (opts.json) return printJson({ name, deleted: true });
    printLine(`Deleted secret ${name}.`);
  });
}
