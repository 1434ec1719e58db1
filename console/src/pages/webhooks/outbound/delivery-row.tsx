import type { Schemas } from '../../../api.js';
import { Badge, Time } from '../../../ui/components.js';
import { RowButton } from '../shared/controls.js';

export const deliveryColumns = ['Created', 'Event', 'Endpoint', 'Status', 'Attempts', 'Last response', 'Next attempt'];

export function DeliveryRow({
  delivery: d,
  url,
  onOpen,
}: {
  delivery: Schemas['WebhookDelivery'];
  url: string;
  onOpen: () => void;
}) {
  return (
    <tr data-testid="delivery-row">
      <td>
        <Time iso={d.created_at} />
      </td>
      <td>
        <code>{d.event_type}</code>
        <div className="muted small">
          <code>{d.event_id}</code>
        </div>
      </td>
      <td className="wh-url">{url}</td>
      <td>
        <Badge value={d.status} />
        {d.skip_reason && <div className="muted small">{d.skip_reason}</div>}
      </td>
      <td>{d.attempt_count}</td>
      <td>{d.last_status_code ?? (d.last_error ? <span className="small">{d.last_error}</span> : '—')}</td>
      <td>{d.next_attempt_at ? <Time iso={d.next_attempt_at} /> : '—'}</td>
      <td>
        <RowButton name={`Details of delivery ${d.id}`} onClick={onOpen}>
          Details
        </RowButton>
      </td>
    </tr>
  );
}
