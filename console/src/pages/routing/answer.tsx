import { SwitchyardError } from '../../api.js';
import { Badge, ErrorState, JsonBlock, Time } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { duration } from '../webhooks/shared/format.js';
import { AttemptsTable } from './attempts.js';
import { breakerLabels, breakerTone } from './labels.js';
import type { Attempt, Explanation, FieldProvenance, Fusion, FusionConflict, QueryAnswer } from './types.js';

type NameOf = (id: string) => string;

/** What a query answered: who answered and why, the attempts, then the record (fused: field by field). */
export function AnswerView({ answer: a, nameOf }: { answer: QueryAnswer; nameOf: NameOf }) {
  return (
    <div className="stack" data-testid="query-answer">
      <p className="callout callout-info" data-testid="answered-by">
        {a.provider ? (
          <>
            Answered by <strong>{nameOf(a.provider.connection_id)}</strong> ({a.provider.connector}): {a.reason}
          </>
        ) : (
          <>
            Fused from {a.attempts.filter((t) => t.outcome === 'ok').length} providers: {a.reason}
          </>
        )}
        {a.queued_ms !== undefined && a.queued_ms > 0 && <> · waited {duration(a.queued_ms)} in the queue</>}
      </p>
      <AttemptsTable attempts={a.attempts} nameOf={nameOf} />
      {a.fusion ? (
        <FusedRecords data={a.data} fusion={a.fusion} nameOf={nameOf} />
      ) : (
        <JsonBlock value={a.data} label="Answer" testId="answer-data" />
      )}
    </div>
  );
}

/** Who a fused field came from: one provider, or every provider that contributed (an aggregate, a list). */
function fromText(from: FieldProvenance | undefined, nameOf: NameOf): string {
  if (!from) return '—';
  return 'connection_ids' in from ? from.connection_ids.map(nameOf).join(', ') : nameOf(from.connection_id);
}

/** The conflict of a field in a record: for a list, the conflict whose key fields match the record's. */
function conflictOf(conflicts: FusionConflict[], field: string, record: Record<string, unknown>) {
  return conflicts.find(
    (c) => c.field === field && (!c.key || Object.entries(c.key).every(([k, v]) => record[k] === v)),
  );
}

/**
 * A fused answer: each field with its value and the provider it came from; a field the providers disagreed on beyond
 * the tolerance is highlighted with every provider's value, and a field from a non-redistributable source is marked.
 */
