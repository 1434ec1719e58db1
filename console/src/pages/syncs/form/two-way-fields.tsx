import { useMutation, useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { ErrorState, Field, SelectField } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { normalizerLabels, pairDirectionLabels, twoWayDeleteLabels, type SyncStream } from '../labels.js';
import type { SyncForm } from './state.js';
import { newPair, pairsFor, pathsOf, type PairRow, type TwoWayForm } from './two-way-state.js';

const entries = <K extends string>(labels: Record<K, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label: label as string }));

type Props = {
  form: SyncForm;
  set: (change: Partial<SyncForm>) => void;
  /** The chosen streams as the source describes them (side A's fields). */
  streams: SyncStream[];
  problems: string[];
};

/**
 * A bidirectional sync's `two_way` settings: the paired fields A ↔ B (each with the way it flows and how its
 * values compare, which is also how echoes are recognised), the key the first run matches existing records by,
 * each side's record timestamp (for Latest timestamp), and what a delete on each side does to the other.
 */
export function TwoWayFields({ form, set, streams, problems }: Props) {
  const t = form.twoWay;
  const change = (c: Partial<TwoWayForm>) => set({ twoWay: { ...t, ...c } });
  const updatePair = (key: number, c: Partial<PairRow>) =>
    change({ pairs: t.pairs.map((p) => (p.key === key ? { ...p, ...c } : p)) });
  const aFields = [...new Set(streams.flatMap((s) => s.fields.map((f) => f.name)))];
  const bFields = useTargetFields(form);
  return (
    <fieldset className="sy-fieldset" data-testid="two-way-fields">
      <legend>Two-way fields</legend>
      <p className="muted small">
        Side A is the source connection, side B the target. Each pair keeps one field in step; values are compared after
        normalising, so a side that rewrites a value (case, phone format) is not sent back as a change.
      </p>
      <datalist id="a-fields">
        {aFields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <datalist id="b-fields">
        {bFields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {t.pairs.length > 0 && (
        <DataTable columns={['Field on A', '', 'Field on B', 'Direction', 'Compare as']} actions="Remove">
          {t.pairs.map((p, i) => (
            <tr key={p.key} data-testid="pair-row">
              <td>
                <input
                  aria-label={`Field on A, pair ${i + 1}`}
                  value={p.a}
                  list="a-fields"
                  placeholder="e.g. properties.email"
                  onChange={(e) => updatePair(p.key, { a: e.target.value })}
                />
              </td>
              <td aria-hidden="true">{p.direction === 'both' ? '↔' : p.direction === 'a_to_b' ? '→' : '←'}</td>
              <td>
                <input
                  aria-label={`Field on B, pair ${i + 1}`}
                  value={p.b}
                  list="b-fields"
                  placeholder="e.g. email"
                  onChange={(e) => updatePair(p.key, { b: e.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`Direction, pair ${i + 1}`}
                  value={p.direction}
                  onChange={(e) => updatePair(p.key, { direction: e.target.value as PairRow['direction'] })}
                >
                  {entries(pairDirectionLabels).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={`Compare as, pair ${i + 1}`}
                  value={p.normalize}
                  onChange={(e) => updatePair(p.key, { normalize: e.target.value as PairRow['normalize'] })}
                >
                  {entries(normalizerLabels).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Remove pair ${i + 1}`}
                  onClick={() => change({ pairs: t.pairs.filter((x) => x.key !== p.key) })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="row">
        <button type="button" className="button" onClick={() => change({ pairs: [...t.pairs, newPair()] })}>
          Add field pair
        </button>
        <PairSourceFields
          form={form}
          aFields={aFields}
          spec={streams[0]}
          onPairs={(pairs) => change({ pairs: [...t.pairs, ...pairs] })}
        />
      </div>
      <MatchAndRules twoWay={t} change={change} conflict={form.conflict} />
      {problems.map((p) => (
        <p key={p} className="field-error" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}

/** Side B's field names where the target can be discovered (a database or a connection), for suggestions. */
function useTargetFields(form: SyncForm): string[] {
  const discoverable = form.targetKind !== 'record_store' && form.targetConnectionId !== '';
  const target = useQuery({
    queryKey: syncKeys.discover('connection', form.targetConnectionId),
    queryFn: () =>
      call(api.POST('/v1/syncs/discover', { body: { kind: 'connection', connection_id: form.targetConnectionId } })),
    enabled: discoverable,
    retry: false,
    staleTime: 60_000,
  });
  if (!discoverable) return [];
  const wanted = new Set(form.streams.map((s) => s.target.trim() || s.name));
  const streams = target.data?.streams ?? [];
  const named = streams.filter((s) => wanted.has(s.name));
  return [...new Set((named.length ? named : streams).flatMap((s) => s.fields.map((f) => f.name)))];
}

/**
 * "Pair the source's fields": one pair per field of side A not paired yet, B named after A's last segment. Fields
 * come from discovery; a source that names them only in its records (an API listing) is sampled through the
 * mapping preview, nested objects giving dotted paths (`properties.email`). The stream's key and cursor are left
 * out: each side keeps its own id and modification time.
 */
function PairSourceFields({
  form,
  aFields,
  spec,
  onPairs,
}: {
  form: SyncForm;
  aFields: string[];
  spec: SyncStream | undefined;
  onPairs: (pairs: PairRow[]) => void;
}) {
  const own = new Set([...(spec?.primary_key ?? []), spec?.cursor_field ?? ''].filter(Boolean));
  const stream = form.streams[0]?.name;
  const sample = useMutation({
    mutationFn: async () => {
      if (aFields.length > 0) return aFields;
      const preview = await call(
        api.POST('/v1/syncs/mapping-preview', {
          body: {
            kind: form.sourceKind,
            connection_id: form.connectionId,
            stream: stream ?? '',
            mappings: { select: 'all', fields: [] },
            limit: 5,
          },
        }),
      );
      return pathsOf(preview.samples.map((s) => s.input));
    },
    onSuccess: (paths) =>
      onPairs(
        pairsFor(
          paths.filter((p) => !own.has(p)),
          form.twoWay.pairs,
        ),
      ),
  });
  if (!form.connectionId || !stream) return null;
  return (
    <>
      <button type="button" className="button" disabled={sample.isPending} onClick={() => sample.mutate()}>
        {sample.isPending ? 'Reading the source…' : 'Pair the source’s fields'}
      </button>
      {sample.error ? <ErrorState error={sample.error} /> : null}
    </>
  );
}

function MatchAndRules({
  twoWay: t,
  change,
  conflict,
}: {
  twoWay: TwoWayForm;
  change: (c: Partial<TwoWayForm>) => void;
  conflict: SyncForm['conflict'];
}) {
  return (
    <>
      <CheckboxField
        label="Match records already on both sides on the first run"
        checked={t.matchOn}
        onChange={(matchOn) => change({ matchOn })}
        help="Records with equal keys are linked; unmatched and ambiguous ones are reported, never guessed."
      />
      {t.matchOn && (
        <div className="sy-two">
          <Field label="Match key on A">
            {(props) => (
              <input
                {...props}
                list="a-fields"
                value={t.matchA}
                placeholder="e.g. properties.email"
                onChange={(e) => change({ matchA: e.target.value })}
              />
            )}
          </Field>
          <Field label="Match key on B">
            {(props) => (
              <input
                {...props}
                list="b-fields"
                value={t.matchB}
                placeholder="e.g. email"
                onChange={(e) => change({ matchB: e.target.value })}
              />
            )}
          </Field>
          <SelectField
            label="Compare keys as"
            value={t.matchNormalize}
            onChange={(v) => change({ matchNormalize: v as TwoWayForm['matchNormalize'] })}
            options={entries(normalizerLabels)}
          />
        </div>
      )}
      <div className="sy-two">
        <Field
          label="Record timestamp on A"
          help={conflict === 'latest_timestamp' ? 'Latest timestamp compares these.' : 'Used by Latest timestamp.'}
        >
          {(props) => (
            <input
              {...props}
              list="a-fields"
              value={t.timestampA}
              placeholder="e.g. updatedAt"
              onChange={(e) => change({ timestampA: e.target.value })}
            />
          )}
        </Field>
        <Field label="Record timestamp on B">
          {(props) => (
            <input
              {...props}
              list="b-fields"
              value={t.timestampB}
              placeholder="e.g. updated_at"
              onChange={(e) => change({ timestampB: e.target.value })}
            />
          )}
        </Field>
        <SelectField
          label="A record deleted on A"
          value={t.deleteA}
          onChange={(v) => change({ deleteA: v as TwoWayForm['deleteA'] })}
          options={entries(twoWayDeleteLabels)}
        />
        <SelectField
          label="A record deleted on B"
          value={t.deleteB}
          onChange={(v) => change({ deleteB: v as TwoWayForm['deleteB'] })}
          options={entries(twoWayDeleteLabels)}
          help="A record deleted on one side and edited on the other is a conflict."
        />
      </div>
    </>
  );
}
