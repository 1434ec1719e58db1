import type { Command } from 'commander';
import { unwrap, type components, type operations } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { printJson, printLine, printRows, type Column } from '../output.js';
import { collectList } from '../parse.js';

type Role = components['schemas']['Role'];
type Capability = NonNullable<
  operations['createRole']['requestBody']
>['content']['application/json']['capabilities'][number];
type CapabilityInfo = operations['listCapabilities']['responses'][200]['content']['application/json']['data'][number];

const columns: Column<Role>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'NAME', value: (r) => r.name },
  { header: 'KIND', value: (r) => (r.built_in ? 'built-in' : 'custom') },
  { header: 'CAPABILITIES', value: (r) => r.capabilities.length },
  { header: 'DESCRIPTION', value: (r) => r.description },
];

const capabilityColumns: Column<CapabilityInfo>[] = [
  { header: 'CAPABILITY', value: (c) => c.name },
  { header: 'SUPERUSER ONLY', value: (c) => (c.superuser_only ? 'yes' : 'no') },
  { header: 'DESCRIPTION', value: (c) => c.description },
];

type RoleOptions = ApiOptions & {
  name?: string;
  description?: string;
  capability?: string[];
  add?: string[];
  remove?: string[];
};

/** `switchyard roles …`: the built-in roles and the tenant's custom roles (a set of capabilities each). */
export function registerRoleCommands(program: Command): void {
  const roles = program.command('roles').description('Manage roles and custom roles');

  withApiOptions(roles.command('list').description('List roles, built-in first')).action(async (opts: ApiOptions) => {
    const listed = await unwrap(clientFor(opts).GET('/v1/roles'));
    printRows(listed.data, columns, { json: opts.json, what: 'roles' });
  });

  withApiOptions(
    roles.command('show').description('Show a role and its capabilities').argument('<id>', 'role id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const role = await unwrap(clientFor(opts).GET('/v1/roles/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(role);
    printRole(role);
  });

  withApiOptions(roles.command('capabilities').description('The capabilities a custom role can hold')).action(
    async (opts: ApiOptions) => {
      const listed = await unwrap(clientFor(opts).GET('/v1/roles/capabilities'));
      printRows(listed.data, capabilityColumns, { json: opts.json, what: 'capabilities' });
    },
  );

  withApiOptions(
    roles
      .command('create')
      .description('Create a custom role (see `switchyard roles capabilities`)')
      .argument('<name>', 'display name')
      .requiredOption('--capability <names>', 'a capability; repeat or comma-separate', collectList)
      .option('--description <text>', 'what the role is for'),
  ).action(async (name: string, opts: RoleOptions) => {
    const role = await unwrap(
      clientFor(opts).POST('/v1/roles', {
        body: {
          name,
          capabilities: (opts.capability ?? []) as Capability[],
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        },
      }),
    );
    if (opts.json) return printJson(role);
    printLine(`Created role ${role.name} (${role.id}) with ${role.capabilities.length} capabilities.`);
  });

  withApiOptions(
    roles
      .command('update')
      .description('Change a custom role; its users and keys get the new capabilities at once')
      .argument('<id>', 'role id')
      .option('--name <name>', 'new display name')
      .option('--description <text>', 'new description')
      .option('--capability <names>', 'the whole new set; repeat or comma-separate', collectList)
      .option('--add <names>', 'capabilities to add; repeat or comma-separate', collectList)
      .option('--remove <names>', 'capabilities to remove; repeat or comma-separate', collectList),
  ).action(async (id: string, opts: RoleOptions) => {
    const client = clientFor(opts);
    if (opts.capability && (opts.add || opts.remove)) {
      throw new CliError('Give either --capability (the whole set) or --add/--remove, not both.');
    }
    let capabilities = opts.capability;
    if (opts.add || opts.remove) {
      const current = await unwrap(client.GET('/v1/roles/{id}', { params: { path: { id } } }));
      const removed = new Set(opts.remove ?? []);
      capabilities = [...new Set([...current.capabilities, ...(opts.add ?? [])])].filter((c) => !removed.has(c));
    }
    const body = {
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(capabilities ? { capabilities: capabilities as Capability[] } : {}),
    };
    if (Object.keys(body).length === 0) {
      throw new CliError('Nothing to change: give --name, --description, --capability, --add or --remove.');
    }
    const role = await unwrap(client.PATCH('/v1/roles/{id}', { params: { path: { id } }, body }));
    if (opts.json) return printJson(role);
    printLine(`Updated role ${role.name} (${role.id}): ${role.capabilities.length} capabilities.`);
  });

  withApiOptions(
    roles.command('delete').description('Delete a custom role no user or key holds').argument('<id>', 'role id'),
  ).action(async (id: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/roles/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ id, deleted: true });
    printLine(`Deleted role ${id}.`);
  });
}

function printRole(role: Role): void {
  printLine(`${role.name} (${role.id}), ${role.built_in ? 'built-in' : 'custom'}`);
  if (role.description) printLine(role.description);
  printLine('Capabilities:');
  for (const capability of role.capabilities) printLine(`  ${capability}`);
}
