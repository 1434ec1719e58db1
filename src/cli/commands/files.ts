import path from 'node:path';
import { Option, type Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, DEFAULT_URL, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { downloadFile, uploadFile } from '../file-transfer.js';
import { formatFields, printJson, printLine, printNote, printRows, shortTime, type Column } from '../output.js';

/**
 * `switchyard files …`: the files store — list and inspect, upload (resumable, with a progress bar), download
 * (streamed, resuming a partial file), rename or move, delete, versions and restore, expiring links, usage.
 */
type FileView = components['schemas']['File'];
type VersionView = components['schemas']['FileVersion'];

const mb = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${bytes} B`);
const pathOf = (f: FileView) => `${f.folder === '/' ? '' : f.folder}/${f.name}`;

const columns: Column<FileView>[] = [
  { header: 'ID', value: (f) => f.id },
  { header: 'PATH', value: pathOf },
  { header: 'SIZE', value: (f) => mb(f.size) },
  { header: 'VERSION', value: (f) => f.version },
  { header: 'SOURCE', value: (f) => String(f.source.kind ?? '') },
  { header: 'CREATED', value: (f) => shortTime(f.created_at) },
];

const versionColumns: Column<VersionView>[] = [
  { header: 'VERSION', value: (v) => `${v.version}${v.current ? ' (current)' : ''}` },
  { header: 'SIZE', value: (v) => mb(v.size) },
  { header: 'SHA-256', value: (v) => v.sha256.slice(0, 16) },
  { header: 'SOURCE', value: (v) => String(v.source.kind ?? '') },
  { header: 'CREATED', value: (v) => shortTime(v.created_at) },
];

function printFile(f: FileView, json: boolean | undefined): void {
  if (json) return printJson(f);
  printLine(
    formatFields([
      ['File', `${pathOf(f)} (${f.id})`],
      ['Size', `${f.size} bytes`],
      ['Version', f.version],
      ['Media type', f.media_type],
      ['SHA-256', f.sha256],
      ['Source', JSON.stringify(f.source)],
      ['Created', f.created_at],
    ]),
  );
}

export function registerFilesCommands(program: Command): void {
  const files = program.command('files').description('The files store: upload, download, versions, links, usage');

  withApiOptions(
    files
      .command('list')
      .description('Files, newest first')
      .option('--folder <folder>', 'only the files in this folder')
      .option('--name <text>', 'only files whose name contains this')
      .addOption(new Option('--source <kind>', 'only files from this source').choices(['upload', 'export', 'import']))
      .option('--limit <n>', 'at most this many', '50'),
  ).action(async (opts: ApiOptions & { folder?: string; name?: string; source?: string; limit: string }) => {
    const page = await unwrap(
      clientFor(opts).GET('/v1/files', {
        params: {
          query: {
            limit: Number(opts.limit),
            ...(opts.folder ? { folder: opts.folder } : {}),
            ...(opts.name ? { q: opts.name } : {}),
            ...(opts.source ? { source: opts.source as 'upload' } : {}),
          },
        },
      }),
    );
    printRows(page.data, columns, { json: opts.json, what: 'files' });
  });

  withApiOptions(files.command('show').description('A file’s details').argument('<id>', 'file id')).action(
    async (id: string, opts: ApiOptions) => {
      printFile(await unwrap(clientFor(opts).GET('/v1/files/{id}', { params: { path: { id } } })), opts.json);
    },
  );

  withApiOptions(
    files
      .command('upload')
      .description('Upload a file (resumably, with progress); to a name that exists it adds a version')
      .argument('<file>', 'the local file')
      .option('--folder <folder>', 'the folder to upload into', '/')
      .option('--name <name>', 'the name in the store (default: the file’s own)')
      .addOption(
        new Option('--if-exists <what>', 'when the folder holds that name: add a version, take "name (2)", or fail')
          .choices(['version', 'rename', 'fail'])
          .default('version'),
      ),
  ).action(async (file: string, opts: ApiOptions & { folder: string; name?: string; ifExists: 'version' }) => {
    const made = await uploadFile(clientFor(opts), file, {
      folder: opts.folder,
      ifExists: opts.ifExists,
      ...(opts.name ? { name: opts.name } : {}),
    });
    if (opts.json) return printJson(made);
    printLine(`Uploaded ${pathOf(made)} (${made.id}), version ${made.version}.`);
  });

  withApiOptions(
    files
      .command('download')
      .description('Download a file (streamed, with progress); a partial local file is resumed')
      .argument('<id>', 'file id')
      .option('--output <file>', 'where to write (default: the file’s name, here)')
      .option('--file-version <n>', 'a version other than the current one'),
  ).action(async (id: string, opts: ApiOptions & { output?: string; fileVersion?: string }) => {
    const client = clientFor(opts);
    const file = await unwrap(client.GET('/v1/files/{id}', { params: { path: { id } } }));
    let version = file.version;
    let sha256 = file.sha256;
    let size = file.size;
    if (opts.fileVersion) {
      version = Number(opts.fileVersion);
      const versions = await unwrap(
        client.GET('/v1/files/{id}/versions', { params: { path: { id }, query: { limit: 200 } } }),
      );
      const v = versions.data.find((x) => x.version === version);
      if (!v) throw new CliError(`File ${id} has no version ${opts.fileVersion}.`);
      sha256 = v.sha256;
      size = v.size;
    }
    const to = opts.output ?? path.basename(file.name);
    const { resumedFrom } = await downloadFile(client, file, version, sha256, size, to);
    if (opts.json) return printJson({ file: file.id, version, path: to, size, resumed_from: resumedFrom });
    if (resumedFrom > 0) printNote(`Resumed at byte ${resumedFrom}.`);
    printLine(`Wrote ${to} (${size} bytes, version ${version}, SHA-256 checked).`);
  });

  withApiOptions(
    files.command('rm').description('Delete a file and all its versions').argument('<id>', 'file id'),
  ).action(async (id: string, opts: ApiOptions) => {
    await unwrap(clientFor(opts).DELETE('/v1/files/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson({ deleted: id });
    printLine(`Deleted ${id}.`);
  });

  withApiOptions(
    files
      .command('mv')
      .description('Rename a file or move it to another folder')
      .argument('<id>', 'file id')
      .option('--name <name>', 'the new name')
      .option('--folder <folder>', 'the new folder'),
  ).action(async (id: string, opts: ApiOptions & { name?: string; folder?: string }) => {
    if (!opts.name && !opts.folder) throw new CliError('Give --name, --folder, or both.');
    const moved = await unwrap(
      clientFor(opts).PATCH('/v1/files/{id}', {
        params: { path: { id } },
        body: { ...(opts.name ? { name: opts.name } : {}), ...(opts.folder ? { folder: opts.folder } : {}) },
      }),
    );
    if (opts.json) return printJson(moved);
    printLine(`Now ${pathOf(moved)}.`);
  });

  withApiOptions(
    files.command('versions').description('A file’s versions, newest first').argument('<id>', 'file id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const page = await unwrap(
      clientFor(opts).GET('/v1/files/{id}/versions', { params: { path: { id }, query: { limit: 200 } } }),
    );
    printRows(page.data, versionColumns, { json: opts.json, what: 'versions' });
  });

  withApiOptions(
    files
      .command('restore')
      .description('Make an earlier version current again (as a new version)')
      .argument('<id>', 'file id')
      .argument('<version>', 'the version to restore'),
  ).action(async (id: string, version: string, opts: ApiOptions) => {
    const file = await unwrap(
      clientFor(opts).POST('/v1/files/{id}/versions/{version}/restore', {
        params: { path: { id, version: Number(version) } },
      }),
    );
    if (opts.json) return printJson(file);
    printLine(`${pathOf(file)} is at version ${file.version}, with the bytes of version ${version}.`);
  });

  withApiOptions(
    files
      .command('link')
      .description('An expiring link to a file’s bytes, for anyone who has it')
      .argument('<id>', 'file id')
      .option('--expires-in <seconds>', 'lifetime in seconds (60 to 604800)', '3600')
      .option('--file-version <n>', 'a version other than the current one'),
  ).action(async (id: string, opts: ApiOptions & { expiresIn: string; fileVersion?: string }) => {
    const link = await unwrap(
      clientFor(opts).POST('/v1/files/{id}/links', {
        params: { path: { id } },
        body: {
          expires_in_seconds: Number(opts.expiresIn),
          ...(opts.fileVersion ? { version: Number(opts.fileVersion) } : {}),
        },
      }),
    );
    const base = (opts.url ?? DEFAULT_URL).replace(/\/$/, '');
    if (opts.json) return printJson({ ...link, url: `${base}${link.url}` });
    printLine(`${base}${link.url}`);
    printNote(`Version ${link.version}; expires ${link.expires_at}.`);
  });

  withApiOptions(files.command('usage').description('Stored bytes against the tenant’s quota')).action(
    async (opts: ApiOptions) => {
      const u = await unwrap(clientFor(opts).GET('/v1/files/usage'));
      if (opts.json) return printJson(u);
      printLine(
        `${mb(u.used_bytes)} used${u.quota_bytes === null ? ' (no quota)' : ` of ${mb(u.quota_bytes)}`}, ` +
          `${u.files} files, ${u.versions} versions.`,
      );
    },
  );
}
