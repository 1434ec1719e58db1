import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { fileKeys } from '../../query-keys.js';
import { Badge, ErrorState, Loading, Time } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { DataTable } from '../../ui/table.js';
import { RowActions, RowButton } from '../webhooks/shared/controls.js';
import { bytes } from '../webhooks/shared/format.js';
import type { StoredFile } from './upload.js';

const versionUrl = (id: string, version: number) => `/v1/files/${encodeURIComponent(id)}/versions/${version}/content`;

/** A file's versions, newest first: download any, restore an older one (it becomes a new current version). */
export function Versions({ file }: { file: StoredFile }) {
  const { can } = useSession();
  const versions = useQuery({
    queryKey: [...fileKeys.versions(file.id), file.version],
    queryFn: () =>
      call(api.GET('/v1/files/{id}/versions', { params: { path: { id: file.id }, query: { limit: 100 } } })),
  });
  const restore = useWrite({
    run: (version: number) =>
      call(api.POST('/v1/files/{id}/versions/{version}/restore', { params: { path: { id: file.id, version } } })),
    success: (_, version) => `Version ${version} of “${file.name}” restored.`,
    invalidate: [fileKeys.all],
  });
  return (
    <section className="stack" aria-labelledby="versions-title">
      <h3 id="versions-title" className="sy-section-title">
        Versions
      </h3>
      {versions.isPending && <Loading what="Loading versions" />}
      {versions.error ? <ErrorState error={versions.error} /> : null}
      {versions.data && (
        <DataTable columns={['Version', 'Size', 'SHA-256', 'Added']} actions="Actions" testId="file-versions">
          {versions.data.data.map((v) => (
            <tr key={v.version} data-testid="version-row">
              <td>
                {v.version} {v.current && <Badge value="current" color="good" />}
              </td>
              <td>{bytes(v.size)}</td>
              <td>
                <code className="fd-sha" title={v.sha256}>
                  {v.sha256.slice(0, 12)}
                </code>
              </td>
              <td>
                <Time iso={v.created_at} />
              </td>
              <td>
                <RowActions>
                  <a className="button button-small" href={versionUrl(file.id, v.version)} download={file.name}>
                    Download<span className="visually-hidden"> version {v.version}</span>
                  </a>
                  {can('manage_files') && !v.current && (
                    <RowButton name={`Restore version ${v.version}`} onClick={() => restore.mutate(v.version)}>
                      Restore
                    </RowButton>
                  )}
                </RowActions>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
