import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors } from '../../api.js';
import { useSession } from '../../auth.js';
import { fileKeys } from '../../query-keys.js';
import { CopyButton, Dialog, ErrorState, Field, Loading, SelectField, formatTime } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { bytes } from '../webhooks/shared/format.js';
import { Versions } from './versions.js';
import { normaliseFolder, sourceText } from './labels.js';
import { FilePreview } from './preview.js';
import { fileContentUrl, type StoredFile } from './upload.js';

/**
 * A file's panel: what it is and where it came from, a preview, download, rename or move, an expiring link to
 * share, its versions (download or restore one) and delete.
 */
export function FilePanel({
  id,
  nameOf,
  onClose,
  onDelete,
}: {
  id: string;
  nameOf: (connectionId: string) => string;
  onClose: () => void;
  onDelete: (file: StoredFile) => void;
}) {
  const { can } = useSession();
  const file = useQuery({
    queryKey: fileKeys.detail(id),
    queryFn: () => call(api.GET('/v1/files/{id}', { params: { path: { id } } })),
  });
  const title = file.data ? file.data.name : 'File';
  return (
    <Dialog title={title} open onClose={onClose} wide>
      {file.isPending && <Loading what="Loading the file" />}
      {file.error ? <ErrorState error={file.error} /> : null}
      {file.data && (
        <div className="stack" data-testid="file-panel">
          <dl className="fs-facts">
            <dt>Folder</dt>
            <dd>
              <code>{file.data.folder}</code>
            </dd>
            <dt>Size</dt>
            <dd>{bytes(file.data.size)}</dd>
            <dt>Type</dt>
            <dd>
              <code>{file.data.media_type}</code>
            </dd>
            <dt>Version</dt>
            <dd>{file.data.version}</dd>
            <dt>Source</dt>
            <dd>{sourceText(file.data.source, nameOf)}</dd>
            <dt>Added</dt>
            <dd>{formatTime(file.data.created_at)}</dd>
            <dt>SHA-256</dt>
            <dd>
              <code className="fd-sha">{file.data.sha256}</code>
            </dd>
          </dl>
          <section aria-label="Preview" className="fs-preview">
            <FilePreview file={file.data} />
          </section>
          <div className="row">
            <a className="button" href={fileContentUrl(file.data.id)} download={file.data.name}>
              Download
            </a>
            {can('manage_files') && (
              <button type="button" className="button button-danger" onClick={() => onDelete(file.data)}>
                Delete…
              </button>
            )}
          </div>
          {can('manage_files') && <MoveForm key={file.data.version + file.data.name} file={file.data} />}
          {can('manage_files') && <ShareLink file={file.data} />}
          <Versions file={file.data} />
        </div>
      )}
    </Dialog>
  );
}

function MoveForm({ file }: { file: StoredFile }) {
  const [name, setName] = useState(file.name);
  const [folder, setFolder] = useState(file.folder);
  const move = useWrite({
    run: (body: { name?: string; folder?: string }) =>
      call(api.PATCH('/v1/files/{id}', { params: { path: { id: file.id } }, body })),
    success: (moved) => `Saved as ${moved.folder === '/' ? '' : moved.folder}/${moved.name}.`,
    invalidate: [fileKeys.all],
  });
  const errors = fieldErrors(move.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = normaliseFolder(folder);
    move.mutate({
      ...(name.trim() !== file.name ? { name: name.trim() } : {}),
      ...(target !== file.folder ? { folder: target } : {}),
    });
  };
  const unchanged = name.trim() === file.name && normaliseFolder(folder) === file.folder;
  return (
    <form className="card stack" aria-label="Rename or move" onSubmit={submit}>
      <h3 className="sy-section-title">Rename or move</h3>
      <div className="filters">
        <Field label="Name" error={errors.name}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Folder" error={errors.folder}>
          {(props) => <input {...props} value={folder} onChange={(e) => setFolder(e.target.value)} />}
        </Field>
        <button type="submit" className="button sy-align-end" disabled={unchanged || move.isPending}>
          {move.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

const LIFETIMES = [
  { value: 3600, label: '1 hour' },
  { value: 86_400, label: '1 day' },
  { value: 7 * 86_400, label: '7 days' },
];

/** An expiring link to the file's current version, for people without a Switchyard account. */
function ShareLink({ file }: { file: StoredFile }) {
  const [lifetime, setLifetime] = useState(3600);
  const link = useWrite({
    run: (seconds: number) =>
      call(
        api.POST('/v1/files/{id}/links', {
          params: { path: { id: file.id } },
          body: { expires_in_seconds: seconds, version: file.version },
        }),
      ),
  });
  const url = link.data ? new URL(link.data.url, window.location.origin).toString() : undefined;
  return (
    <section className="card stack" aria-labelledby="share-title">
      <h3 id="share-title" className="sy-section-title">
        Share a link
      </h3>
      <p className="muted small">
        Anyone with the link can download version {file.version} until it expires. Deleting the file ends it.
      </p>
      <div className="filters">
        <SelectField
          label="Expires after"
          value={lifetime}
          onChange={(v) => setLifetime(Number(v))}
          options={LIFETIMES}
        />
        <button
          type="button"
          className="button sy-align-end"
          disabled={link.isPending}
          onClick={() => link.mutate(lifetime)}
        >
          {link.isPending ? 'Making…' : 'Make link'}
        </button>
      </div>
      {url && link.data && (
        <p className="fs-link" data-testid="share-link">
          <code>{url}</code> <CopyButton text={url} label="Copy link" />{' '}
          <span className="muted small">expires {formatTime(link.data.expires_at)}</span>
        </p>
      )}
    </section>
  );
}
