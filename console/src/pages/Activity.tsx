import { useQuery } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { api, call } from '../api.js';
import { auditKeys } from '../query-keys.js';
import { Badge, EmptyState, Field, formatTime, JsonBlock, SelectField, useCursorPages } from '../ui/components.js';
import { PagedTable } from '../ui/table.js';

type Filters = {
  action: string;
  outcome: '' | 'success' | 'failure' | 'denied';
  actor: string;
  since: string;
  until: string;
};
const none: Filters = { action: '', outcome: '', actor: '', since: '', until: '' };

/** The tenant's audit log: who did what to which object, with the outcome, newest first. */
export function Activity() {
  const pages = useCursorPages();
  const [draft, setDraft] = useState<Filters>(none);
  const [filters, setFilters] = useState<Filters>(none);
  const [open, setOpen] = useState<string | undefined>();
  const entries = useQuery({
    queryKey: auditKeys.page(filters, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/audit', {
          params: {
            query: {
              limit: 50,
              cursor: pages.cursor,
              ...(filters.action ? { action: filters.action } : {}),
              ...(filters.outcome ? { outcome: filters.outcome } : {}),
              ...(filters.actor ? { actor: filters.actor } : {}),
              ...(filters.since ? { since: new Date(filters.since).toISOString() } : {}),
              ...(filters.until ? { until: new Date(filters.until).toISOString() } : {}),
            },
          },
        }),
      ),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    pages.reset();
  };
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <section className="page" aria-labelledby="activity-title">
      <h1 id="activity-title">Activity log</h1>
      <p className="muted">Every change and every refused request in this tenant, newest first.</p>
      <form className="filters card" onSubmit={apply} aria-label="Filter the activity log">
        <Field label="Action" help="Exact, or a prefix such as connection.*">
          {(p) => <input {...p} value={draft.action} onChange={(e) => set({ action: e.target.value })} />}
        </Field>
        <SelectField
          label="Outcome"
          value={draft.outcome}
          onChange={(v) => set({ outcome: v as Filters['outcome'] })}
          empty="Any"
          options={[
            { value: 'success', label: 'Success' },
            { value: 'failure', label: 'Failure' },
            { value: 'denied', label: 'Denied' },
          ]}
        />
        <Field label="Actor id">
          {(p) => <input {...p} value={draft.actor} onChange={(e) => set({ actor: e.target.value })} />}
        </Field>
        <Field label="From">
          {(p) => (
            <input {...p} type="datetime-local" value={draft.since} onChange={(e) => set({ since: e.target.value })} />
          )}
        </Field>
        <Field label="Until">
          {(p) => (
            <input {...p} type="datetime-local" value={draft.until} onChange={(e) => set({ until: e.target.value })} />
          )}
        </Field>
        <div className="row">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(none);
              setFilters(none);
              pages.reset();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <PagedTable
        query={entries}
        pages={pages}
        empty={
          <EmptyState title="Nothing recorded">
            {filters === none
              ? 'Changes made through the API, CLI or console appear here.'
              : 'No entry matches these filters.'}
          </EmptyState>
        }
        columns={['Time', 'Actor', 'Action', 'Target', 'Outcome']}
        actions="Details"
        row={(entry) => (
          <Fragment key={entry.id}>
            <tr>
              <td>{formatTime(entry.created_at)}</td>
              <td>
                {entry.actor.label ?? entry.actor.type}
                <div className="small muted">{entry.actor.type.replace('_', ' ')}</div>
              </td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>
                {entry.target.type ? (
                  <>
                    {entry.target.type} <code className="small">{entry.target.id}</code>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <Badge
                  value={entry.outcome === 'success' ? 'active' : entry.outcome === 'denied' ? 'paused' : 'error'}
                  label={entry.outcome}
                />
                {entry.error_code && <div className="small muted">{entry.error_code}</div>}
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  aria-expanded={open === entry.id}
                  onClick={() => setOpen(open === entry.id ? undefined : entry.id)}
                >
                  {open === entry.id ? 'Hide' : 'Details'}
                </button>
              </td>
            </tr>
            {open === entry.id && (
              <tr>
                <td colSpan={6}>
                  <dl className="details">
                    <dt>Request id</dt>
                    <dd>
                      <code>{entry.request_id ?? '—'}</code>
                    </dd>
                    <dt>Status</dt>
                    <dd>{entry.status_code ?? '—'}</dd>
                    <dt>Actor id</dt>
                    <dd>
                      <code>{entry.actor.id ?? '—'}</code>
                    </dd>
                  </dl>
                  {Object.keys(entry.diff).length > 0 && <JsonBlock value={entry.diff} label="Changes" />}
                </td>
              </tr>
            )}
          </Fragment>
        )}
      />
    </section>
  );
}
