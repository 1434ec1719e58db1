import type { Command } from 'commander';
import { listAll, unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';

type Tenant = components['schemas']['Tenant'];

const columns: Column<Tenant>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'SLUG', value: (t) => t.slug },
  { header: 'NAME', value: (t) => t.name },
  { header: 'STATUS', value: (t) => (t.disabled ? 'disabled' : 'active') },
  { header: 'FEATURES', value: (t) => t.features.join(', ') || '-' },
  { header: 'CREATED', value: (t) => shortTime(t.created_at) },
];

/** `switchyard tenants …`: superuser administration of tenants. */
export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('Manage tenants (superusers)');

  withApiOptions(tenants.command('list').description('List every tenant')).action(async (opts: ApiOptions) => {
    const client = clientFor(opts);
    const rows = await listAll((cursor) => client.GET('/v1/tenants', { params: { query: { cursor, limit: 200 } } }));
    printRows(rows, columns, { json: opts.json, what: 'tenants' });
  });

  withApiOptions(
    tenants
      .command('create')
      .description('Create a tenant')
      .argument('<name>', 'display name')
      .requiredOption('--slug <slug>', 'lower-case identifier used in URLs and --tenant'),
  ).action(async (name: string, opts: ApiOptions & { slug: string }) => {
    const tenant = await unwrap(clientFor(opts).POST('/v1/tenants', { body: { name, slug: opts.slug } }));
    if (opts.json) return printJson(tenant);
    printLine(`Created tenant ${tenant.slug} (${tenant.id}).`);
    printLine(`Act in it with --tenant ${tenant.slug}, e.g. to create its first administrator.`);
  });

  withApiOptions(
    tenants
      .command('features')
      .description(
        'Show or change what a tenant’s subscription turns on: financial_data (the Financial Data tab, routes of ' +
          'financial capabilities), provider_routing (routes of every other capability)',
      )
      .argument('<id>', 'tenant id or slug')
      .option('--add <feature...>', 'turn features on')
      .option('--remove <feature...>', 'turn features off'),
  ).action(async (id: string, opts: ApiOptions & { add?: string[]; remove?: string[] }) => {
    const client = clientFor(opts);
    let tenant = await unwrap(client.GET('/v1/tenants/{id}', { params: { path: { id } } }));
    if (opts.add || opts.remove) {
      const next = new Set<string>(tenant.features);
      for (const f of opts.add ?? []) next.add(f);
      for (const f of opts.remove ?? []) next.delete(f);
      tenant = await unwrap(
        client.PATCH('/v1/tenants/{id}', {
          params: { path: { id } },
          body: { features: [...next] as Tenant['features'] },
        }),
      );
    }
    if (opts.json) return printJson(tenant);
    printLine(`${tenant.slug}: ${tenant.features.join(', ') || 'no features'}`);
  });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    withApiOptions(
      tenants
        .command(verb)
        .description(
          disabled ? 'Disable a tenant: its users and keys are refused, its data is kept' : 'Re-enable a tenant',
        )
        .argument('<id>', 'tenant id or slug'),
    ).action(async (id: string, opts: ApiOptions) => {
      const tenant = await unwrap(
        clientFor(opts).PATCH('/v1/tenants/{id}', { params: { path: { id } }, body: { disabled } }),
      );
      if (opts.json) return printJson(tenant);
      printLine(`${disabled ? 'Disabled' : 'Enabled'} tenant ${tenant.slug} (${tenant.id}).`);
    });
  }
}
