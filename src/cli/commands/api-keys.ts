import { InvalidArgumentError, type Command } from 'commander';
import { listAll, unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';

type ApiKey = components['schemas']['ApiKey'];

const columns: Column<ApiKey>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'PREFIX', value: (k) => `${k.prefix}…` },
  { header: 'ROLE', value: (k) => (k.superuser ? `${k.role} (superuser)` : k.role) },
  { header: 'STATUS', value: (k) => k.status },
  { header: 'EXPIRES', value: (k) => shortTime(k.expires_at) },
  { header: 'LAST USED', value: (k) => shortTime(k.last_used_at) },
];

type CreateOptions = ApiOptions & { name: string; role: string; expiresInDays?: number; rateLimit?: number };

export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

/** `switchyard api-keys …`: the tenant's API keys. */
export function registerApiKeyCommands(program: Command): void {
  const keys = program.command('api-keys').description('Manage API keys');

  withApiOptions(
    keys.command('list').description('List API keys, newest first').option('--all', 'include revoked keys'),
  ).action(async (opts: ApiOptions & { all?: boolean }) => {
    const client = clientFor(opts);
    const include_revoked = opts.all ? 'true' : 'false';
    const rows = await listAll((cursor) =>
      client.GET('/v1/api-keys', { params: { query: { cursor, limit: 200, include_revoked } } }),
    );
    printRows(rows, columns, { json: opts.json, what: 'API keys' });
  });

  withApiOptions(
    keys
      .command('create')
      .description('Create an API key and print its token (shown once)')
      .requiredOption('--name <name>', 'what the key is for')
      .requiredOption('--role <role>', 'administrator, editor, viewer or a custom role id')
      .option('--expires-in-days <days>', 'expire after this many days', parsePositiveInt)
      .option('--rate-limit <perMinute>', 'requests per minute for this key', parsePositiveInt),
  ).action(async (opts: CreateOptions) => {
    const created = await unwrap(
      clientFor(opts).POST('/v1/api-keys', {
        body: {
          name: opts.name,
          role: opts.role,
          ...(opts.expiresInDays ? { expires_in_days: opts.expiresInDays } : {}),
          ...(opts.rateLimit ? { rate_limit_per_minute: opts.rateLimit } : {}),
        },
      }),
    );
    if (opts.json) return printJson(created);
    const key = created.api_key;
    const expiry = key.expires_at ? `, expires ${shortTime(key.expires_at)}` : '';
    printLine(`Created API key ${key.name} (${key.id}) with role ${key.role}${expiry}.`);
    printLine('Token — store it now: it is shown this once and cannot be retrieved later:');
    printLine('');
    printLine(`  ${created.token}`);
    printLine('');
  });

  withApiOptions(keys.command('revoke').description('Revoke an API key at once').argument('<id>', 'key id')).action(
    async (id: string, opts: ApiOptions) => {
      const key = await unwrap(clientFor(opts).DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));
      if (opts.json) return printJson(key);
      printLine(`Revoked API key ${key.name} (${key.id}).`);
    },
  );
}
