import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { fileKeys, syncKeys } from '../../query-keys.js';
import { ConfirmDialog, EmptyState, Field, Time, useCursorPages } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { useNotify } from '../../ui/notify.js';
import { PagedTable } from '../../ui/table.js';
import { RowActions, RowButton } from '../webhooks/shared/controls.js';
import { bytes } from '../webhooks/shared/format.js';
import { FileDrop } from './drop-zone.js';
import { FilePanel } from './file-panel.js';
import { FolderTrail, FolderTree, UsageBar } from './folder-tree.js';
import { sourceText } from './labels.js';
import { useStorageConnections, useUsage } from './queries.js';
import { fileContentUrl, type StoredFile } from './upload.js';
import '../syncs/syncs.css';
import './files.css';

/**
 * `/files`: the files store — uploads, files imported from cloud storage, exports. A folder tree and breadcrumbs,
 * search by name, upload (large files resumably, with progress), usage against the quota, and a file's panel
 * (preview, versions, rename, link). Files picked with their checkboxes can be exported to cloud storage.
 */
export function FilesStore() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const folder = params.get('folder') ?? '';
  const q = params.get('q') ?? '';
  const open = params.get('file');
  const [draft, setDraft] = useState(q);
  const pages = useCursorPages();
  const client = useQueryClient();
  const notify = useNotify();
  const navigate = useNavigate();
  const connections = useStorageConnections();
  const usage = useUsage();
  const list = useQuery({
    queryKey: fileKeys.page(folder, pages.cursor, q),
    queryFn: () =>
      call(
        api.GET('/v1/files', {
          params: {
            query: {
              limit: 25,
              ...(folder ? { folder } : {}),
              ...(q ? { q } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
  });
  const [picked, setPicked] = useState<Map<string, StoredFile>>(new Map());
  const [deleting, setDeleting] = useState<StoredFile>();
  const remove = useWrite({
    run: (file: StoredFile) => call(api.DELETE('/v1/files/{id}', { params: { path: { id: file.id } } })),
    success: (_, file) => `File “${file.name}” deleted.`,
    // An import names its file: the imports list shows it gone.
    invalidate: [fileKeys.all, syncKeys.all],
    onSuccess: (_, file) => {
      setDeleting(undefined);
      setPicked((p) => new Map([...p].filter(([id]) => id !== file.id)));
      if (open === file.id) show(undefined);
    },
  });
  const manage = can('manage_files');
  const mayExport = can('browse_storage') && connections.all.some((c) => c.upload);
  const setQuery = (next: { folder?: string; q?: string; file?: string | undefined }) => {
    const merged = { folder, q, file: open ?? '', ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)) as Record<string, string>);
  };
  const show = (file: string | undefined) => setQuery({ file: file ?? '' });
  const toggle = (file: StoredFile, on: boolean) =>
    setPicked((p) => {
      const next = new Map(p);
      if (on) next.set(file.id, file);
      else next.delete(file.id);
      return next;
    });
  const uploadInto = folder || '/';
  return (
    <section className="page sy-page fs-page" aria-labelledby="files-title">
      <header>
        <div>
          <h1 id="files-title">Files</h1>
          <p className="muted">
            Files uploaded here or through the API, imported from cloud storage, or kept by imports. The same bytes are
            stored once, whatever their names; a file uploaded again under its name gets a new version.
          </p>
        </div>
      </header>
      {usage.data && <UsageBar used={usage.data.used_bytes} quota={usage.data.quota_bytes} files={usage.data.files} />}
      <div className="fs-layout">
        <FolderTree current={folder || '/'} />
        <div className="stack fs-main">
          <FolderTrail folder={folder || '/'} />
          <form
            className="filters"
            role="search"
            aria-label="Search files"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery({ q: draft.trim() });
              pages.reset();
            }}
          >
            <Field label="Name contains">
              {(props) => <input {...props} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />}
            </Field>
            <button type="submit" className="button sy-align-end">
              Search
            </button>
          </form>
          {manage && (
            <UploadCard
              key={uploadInto}
              folder={uploadInto}
              onUploaded={(file) => {
                notify('success', `File “${file.name}” uploaded (${bytes(file.size)}).`);
                void client.invalidateQueries({ queryKey: fileKeys.all });
              }}
            />
          )}
          {picked.size > 0 && (
            <div className="fs-picked" role="region" aria-label="Selected files">
              <span>
                {picked.size} {picked.size === 1 ? 'file' : 'files'} selected ({bytes(sum(picked))})
              </span>
              {mayExport && (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() =>
                    void navigate(`/files/export?${new URLSearchParams({ files: [...picked.keys()].join(',') })}`)
                  }
                >
                  Export to cloud
                </button>
              )}
              <button type="button" className="button" onClick={() => setPicked(new Map())}>
                Clear selection
              </button>
            </div>
          )}
          <PagedTable
            query={list}
            pages={pages}
            loading="Loading files"
            empty={
              <EmptyState
                title={q ? `No file names contain “${q}”` : folder ? `No files in ${folder}` : 'No files yet'}
              >
                {manage
                  ? 'Upload one above, or import from cloud storage.'
                  : 'Someone with manage_files can upload one.'}
              </EmptyState>
            }
            testId="files-table"
            columns={['Select', 'Name', 'Folder', 'Size', 'Type', 'Source', 'Version', 'Added']}
            actions="Actions"
            row={(f) => (
              <tr key={f.id} data-testid="file-row" aria-current={open === f.id ? 'true' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${f.name}`}
                    checked={picked.has(f.id)}
                    onChange={(e) => toggle(f, e.target.checked)}
                  />
                </td>
                <td>
                  <button type="button" className="link fs-name" onClick={() => show(f.id)}>
                    {f.name}
                  </button>
                </td>
                <td>
                  <code>{f.folder}</code>
                </td>
                <td>{bytes(f.size)}</td>
                <td>
                  <code>{f.media_type}</code>
                </td>
                <td className="fs-source">{sourceText(f.source, connections.nameOf)}</td>
                <td>{f.version}</td>
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
        </div>
      </div>
      {open && (
        <FilePanel
          id={open}
          nameOf={connections.nameOf}
          onClose={() => show(undefined)}
          onDelete={(file) => setDeleting(file)}
        />
      )}
      <ConfirmDialog
        title="Delete the file"
        open={deleting !== undefined}
        confirmLabel="Delete file"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          “{deleting?.name}” ({bytes(deleting?.size ?? 0)}) is deleted from {deleting?.folder}, with its versions.
          Imports that read it can no longer run or be checked again; what they imported stays.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Upload into the folder shown (or another, typed). */
function UploadCard({ folder, onUploaded }: { folder: string; onUploaded: (file: StoredFile) => void }) {
  const [into, setInto] = useState(folder);
  return (
    <section className="card stack fs-upload" aria-labelledby="upload-title">
      <h2 id="upload-title" className="sy-section-title">
        Upload
      </h2>
      <div className="filters">
        <Field label="Into folder" help="A path such as /reports/2026; the folder shown by default.">
          {(props) => <input {...props} value={into} onChange={(e) => setInto(e.target.value)} />}
        </Field>
      </div>
      <FileDrop
        folder={into}
        hint="Files over 4 MB go up in chunks and resume after a dropped connection."
        onUploaded={onUploaded}
      />
    </section>
  );
}

const sum = (picked: Map<string, StoredFile>) => [...picked.values()].reduce((n, f) => n + f.size, 0);
