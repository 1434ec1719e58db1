import { Badge, CopyButton, formatTime } from '../../../ui/components.js';
import { RowActions, RowButton } from '../shared/controls.js';
import { countOf } from '../shared/format.js';
import { schemeLabel, type Source } from './schemes.js';

export const sourceColumns = ['Source', 'URL', 'Verification', 'State', 'Rejected'] as const;

/** What a row's buttons open; absent for roles that cannot manage sources. */
export type SourceActions = {
  edit: (source: Source) => void;
  rotateToken: (source: Source) => void;
  rotateSecret: (source: Source) => void;
  remove: (source: Source) => void;
};

export function SourceRow({
  source: s,
  connectionName,
  actions,
  onRules,
}: {
  source: Source;
  connectionName: string | undefined;
  actions: SourceActions | undefined;
  /** Open the source's routing rules (edited or, without manage_inbound, listed). */
  onRules: (source: Source) => void;
}) {
  return (
    <tr data-testid="source-row">
      <td>
        <strong>{s.name}</strong>
        {s.description && <div className="muted small">{s.description}</div>}
        {s.connection_id && <div className="small">Connection: {connectionName}</div>}
        <div className="small">
          <button type="button" className="link" onClick={() => onRules(s)}>
            {countOf(s.rules.length, 'rule', 'rules')}
            <span className="visually-hidden"> of {s.name}</span>
          </button>
        </div>
      </td>
      <td>
        <div className="wh-copy">
          <code className="wh-url" data-testid="source-url">
            {s.url}
          </code>
          <CopyButton text={s.url} label="Copy URL" />
        </div>
        {s.previous_url_expires_at && (
          <div className="muted small">The previous URL works until {formatTime(s.previous_url_expires_at)}.</div>
        )}
      </td>
      <td>
        {schemeLabel(s.verification.type)}
        <div className="muted small">
          {s.verification.type === 'none' ? 'no secret' : countOf(s.secrets.length, 'secret', 'secrets')}
          {s.verification.ip_allow?.length ? ` · ${s.verification.ip_allow.length} IP ranges` : ''}
        </div>
      </td>
      <td>
        <Badge value={s.enabled ? 'enabled' : 'disabled'} />
      </td>
      <td>
        {s.rejections.count}
        {s.rejections.last_reason && (
          <div className="muted small" title={formatTime(s.rejections.last_at)}>
            Last: {s.rejections.last_reason}
          </div>
        )}
      </td>
      {actions && (
        <td>
          <RowActions>
            <RowButton name={`Edit ${s.name}`} onClick={() => actions.edit(s)}>
              Edit
            </RowButton>
            <RowButton name={`Rotate URL of ${s.name}`} onClick={() => actions.rotateToken(s)}>
              Rotate URL
            </RowButton>
            {s.verification.type !== 'none' && (
              <RowButton name={`Rotate secret of ${s.name}`} onClick={() => actions.rotateSecret(s)}>
                Rotate secret
              </RowButton>
            )}
            <RowButton name={`Delete ${s.name}`} onClick={() => actions.remove(s)}>
              Delete
            </RowButton>
          </RowActions>
        </td>
      )}
    </tr>
  );
}
