import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call, SwitchyardError } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { fileKeys } from '../../../query-keys.js';
import { bytes } from '../../webhooks/shared/format.js';
import { fileContentUrl } from '../../files/upload.js';
import type { SyncConfig } from '../labels.js';
import { formatLabels, newColumnShort, onErrorShort } from './state.js';

type FileSource = Extract<SyncConfig['source'], { kind: 'file' }>;

/** A sync's file source in its summary: the file (download, its folder), how it is read, and its import history. */
export function FileSourceSummary({ syncId, source }: { syncId: string; source: FileSource }) {
  const { can } = useSession();
  const file = useQuery({
    queryKey: fileKeys.detail(source.file_id),
    queryFn: () => call(api.GET('/v1/files/{id}', { params: { path: { id: source.file_id } } })),
    enabled: can('view_files'),
    retry: false,
  });
  const gone = file.error instanceof SwitchyardError && file.error.status === 404;
  return (
    <div className="stack" data-testid="file-source">
      <div>
        File{' '}
        {file.data ? (
          <>
            <a href={fileContentUrl(file.data.id)} download={file.data.name}>
              {file.data.name}
            </a>{' '}
            <span className="muted small">
              ({bytes(file.data.size)}, in{' '}
              <Link to={`/files?${new URLSearchParams({ folder: file.data.folder })}`}>{file.data.folder}</Link>)
            </span>
          </>
        ) : (
          <>
            <code>{source.file_id}</code>
            {gone && <span className="muted small"> (deleted)</span>}
          </>
        )}{' '}
        read as {formatLabels[source.format.format]}
      </div>
      <div className="muted small">
        {source.schema ? `${source.schema.length} fields checked` : 'No schema'} · a bad record:{' '}
        {onErrorShort[source.on_error]} · new columns: {newColumnShort[source.new_columns]}
      </div>
      <div>
        <Link to={`/syncs/imports?${new URLSearchParams({ sync: syncId })}`}>Import history</Link>
      </div>
    </div>
  );
}
