import { DataTable } from '../../../ui/table.js';
import { pickHelp, pickLabels } from '../labels.js';
import type { JsonSchema, Pick } from '../types.js';
import type { FusionDraft, RouteForm } from './state.js';

const picks = Object.keys(pickLabels) as Pick[];
const blank: FusionDraft = { pick: '', prefer: '', tolerancePercent: '', recencyField: '' };

/**
 * Fusion rules, one row per field of the capability's record schema and one for every other field: how the
 * providers' values are merged (pick), whose value is preferred (the order), and the tolerance of a consensus.
 */
export function FusionEditor({
  form,
  set,
  recordSchema,
  nameOf,
}: {
  form: RouteForm;
  set: (change: Partial<RouteForm>) => void;
  recordSchema: JsonSchema | undefined;
  nameOf: (id: string) => string;
}) {
  const properties = recordSchema?.properties ?? {};
  const fields = ['*', ...Object.keys(properties)];
  const timeFields = Object.entries(properties)
    .filter(([, s]) => s.format === 'date-time' || s.format === 'date')
    .map(([name]) => name);
  const update = (field: string, change: Partial<FusionDraft>) =>
    set({ fusion: { ...form.fusion, [field]: { ...(form.fusion[field] ?? blank), ...change } } });
  return (
    <fieldset className="rt-fieldset" data-testid="fusion-rules">
      <legend>Fusion rules</legend>
      <p className="help">
        Every provider is asked; each field of the answer is merged by its rule. Fields the providers disagree on beyond
        the tolerance are reported as conflicts, and each field says which provider it came from.
      </p>
      <DataTable columns={['Field', 'Rule', 'Preferred provider', 'Tolerance (%)', 'Newest by']}>
        {fields.map((field) => {
          const rule = form.fusion[field] ?? blank;
          const label = field === '*' ? 'every other field' : field;
          const pick = rule.pick || (field === '*' ? 'priority' : '');
          return (
            <tr key={field} data-testid={`fusion-rule-${field}`}>
              <th scope="row">
                <code>{label}</code>
                {field !== '*' && properties[field]?.type && (
                  <div className="muted small">{[properties[field]?.type].flat().join(' or ')}</div>
                )}
              </th>
              <td>
                <select
                  aria-label={`Rule for ${label}`}
                  value={pick}
                  title={pick ? pickHelp[pick] : undefined}
                  onChange={(e) => update(field, { pick: e.target.value as Pick | '' })}
                >
                  {field !== '*' && <option value="">As every other field</option>}
                  {picks.map((p) => (
                    <option key={p} value={p}>
                      {pickLabels[p]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={`Preferred provider for ${label}`}
                  value={rule.prefer}
                  disabled={!pick}
                  onChange={(e) => update(field, { prefer: e.target.value })}
                >
                  <option value="">Route order</option>
                  {form.providers.map((p) => (
                    <option key={p.connectionId} value={p.connectionId}>
                      {nameOf(p.connectionId)} first
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {pick === 'consensus' ? (
                  <input
                    type="number"
                    min={0}
                    step="any"
                    aria-label={`Tolerance for ${label} (%)`}
                    value={rule.tolerancePercent}
                    onChange={(e) => update(field, { tolerancePercent: e.target.value })}
                  />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                {pick === 'most_recent' ? (
                  <select
                    aria-label={`Newest by, for ${label}`}
                    value={rule.recencyField}
                    onChange={(e) => update(field, { recencyField: e.target.value })}
                  >
                    <option value="">Not set</option>
                    {timeFields.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </fieldset>
  );
}
