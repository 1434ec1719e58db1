import { Badge } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { duration } from '../webhooks/shared/format.js';
import { outcomeTone } from './labels.js';
import type { Attempt } from './types.js';

/** An outcome word as a badge in its tone ("rate limited" in amber, "failed" in red). */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge value={outcome} color={outcomeTone[outcome]} />;
}

/** The providers a call tried, in order, each with its outcome, the vendor's reason and how long it took. */
export function AttemptsTable({ attempts, nameOf }: { attempts: Attempt[]; nameOf?: (id: string) => string }) {
  if (attempts.length === 0) return <p className="muted small">No provider was called.</p>;
  return (
    <DataTable columns={['#', 'Provider', 'Outcome', 'Reason', 'Status', 'Latency']} testId="attempts">
      {attempts.map((a, i) => (
        <tr key={i} data-testid="attempt-row">
          <td>{i + 1}</td>
          <td>
            {nameOf?.(a.connection_id) ?? a.connection_id}
            <div className="muted small">{a.connector}</div>
          </td>
          <td>
            <OutcomeBadge outcome={a.outcome} />
          </td>
          <td className="rt-reason">{a.reason}</td>
          <td>{a.status ?? '—'}</td>
          <td>{duration(a.latency_ms)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
