import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { fileKeys, syncKeys } from '../../../query-keys.js';
import { ConfirmDialog, EmptyState, Field, Time, useCursorPages } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { useNotify } from '../../../ui/notify.js';
import { PagedTable } from '../../../ui/table.js';
import { RowActions, RowButton } from '../../webhooks/shared/controls.js';
import { bytes } from '../../webhooks/shared/format.js';
import { FileDrop } from './drop-zone.js';
import { fileContentUrl, type StoredFile } from './upload.js';
import '../syncs.css';
import './files.css';

/** A folder as the files store keeps it (`imports/2026/` → `/imports/2026`), so a filter matches what was typed. */
export function normaliseFolder(text: string): string {
  const parts = text.split('/').filter(Boolean);
  return `/${parts.join('/')}`;
}

const sourceLabel = (source: StoredFile['source']) => (typeof source.kind === 'string' ? source.kind : 'unknown');

/**
 * `/syncs/files`: the files store — what was uploaded (for imports, or by the API), exported or kept by imports.
 * Filter by folder, download, delete, and upload (large files resumably, with progress).
 */
export function Files() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const folder = params.get('folder') ?? '';
  const [draft, setDraft] = useState(folder);
  const [uploadFolder, setUploadFolder] = useState(folder || '/');
  const pages = useCursorPages();
  const client = useQueryClient();
  const notify = useNotify();
  const list = useQuery({
    queryKey: fileKeys.page(folder, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/files', {
          params: {
            query: { limit: 25, ...(folder ? { folder } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) },
          },
        }),
      ),
  });
  const [deleting, setDeleting] = useState<StoredFile>();
  const remove = useWrite({
    run: (file: StoredFile) => call(api.DELETE('/v1/files/{id}', { params: { path: { id: file.id } } })),
    success: (_, file) => `File “${file.name}” deleted.`,
    // An import names its file: the imports list shows it gone.
    invalidate: [fileKeys.all, syncKeys.all],
    onSuccess: () => setDeleting(undefined),
  });
  const manage = can('manage_files');
  return (
    <section className="page sy-page" aria-labelledby="files-title">
      <header>
        <h1 id="files-title">Files</h1>
        <p className="muted">
          The files store: files uploaded for imports or through the API, and exports saved here. The same bytes are
          stored once, whatever their names.
        </p>
      </header>
      {manage && (
        <section className="card stack" aria-labelledby="upload-title">
          <h2 id="upload-title" className="sy-section-title">
            Upload
          </h2>
          <div className="filters">
            <Field label="Into folder" help="A path such as /imports/2026; / by default.">
              {(props) => <input {...props} value={uploadFolder} onChange={(e) => setUploadFolder(e.target.value)} />}
            </Field>
          </div>
          <FileDrop
            folder={uploadFolder}
            hint="Files over 4 MB go up in chunks and resume after a dropped connection."
            onUploaded={(file) => {
              notify('success', `File “${file.name}” uploaded (${bytes(file.size)}).`);
              void client.invalidateQueries({ queryKey: fileKeys.all });
            }}
          />
        </section>
      )}
      <form
        className="filters"
        role="search"
        aria-label="Filter files"
        onSubmit={(e) => {
          e.preventDefault();
          const next = draft.trim() ? normaliseFolder(draft) : '';
          setDraft(next);
          setParams(next ? { folder: next } : {});
          pages.reset();
        }}
      >
        <Field label="Folder">
          {(props) => (
            <input {...props} value={draft} placeholder="All folders" onChange={(e) => setDraft(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="button sy-align-end">
          Filter
        </button>
      </form>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading files"
        empty={
          <EmptyState title={folder ? `No files in ${folder}` : 'No files yet'}>
            {manage ? 'Upload one above, or start an import.' : 'Someone with manage_files can upload one.'}
          </EmptyState>
        }
        testId="files-table"
        columns={['Name', 'Folder', 'Size', 'Type', 'SHA-256', 'Source', 'Added']}
        actions="Actions"
        row={(f) => (
          <tr key={f.id} data-testid="file-row">
            <td>
              <strong>{f.name}</strong>
            </td>
            <td>
              <code>{f.folder}</code>
            </td>
            <td>{bytes(f.size)}</td>
            <td>
              <code>{f.media_type}</code>
            </td>
            <td>
              <code className="fd-sha" title={f.sha256}>
                {f.sha256.slice(0, 12)}
              </code>
            </td>
            <td>{sourceLabel(f.source)}</td>
            <td>
              <Time iso={f.created_at} />
            </td>
            <td>
              <RowActions>
                <a className="button button-small" href={fileContentUrl(f.id)} download={f.name}>
                  Download<span className="visually-hidden"> {f.name}</span>
                </a>
                {manage && (
                  <RowButton name={`Delete ${f.name}`} onClick={() => setDeleting(f)}>
                    Delete
                  </RowButton>
                )}
              </RowActions>
            </td>
          </tr>
        )}
      />
      <ConfirmDialog
        title="Delete the file"
        open={deleting !== undefined}
        confirmLabel="Delete file"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          “{deleting?.name}” ({bytes(deleting?.size ?? 0)}) is deleted from {deleting?.folder}. Imports that read it can
          no longer run or be checked again; what they imported stays.
        </p>
      </ConfirmDialog>
    </section>
  );
}
