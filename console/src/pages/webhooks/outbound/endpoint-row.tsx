import type { Schemas } from '../../../api.js';
import { Badge, formatTime, Time } from '../../../ui/components.js';
import { RowActions, RowButton } from '../shared/controls.js';

export type Endpoint = Schemas['WebhookEndpoint'];

export const endpointColumns = ['URL', 'Event types', 'State', 'Signing', 'Created'] as const;

/** What a row's buttons open; absent for roles that cannot manage endpoints. */
export type EndpointActions = {
  edit: (endpoint: Endpoint) => void;
  rotate: (endpoint: Endpoint) => void;
  remove: (endpoint: Endpoint) => void;
};

export function EndpointRow({ endpoint: e, actions }: { endpoint: Endpoint; actions: EndpointActions | undefined }) {
  return (
    <tr>
      <td>
        <span className="wh-url">{e.url}</span>
        {e.description && <div className="muted small">{e.description}</div>}
        {e.filter && (
          <div className="small" data-testid="endpoint-filter">
            Filter: <code>{e.filter}</code>
          </div>
        )}
        {e.header_names.length > 0 && (
          <div className="small" data-testid="endpoint-headers">
            Headers: {e.header_names.join(', ')}
          </div>
        )}
      </td>
      <td>
        {e.event_types.length === 0 ? (
          <span className="muted">All event types</span>
        ) : (
          <ul className="wh-tags">
            {e.event_types.map((t) => (
              <li key={t}>
                <code>{t}</code>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <Badge value={e.enabled ? 'enabled' : 'disabled'} />
        {e.disabled_reason && <div className="muted small">{e.disabled_reason}</div>}
        {e.health.circuit !== 'closed' && (
          <div className="small">
            <Badge value="failed" label={`circuit ${e.health.circuit.replace('_', ' ')}`} />
          </div>
        )}
        {e.health.consecutive_failures > 0 && (
          <div className="muted small">{e.health.consecutive_failures} failures in a row</div>
        )}
      </td>
      <td className="small">
        {e.secrets.map((s) => (
          <div key={s.id}>
            {s.kind === 'hmac' ? 'HMAC' : 'Ed25519'}
            {s.expires_at && <span className="muted"> · retires {formatTime(s.expires_at)}</span>}
          </div>
        ))}
      </td>
      <td>
        <Time iso={e.created_at} />
      </td>
      {actions && (
        <td>
          <RowActions>
            <RowButton name={`Edit ${e.url}`} onClick={() => actions.edit(e)}>
              Edit
            </RowButton>
            <RowButton name={`Rotate secret of ${e.url}`} onClick={() => actions.rotate(e)}>
              Rotate secret
            </RowButton>
            <RowButton name={`Delete ${e.url}`} onClick={() => actions.remove(e)}>
              Delete
            </RowButton>
          </RowActions>
        </td>
      )}
    </tr>
  );
}
