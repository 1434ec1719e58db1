import { Fragment, useState } from 'react';
import {
  EmptyState,
  ErrorState,
  formatTime,
  Loading,
  Pager,
  SelectField,
  Time,
  useCursorPages,
} from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { duration } from '../webhooks/shared/format.js';
import { AttemptsTable, OutcomeBadge } from './attempts.js';
import { providerName, useRouteCalls } from './queries.js';
import type { CallOutcome, Route, RouteCall } from './types.js';

const outcomes: CallOutcome[] = ['ok', 'fallback', 'fused', 'rate_limited', 'queued', 'expired', 'failed', 'no_data'];
const columns = ['When', 'Provider', 'Outcome', 'Reason', 'Latency', 'Attempts'];

/** Every call through the route, newest first: who answered, the outcome and why; each expands to its attempts. */
export function CallLog({ route }: { route: Route }) {
  const pages = useCursorPages();
  const [outcome, setOutcome] = useState<CallOutcome | ''>('');
  const [open, setOpen] = useState<string>();
  const calls = useRouteCalls(route.name, outcome, pages.cursor);
  const nameOf = providerName(route);
  return (
    <section className="card stack" aria-labelledby="calls-title">
      <div className="page-header">
        <h2 id="calls-title" className="rt-section-title">
          Call log
        </h2>
        <SelectField
          label="Outcome"
          value={outcome}
          empty="Every outcome"
          options={outcomes.map((o) => ({ value: o, label: o.replaceAll('_', ' ') }))}
          onChange={(v) => {
            setOutcome(v as CallOutcome | '');
            pages.reset();
          }}
        />
      </div>
      {calls.isPending ? (
        <Loading what="Loading calls" />
      ) : calls.error ? (
        <ErrorState error={calls.error} retry={() => void calls.refetch()} />
      ) : calls.data.data.length === 0 && pages.page === 1 ? (
        <EmptyState title={outcome ? 'No call with this outcome' : 'No calls yet'}>
          Calls to <code>POST /v1/routes/{route.name}/query</code> and “Try it” runs appear here.
        </EmptyState>
      ) : (
        <>
          <DataTable columns={columns} testId="route-calls">
            {calls.data.data.map((c) => (
              <CallRow
                key={c.id}
                call={c}
                nameOf={nameOf}
                open={open === c.id}
                toggle={() => setOpen(open === c.id ? undefined : c.id)}
              />
            ))}
          </DataTable>
          <Pager pages={pages} nextCursor={calls.data.next_cursor} />
        </>
      )}
    </section>
  );
}

function CallRow({
  call: c,
  nameOf,
  open,
  toggle,
}: {
  call: RouteCall;
  nameOf: (id: string) => string;
  open: boolean;
  toggle: () => void;
}) {
  return (
    <Fragment>
      <tr data-testid="call-row">
        <td>
          {formatTime(c.at)}
          <div className="muted small">
            <Time iso={c.at} />
          </div>
        </td>
        <td>{c.connection_id ? nameOf(c.connection_id) : <span className="muted">—</span>}</td>
        <td>
          <OutcomeBadge outcome={c.outcome} />
        </td>
        <td className="rt-reason">{c.reason}</td>
        <td>{duration(c.latency_ms)}</td>
        <td>
          <button
            type="button"
            className="button button-small"
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} the ${c.attempts.length} attempts of the call at ${formatTime(c.at)}`}
            onClick={toggle}
          >
            {c.attempts.length} {open ? '▴' : '▾'}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="rt-expanded">
          <td colSpan={columns.length}>
            <AttemptsTable attempts={c.attempts} nameOf={nameOf} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
