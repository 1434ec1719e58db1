import type { Command } from 'commander';
import { listAll, unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { readSecretInput } from '../input.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';

type User = components['schemas']['User'];

const columns: Column<User>[] = [
  { header: 'ID', value: (u) => u.id },
  { header: 'EMAIL', value: (u) => u.email },
  { header: 'NAME', value: (u) => u.name },
  { header: 'ROLE', value: (u) => (u.superuser ? `${u.role} (superuser)` : u.role) },
  { header: 'STATUS', value: (u) => (u.disabled ? 'disabled' : 'active') },
  { header: 'LAST LOGIN', value: (u) => shortTime(u.last_login_at) },
];

type CreateOptions = ApiOptions & {
  email: string;
  role: string;
  name?: string;
  password?: string;
  superuser?: boolean;
};

/** `switchyard users …`: console users of a tenant. */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('Manage console users');

  withApiOptions(users.command('list').description('List users, newest first')).action(async (opts: ApiOptions) => {
    const client = clientFor(opts);
    const rows = await listAll((cursor) => client.GET('/v1/users', { params: { query: { cursor, limit: 200 } } }));
    printRows(rows, columns, { json: opts.json, what: 'users' });
  });

  withApiOptions(
    users
      .command('create')
      .description('Create a user; the password comes from --password, SWITCHYARD_NEW_PASSWORD or piped stdin')
      .requiredOption('--email <email>', 'sign-in email')
      .requiredOption('--role <role>', 'administrator, editor, viewer or a custom role id')
      .option('--name <name>', 'display name')
      .option('--password <password>', 'at least 12 characters (visible in the process list; prefer stdin)')
      .option('--superuser', 'a platform superuser: every tenant, the connector registry (superusers only)'),
  ).action(async (opts: CreateOptions) => {
    const password = await readSecretInput('password', {
      flag: opts.password,
      flagName: '--password',
      envName: 'SWITCHYARD_NEW_PASSWORD',
    });
    const user = await unwrap(
      clientFor(opts).POST('/v1/users', {
        body: {
          email: opts.email,
          role: opts.role,
          password,
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.superuser ? { superuser: true } : {}),
        },
      }),
    );
    if (opts.json) return printJson(user);
    printLine(`Created ${user.superuser ? 'superuser' : 'user'} ${user.email} (${user.id}) with role ${user.role}.`);
  });

  withApiOptions(users.command('delete').description('Remove a user').argument('<id>', 'user id')).action(
    async (id: string, opts: ApiOptions) => {
      await unwrap(clientFor(opts).DELETE('/v1/users/{id}', { params: { path: { id } } }));
      if (opts.json) return printJson({ id, deleted: true });
      printLine(`Deleted user ${id}; their sessions have ended.`);
    },
  );
}
