import { Badge, Time } from '../../../ui/components.js';
import { RowActions, RowButton } from '../shared/controls.js';
import { bytes } from '../shared/format.js';
import { replayableStatuses, type InboundEvent } from './queries.js';

export const eventColumns = ['Received', 'Source', 'Type', 'Status', 'Payload preview'] as const;

/** One received request in the log; `onReplay` only for roles that may replay. */
export function EventRow({
  event: e,
  onOpen,
  onReplay,
  replaying,
}: {
  event: InboundEvent;
  onOpen: () => void;
  onReplay: (() => void) | undefined;
  replaying: boolean;
}) {
  return (
    <tr data-testid="event-row">
      <td>
        <Time iso={e.received_at} />
      </td>
      <td>{e.source_name}</td>
      <td>{e.event_type ? <code>{e.event_type}</code> : <span className="muted">—</span>}</td>
      <td>
        <Badge value={e.status} />
        {e.replays > 0 && <div className="muted small">replayed {e.replays}×</div>}
        {(e.rejection ?? e.error) && <div className="small">{e.rejection ?? e.error}</div>}
      </td>
      <td className="wh-preview">
        {e.preview ? (
          <code>{e.preview.length > 160 ? `${e.preview.slice(0, 160)}…` : e.preview}</code>
        ) : (
          <span className="muted">{e.status === 'rejected' ? 'not kept' : 'empty'}</span>
        )}
        <div className="muted small">{bytes(e.body_size)}</div>
      </td>
      <td>
        <RowActions>
          <RowButton name={`Payload of event ${e.id}`} onClick={onOpen}>
            Payload
          </RowButton>
          {onReplay && replayableStatuses.has(e.status) && (
            <RowButton name={`Replay event ${e.id}`} disabled={replaying} onClick={onReplay}>
              {replaying ? 'Replaying…' : 'Replay'}
            </RowButton>
          )}
        </RowActions>
      </td>
    </tr>
  );
}
