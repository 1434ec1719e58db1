import { Link } from 'react-router';
import type { Schemas } from '../../../api.js';
import { Badge } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import { RowActions, RowButton } from '../../webhooks/shared/controls.js';
import { positionLabel } from '../labels.js';
import type { Capability } from '../types.js';
import type { ProviderDraft, RouteForm } from './state.js';

type Connection = Schemas['Connection'];

/**
 * The route's providers in order (primary, fallback, then more), and beside them the capability's providers with the
 * tenant's connections to each: a connection is added with one click; a coming-soon provider is shown, disabled.
 */
export function ProvidersEditor({
  form,
  set,
  capability,
  connections,
  problems,
}: {
  form: RouteForm;
  set: (change: Partial<RouteForm>) => void;
  capability: Capability | undefined;
  connections: Connection[];
  problems: string[];
}) {
  const chosen = form.providers;
  const byId = new Map(connections.map((c) => [c.id, c]));
  const setProviders = (providers: ProviderDraft[]) => set({ providers });
  const update = (i: number, change: Partial<ProviderDraft>) =>
    setProviders(chosen.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const move = (i: number, by: number) => {
    const next = [...chosen];
    const [item] = next.splice(i, 1);
    if (item) next.splice(i + by, 0, item);
    setProviders(next);
  };
  const remove = (i: number) => {
    const id = chosen[i]?.connectionId;
    setProviders(chosen.filter((_, j) => j !== i));
    // A removed provider leaves the conditions that named it.
    set({ conditions: form.conditions.map((c) => ({ ...c, use: c.use.filter((u) => u !== id) })) });
  };
  return (
    <fieldset className="rt-fieldset" data-testid="providers-editor">
      <legend>Providers</legend>
      <p className="help">
        The primary provider is asked first; the fallback when the primary is unavailable or rate-limited; then any
        others, in order.
      </p>
      {chosen.length === 0 ? (
        <p className="muted">No provider yet: add one of the connections below.</p>
      ) : (
        <DataTable
          columns={['Order', 'Connection', ...(form.strategy === 'loadbalance' ? ['Weight'] : []), 'Data licence']}
          actions="Move or remove"
          testId="chosen-providers"
        >
          {chosen.map((p, i) => {
            const connection = byId.get(p.connectionId);
            const name = connection?.name ?? p.connectionId;
            return (
              <tr key={p.connectionId} data-testid="chosen-provider">
                <td className="rt-position">{positionLabel(i)}</td>
                <td>
                  {name}
                  <div className="muted small">{connection?.connector.name ?? ''}</div>
                </td>
                {form.strategy === 'loadbalance' && (
                  <td>
                    <input
                      type="number"
                      min={0}
                      aria-label={`Weight of ${name}`}
                      value={p.weight}
                      onChange={(e) => update(i, { weight: e.target.value })}
                    />
                  </td>
                )}
                <td>
                  <select
                    aria-label={`Data licence of ${name}`}
                    value={p.licence}
                    onChange={(e) => update(i, { licence: e.target.value as ProviderDraft['licence'] })}
                  >
                    <option value="default">As the connector declares</option>
                    <option value="redistributable">Redistributable</option>
                    <option value="restricted">Not redistributable</option>
                  </select>
                </td>
                <td>
                  <RowActions>
                    <RowButton name={`Move ${name} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </RowButton>
                    <RowButton name={`Move ${name} down`} disabled={i === chosen.length - 1} onClick={() => move(i, 1)}>
                      ↓
                    </RowButton>
                    <RowButton name={`Remove ${name}`} onClick={() => remove(i)}>
                      Remove
                    </RowButton>
                  </RowActions>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {problems.map((p) => (
        <p key={p} className="field-error" role="alert">
          {p}
        </p>
      ))}
      {capability && (
        <ProviderChoices
          capability={capability}
          connections={connections}
          chosen={new Set(chosen.map((p) => p.connectionId))}
          add={(id) => setProviders([...chosen, { connectionId: id, weight: '1', licence: 'default' }])}
        />
      )}
    </fieldset>
  );
}

function ProviderChoices({
  capability,
  connections,
  chosen,
  add,
}: {
  capability: Capability;
  connections: Connection[];
  chosen: Set<string>;
  add: (connectionId: string) => void;
}) {
  return (
    <div className="stack">
      <p className="rt-label">Providers of {capability.title}</p>
      <ul className="rt-choices" data-testid="provider-choices">
        {capability.providers.map((provider) => {
          const soon = provider.availability === 'coming_soon';
          const own = connections.filter((c) => c.connector.slug === provider.connector);
          return (
            <li key={provider.connector} data-testid={`provider-${provider.connector}`}>
              <strong>{provider.name}</strong>{' '}
              {provider.availability !== 'active' && <Badge value={provider.availability} />}
              {!provider.redistributable && <Badge value="licence" label="not redistributable" color="warn" />}
              <div className="row">
                {soon ? (
                  <button type="button" className="button button-small" disabled>
                    Add {provider.name} (coming soon)
                  </button>
                ) : own.length === 0 ? (
                  <span className="small muted">
                    No connection yet.{' '}
                    <Link to={`/connections/library/${provider.connector}`}>Connect {provider.name}</Link>
                  </span>
                ) : (
                  own.map((c) => (
                    <button
                      key={c.id}
                      type="button"
                      className="button button-small"
                      disabled={chosen.has(c.id)}
                      onClick={() => add(c.id)}
                    >
                      Add {c.name}
                    </button>
                  ))
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
