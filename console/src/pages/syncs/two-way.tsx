import { Link } from 'react-router';
import { DataTable } from '../../ui/table.js';
import { count, normalizerLabels, twoWayDeleteLabels, type Execution, type SyncConfig, type TwoWay } from './labels.js';

const arrows = { both: '↔', a_to_b: '→', b_to_a: '←' } as const;

/** A bidirectional sync's settings in its summary: the pairs, the first-run match, timestamps and deletes. */
export function TwoWaySummary({ twoWay: t }: { twoWay: TwoWay }) {
  const norm = (n: keyof typeof normalizerLabels | undefined) =>
    n && n !== 'none' ? ` (${normalizerLabels[n].toLowerCase()})` : '';
  return (
    <>
      <dt>Paired fields</dt>
      <dd data-testid="two-way-pairs">
        {t.fields.map((f) => (
          <div key={`${f.a}|${f.b}`}>
            <code>{f.a}</code> {arrows[f.direction]} <code>{f.b}</code>
            <span className="muted small">{norm(f.normalize)}</span>
          </div>
        ))}
      </dd>
      <dt>First-run match</dt>
      <dd>
        {t.match ? (
          <>
            <code>{t.match.a}</code> = <code>{t.match.b}</code>
            <span className="muted small">{norm(t.match.normalize)}</span>
          </>
        ) : (
          'None: every record is created on the other side'
        )}
      </dd>
      {(t.timestamps.a || t.timestamps.b) && (
        <>
          <dt>Record timestamps</dt>
          <dd>
            A <code>{t.timestamps.a ?? '—'}</code>, B <code>{t.timestamps.b ?? '—'}</code>
          </dd>
        </>
      )}
      <dt>Deletes</dt>
      <dd>
        On A: {twoWayDeleteLabels[t.deletes.a].toLowerCase()}; on B: {twoWayDeleteLabels[t.deletes.b].toLowerCase()}
      </dd>
    </>
  );
}

/** A note and link when a sync has conflicts waiting in the inbox. */
export function OpenConflicts({ sync: s }: { sync: SyncConfig }) {
  if (!s.open_conflicts) return null;
  return (
    <p className="callout callout-warn" role="status" data-testid="sync-open-conflicts">
      {count(s.open_conflicts)} {s.open_conflicts === 1 ? 'record waits' : 'records wait'} for a decision, written to
      neither side: <Link to={`/syncs/conflicts?sync=${s.id}`}>resolve the conflicts</Link>.
    </p>
  );
}

/** A two-way run's counts per stream: written on each side, echoes suppressed, conflicts, unmatched, ambiguous. */
export function TwoWayCountsTable({ execution: e }: { execution: Execution }) {
  const streams = Object.entries(e.stream_progress).flatMap(([name, p]) => (p.two_way ? [{ name, c: p.two_way }] : []));
  if (streams.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="two-way-title">
      <h2 id="two-way-title">Both sides</h2>
      <DataTable
        columns={[
          'Stream',
          'Created on A',
          'Updated on A',
          'Deleted on A',
          'Created on B',
          'Updated on B',
          'Deleted on B',
          'Echoes suppressed',
          'Conflicts',
          'Unmatched',
          'Ambiguous',
        ]}
        testId="two-way-counts"
      >
        {streams.map(({ name, c }) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
            </td>
            <td>{count(c.a.created)}</td>
            <td>{count(c.a.updated)}</td>
            <td>{count(c.a.deleted)}</td>
            <td>{count(c.b.created)}</td>
            <td>{count(c.b.updated)}</td>
            <td>{count(c.b.deleted)}</td>
            <td>{count(c.echoes)}</td>
            <td>
              {c.conflicts > 0 ? (
                <Link to={`/syncs/conflicts?sync=${e.sync_id}`}>{count(c.conflicts)}</Link>
              ) : (
                count(c.conflicts)
              )}
            </td>
            <td>{count(c.unmatched)}</td>
            <td>{count(c.ambiguous)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