export function FusedRecords({ data, fusion, nameOf }: { data: QueryAnswer['data']; fusion: Fusion; nameOf: NameOf }) {
  const tainted = new Set(fusion.tainted_fields);
  return (
    <div className="stack" data-testid="fused-record">
      {!fusion.redistributable && (
        <p className="callout callout-warn small" role="note">
          This answer holds data from a source whose licence does not allow redistribution: the marked fields may not be
          passed on outside your organisation.
        </p>
      )}
      {fusion.conflicts.length > 0 && (
        <p className="small" data-testid="conflict-count">
          {fusion.conflicts.length} {fusion.conflicts.length === 1 ? 'value' : 'values'} disagreed beyond the tolerance.
        </p>
      )}
      {data === null ? (
        <p className="muted">No provider had a record for this query.</p>
      ) : Array.isArray(data) ? (
        <FusedList records={data} fusion={fusion} tainted={tainted} nameOf={nameOf} />
      ) : (
        <DataTable columns={['Field', 'Value', 'From', 'Notes']} testId="fused-fields">
          {Object.entries(data).map(([field, value]) => {
            const conflict = conflictOf(fusion.conflicts, field, data);
            return (
              <tr
                key={field}
                data-testid={`fused-${field}`}
                className={[conflict ? 'rt-conflict' : '', tainted.has(field) ? 'rt-tainted' : '']
                  .filter(Boolean)
                  .join(' ')}
              >
                <th scope="row">
                  <code>{field}</code>
                </th>
                <td className="rt-value">{format(value)}</td>
                <td>{fromText(fusion.provenance[field], nameOf)}</td>
                <td>
                  {conflict && <ConflictNote conflict={conflict} nameOf={nameOf} />}
                  {tainted.has(field) && <Badge value="tainted" label="not redistributable" color="warn" />}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}

function ConflictNote({ conflict, nameOf }: { conflict: FusionConflict; nameOf: NameOf }) {
  return (
    <>
      <Badge value="conflict" color="bad" />
      <ul className="rt-conflict-values small">
        {conflict.values.map((v) => (
          <li key={v.connection_id}>
            {nameOf(v.connection_id)}: {format(v.value)}
          </li>
        ))}
      </ul>
    </>
  );
}

const LIST_ROWS = 50;

/** A fused list (historical bars): one row per record, a first row saying where each column came from. */
function FusedList({
  records,
  fusion,
  tainted,
  nameOf,
}: {
  records: Record<string, unknown>[];
  fusion: Fusion;
  tainted: Set<string>;
  nameOf: NameOf;
}) {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return (
    <>
      <DataTable columns={fields} testId="fused-list">
        <tr className="rt-provenance">
          {fields.map((f) => (
            <td key={f} className={tainted.has(f) ? 'rt-tainted small' : 'small'}>
              from {fromText(fusion.provenance[f], nameOf)}
              {tainted.has(f) && <Badge value="tainted" label="not redistributable" color="warn" />}
            </td>
          ))}
        </tr>
        {records.slice(0, LIST_ROWS).map((record, i) => (
          <tr key={i}>
            {fields.map((f) => {
              const conflict = conflictOf(fusion.conflicts, f, record);
              return (
                <td key={f} className={conflict ? 'rt-conflict rt-value' : 'rt-value'}>
                  {format(record[f])}
                  {conflict && <ConflictNote conflict={conflict} nameOf={nameOf} />}
                </td>
              );
            })}
          </tr>
        ))}
      </DataTable>
      {records.length > LIST_ROWS && (
        <p className="muted small">
          The first {LIST_ROWS} of {records.length} records.
        </p>
      )}
    </>
  );
}

const format = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** A dry run: which provider would answer now and why, and each provider's eligibility. */
export function ExplanationView({ explanation: e, nameOf }: { explanation: Explanation; nameOf: NameOf }) {
  return (
    <div className="stack" data-testid="query-explanation">
      <p className="callout callout-info" data-testid="would-use">
        {e.would_use ? (
          <>
            Would use <strong>{nameOf(e.would_use.connection_id)}</strong> ({e.would_use.connector}): {e.reason}
          </>
        ) : (
          <>No provider would answer now: {e.reason}</>
        )}
        {e.queue_length > 0 && <> · {e.queue_length} requests queued</>}
      </p>
      <DataTable columns={['Provider', 'Eligible', 'Why', 'Breaker', 'Quota / rate limit']} testId="explain-providers">
        {e.providers.map((p) => (
          <tr key={p.connection_id}>
            <td>
              {nameOf(p.connection_id)}
              <div className="muted small">{p.connector}</div>
            </td>
            <td>{p.eligible ? <Badge value="yes" color="good" /> : <Badge value="no" color="neutral" />}</td>
            <td className="rt-reason">
              {p.why}
              {p.condition_matched !== undefined && (
                <div className="muted small">condition {p.condition_matched ? 'matched' : 'not matched'}</div>
              )}
            </td>
            <td>
              <Badge
                value={p.breaker.state}
                label={breakerLabels[p.breaker.state]}
                color={breakerTone[p.breaker.state]}
              />
              {p.sticky && <Badge value="sticky" color="info" />}
            </td>
            <td className="small">
              {p.quota && (
                <div>
                  quota exhausted until <Time iso={p.quota.exhausted_until} />
                </div>
              )}
              {p.rate_limited_until && (
                <div>
                  rate limited until <Time iso={p.rate_limited_until} />
                </div>
              )}
              {!p.quota && !p.rate_limited_until && <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

/** A failed query: the API's sentence (the provider's own reason on a strict 429), and the attempts it lists. */
export function QueryFailure({ error, nameOf }: { error: unknown; nameOf: NameOf }) {
  const problem = error instanceof SwitchyardError ? (error.problem as { attempts?: Attempt[] }) : undefined;
  return (
    <div className="stack" data-testid="query-error">
      <ErrorState error={error} />
      {problem?.attempts && problem.attempts.length > 0 && (
        <AttemptsTable attempts={problem.attempts} nameOf={nameOf} />
      )}
    </div>
  );
}
