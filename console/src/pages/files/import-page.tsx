import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api.js';
import { fileKeys, storageKeys } from '../../query-keys.js';
import { ErrorState, Field } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { bytes } from '../webhooks/shared/format.js';
import { CloudBrowser, useCloudBrowser } from './cloud-browser.js';
import { normaliseFolder } from './labels.js';
import '../syncs/syncs.css';
import './files.css';

/**
 * `/files/import`: pick files and folders in a connection's drive or bucket and import them into a folder of the
 * files store. The import runs in the background; its page follows it file by file.
 */
export function ImportFromCloud() {
  const b = useCloudBrowser();
  const navigate = useNavigate();
  const [folder, setFolder] = useState('/imports');
  const start = useWrite({
    run: () =>
      call(
        api.POST('/v1/storage/imports', {
          body: {
            connection_id: b.connectionId,
            root: b.root,
            items: [...b.picked.keys()],
            folder: normaliseFolder(folder),
          },
        }),
      ),
    success: () => `Import started: ${b.picked.size} picked.`,
    invalidate: [storageKeys.transfers],
    onSuccess: (t) => void navigate(`/files/imports/${t.id}`),
  });
  const picked = [...b.picked.values()];
  const pickedBytes = picked.reduce((n, i) => n + (i.size ?? 0), 0);
  const folders = picked.filter((i) => i.kind === 'folder').length;
  return (
    <section className="page sy-page fs-page" aria-labelledby="import-title">
      <header>
        <p className="breadcrumb">
          <Link to="/files">Files</Link> › Import from cloud
        </p>
        <h1 id="import-title">Import from cloud</h1>
        <p className="muted">
          Tick files and folders (a folder brings everything below it). Each file is downloaded, checked against the
          vendor’s hash where it lists one, and stored once; a file imported before at the same version is skipped.
        </p>
      </header>
      <CloudBrowser browser={b} mode="pick" />
      <section className="card stack" aria-labelledby="import-into-title" data-testid="import-summary">
        <h2 id="import-into-title" className="sy-section-title">
          Import
        </h2>
        {picked.length === 0 ? (
          <p className="muted">Nothing picked yet.</p>
        ) : (
          <p>
            {picked.length} picked: {picked.length - folders} {picked.length - folders === 1 ? 'file' : 'files'} (
            {bytes(pickedBytes)}){folders > 0 && ` and ${folders} ${folders === 1 ? 'folder' : 'folders'}`} —{' '}
            <span className="muted">{picked.map((i) => i.name).join(', ')}</span>{' '}
            <button type="button" className="link" onClick={b.clear}>
              Clear
            </button>
          </p>
        )}
        <div className="filters">
          <Field label="Into folder" help="The files store folder; the vendor’s folders become folders below it.">
            {(props) => <input {...props} value={folder} onChange={(e) => setFolder(e.target.value)} />}
          </Field>
          <button
            type="button"
            className="button button-primary sy-align-end"
            disabled={picked.length === 0 || start.isPending}
            onClick={() => start.mutate(undefined)}
          >
            {start.isPending ? 'Starting…' : 'Import'}
          </button>
        </div>
        {start.error ? <ErrorState error={start.error} /> : null}
      </section>
    </section>
  );
}

/**
 * `/files/export?files=…`: write files of the store into a folder of a connection's drive or bucket. Its page is the
 * import's page (an export is a transfer the other way).
 */
export function ExportToCloud() {
  const [params] = useSearchParams();
  const ids = (params.get('files') ?? '').split(',').filter(Boolean);
  const b = useCloudBrowser();
  const navigate = useNavigate();
  const files = useQueries({
    queries: ids.map((id) => ({
      queryKey: fileKeys.detail(id),
      queryFn: () => call(api.GET('/v1/files/{id}', { params: { path: { id } } })),
    })),
  });
  const start = useWrite({
    run: () =>
      call(
        api.POST('/v1/storage/exports', {
          body: { connection_id: b.connectionId, root: b.root, folder: b.folderPath, file_ids: ids },
        }),
      ),
    success: (t) => `Export started: ${t.counts.files} ${t.counts.files === 1 ? 'file' : 'files'}.`,
    invalidate: [storageKeys.transfers],
    onSuccess: (t) => void navigate(`/files/exports/${t.id}`),
  });
  const names = files.map((f, i) => f.data?.name ?? ids[i]);
  return (
    <section className="page sy-page fs-page" aria-labelledby="export-title">
      <header>
        <p className="breadcrumb">
          <Link to="/files">Files</Link> › Export to cloud
        </p>
        <h1 id="export-title">Export to cloud</h1>
        <p className="muted">
          {ids.length} {ids.length === 1 ? 'file' : 'files'}: {names.join(', ')}. Open the folder to write them into; a
          name that is taken there gets a new version where the vendor keeps versions.
        </p>
      </header>
      {ids.length === 0 && <p className="callout callout-warn">Select files in the store first.</p>}
      <CloudBrowser browser={b} mode="folder" uploadsOnly />
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          disabled={!b.root || ids.length === 0 || start.isPending}
          onClick={() => start.mutate(undefined)}
        >
          {start.isPending ? 'Starting…' : `Export into ${b.folderPath || 'the top folder'}`}
        </button>
      </div>
      {start.error ? <ErrorState error={start.error} /> : null}
    </section>
  );
}
