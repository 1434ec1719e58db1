import { Option, type Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { readDocumentFile } from '../input.js';
import { printJson, printLine } from '../output.js';

type ConnectorDetail = components['schemas']['ConnectorDetail'];
type Manifest = Record<string, unknown>;
type UpdateOptions = ApiOptions & {
  availability?: 'active' | 'coming_soon' | 'deprecated' | 'maintenance';
  management?: 'shared' | 'tenant_template' | 'byop' | 'hybrid';
  manifest?: string;
};

/** A manifest file (JSON, or YAML by its extension; `-` for stdin) as the object the registry routes take. */
async function readManifest(file: string): Promise<Manifest> {
  const manifest = await readDocumentFile(file, 'the manifest');
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new CliError(`The manifest in ${file} must be an object (see connectors/manifest.schema.json).`);
  }
  return manifest as Manifest;
}

const summary = (c: ConnectorDetail) =>
  `${c.name} (${c.slug}): ${c.retired ? `${c.availability}, retired` : c.availability}, management ${c.management}`;

/**
 * `switchyard connectors add | update | disable | enable | delete`: the superuser's registry management, over the
 * registry routes (custom entries from a manifest file; availability, management pattern and retirement of any).
 */
export function registerConnectorRegistryCommands(connectors: Command): void {
  withApiOptions(
    connectors
      .command('add')
      .description('Add a custom connector to the registry from a manifest file (superusers)')
      .argument('<manifest-file>', 'a JSON or YAML manifest (connectors/manifest.schema.json), or - for stdin'),
  ).action(async (file: string, opts: ApiOptions) => {
    const connector = await unwrap(clientFor(opts).POST('/v1/connectors', { body: await readManifest(file) }));
    if (opts.json) return printJson(connector);
    printLine(`Added ${summary(connector)}.`);
  });

  withApiOptions(
    connectors
      .command('update')
      .description(
        'Change a registry entry’s availability or management pattern, or a custom one’s manifest (superusers)',
      )
      .argument('<slug>', 'connector slug')
      .addOption(
        new Option(
          '--availability <availability>',
          'coming_soon cannot be connected; maintenance refuses calls',
        ).choices(['active', 'coming_soon', 'deprecated', 'maintenance']),
      )
      .addOption(
        new Option('--management <pattern>', 'whose OAuth app and credentials connections use').choices([
          'shared',
          'tenant_template',
          'byop',
          'hybrid',
        ]),
      )
      .option('--manifest <file>', 'custom entries: the new manifest (same slug)'),
  ).action(async (slug: string, opts: UpdateOptions) => {
    const body = {
      ...(opts.availability ? { availability: opts.availability } : {}),
      ...(opts.management ? { management: opts.management } : {}),
      ...(opts.manifest ? { manifest: await readManifest(opts.manifest) } : {}),
    };
    if (Object.keys(body).length === 0)
      throw new CliError('Nothing to change: give --availability, --management or --manifest.');
    const connector = await unwrap(
      clientFor(opts).PATCH('/v1/connectors/{slug}', { params: { path: { slug } }, body }),
    );
    if (opts.json) return printJson(connector);
    printLine(`Updated ${summary(connector)}.`);
  });

  for (const [verb, retired] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    withApiOptions(
      connectors
        .command(verb)
        .description(
          retired
            ? 'Retire a connector: gone from the library, no new connections; existing ones keep working (superusers)'
            : 'Bring a retired connector back to the library (superusers)',
        )
        .argument('<slug>', 'connector slug'),
    ).action(async (slug: string, opts: ApiOptions) => {
      const connector = await unwrap(
        clientFor(opts).PATCH('/v1/connectors/{slug}', { params: { path: { slug } }, body: { retired } }),
      );
      if (opts.json) return printJson(connector);
      printLine(`${retired ? 'Disabled' : 'Enabled'} ${summary(connector)}.`);
    });
  }

  withApiOptions(
    connectors
      .command('delete')
      .description('Delete a custom connector no connection uses (superusers)')
      .argument('<slug>', 'connector slug'),
  ).action(async (slug: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/connectors/{slug}', { params: { path: { slug } } }));
    if (opts.json) return printJson({ slug, deleted: true });
    printLine(`Deleted connector ${slug} from the registry.`);
  });
}
