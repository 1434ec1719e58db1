import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys } from '../../query-keys.js';
import { Badge, EmptyState, Field, SelectField, Time, useCursorPages } from '../../ui/components.js';
import { PagedTable } from '../../ui/table.js';
import './connections.css';
import { EditConnectionDialog } from './EditConnection.js';
import { EndUserCell, TagChips } from './ConnectionIdentity.js';
import { ConnectionActions, connectionStates, StateBadge, type Connection, type ConnectionState } from './shared.js';

const sorts = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: 'state', label: 'State' },
  { value: 'connector', label: 'Connector' },
  { value: '-last_test_at', label: 'Recently tested' },
] as const;
type Sort = (typeof sorts)[number]['value'];

const isState = (value: string | null): value is ConnectionState =>
  value !== null && (connectionStates as string[]).includes(value);
const isSort = (value: string | null): value is Sort => sorts.some((s) => s.value === value);

/** The filters typed as text: applied after a short pause rather than on every key. */
const textFilters = ['q', 'end_user_id', 'tags'] as const;
type TextFilters = Record<(typeof textFilters)[number], string>;

/** `?tags=a, b,,c` → `a,b,c`: what the API takes (every tag must be present). */
const normaliseTags = (value: string) =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .join(',');

/**
 * `/connections`: every connection of the tenant, filtered and sorted through the URL (`?state=`, `?q=`,
 * `?end_user_id=`, `?tags=`, `?sort=`).
 */
export function ConnectionsList() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('state');
  const state = isState(stateParam) ? stateParam : undefined;
  const sortParam = params.get('sort');
  const sort: Sort = isSort(sortParam) ? sortParam : '-created_at';
  const applied: TextFilters = {
    q: params.get('q') ?? '',
    end_user_id: params.get('end_user_id') ?? '',
    tags: params.get('tags') ?? '',
  };
  const { q, end_user_id: endUserId, tags } = applied;
  const [typed, setTyped] = useState<TextFilters>(applied);
  const typeInto = (key: keyof TextFilters) => (value: string) => setTyped((all) => ({ ...all, [key]: value }));
  const pages = useCursorPages();
  const [editing, setEditing] = useState<Connection | undefined>();

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    pages.reset();
    setParams(next, { replace: true });
  };

  // Typing filters after a short pause rather than on every key.
  useEffect(() => {
    const wanted = { q: typed.q.trim(), end_user_id: typed.end_user_id.trim(), tags: normaliseTags(typed.tags) };
    const changed = textFilters.filter((key) => wanted[key] !== applied[key]);
    if (changed.length === 0) return;
    const timer = setTimeout(
      () => update(Object.fromEntries(changed.map((key) => [key, wanted[key] || undefined]))),
      300,
    );
    return () => clearTimeout(timer);
  }, [typed]);

  /** A tag chip clicked in the table: add it to the tag filter at once. */
  const pickTag = (tag: string) => {
    const next = normaliseTags([tags, tag].filter(Boolean).join(','));
    const unique = [...new Set(next.split(','))].join(',');
    setTyped((all) => ({ ...all, tags: unique }));
    update({ tags: unique });
  };

  const query = {
    limit: 25,
    sort,
    ...(state ? { state } : {}),
    ...(q ? { q } : {}),
    ...(endUserId ? { end_user_id: endUserId } : {}),
    ...(tags ? { tags } : {}),
    ...(pages.cursor ? { cursor: pages.cursor } : {}),
  };
  const list = useQuery({
    queryKey: connectionKeys.list(query),
    queryFn: () => call(api.GET('/v1/connections', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const filtered = Boolean(state || q || endUserId || tags);
  const mayAdd = can('create_connection') && can('browse_connector_library');
  const hasActions = ['test_connection', 'edit_connection', 'pause_resume', 'disconnect', 'use_proxy'].some(can);

  return (
    <section className="page connections-page" aria-labelledby="connections-title">
      <div className="page-header">
        <div>
          <h1 id="connections-title">Connections</h1>
          <p className="muted">Accounts at external systems that Switchyard calls on your behalf.</p>
        </div>
        {mayAdd && (
          <Link className="button button-primary" to="/connections/library">
            Add connection
          </Link>
        )}
      </div>
      <form className="filters" role="search" aria-label="Connections" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {(props) => (
            <input
              {...props}
              type="search"
              value={typed.q}
              placeholder="Name, connector or account"
              onChange={(e) => typeInto('q')(e.target.value)}
            />
          )}
        </Field>
        <Field label="End user id">
          {(props) => (
            <input
              {...props}
              value={typed.end_user_id}
              placeholder="Your product’s user id"
              onChange={(e) => typeInto('end_user_id')(e.target.value)}
            />
          )}
        </Field>
        <Field label="Tags">
          {(props) => (
            <input
              {...props}
              value={typed.tags}
              placeholder="a, b"
              onChange={(e) => typeInto('tags')(e.target.value)}
            />
          )}
        </Field>
        <SelectField
          label="State"
          value={state ?? ''}
          onChange={(v) => update({ state: v || undefined })}
          empty="All states"
          options={connectionStates.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
        />
        <Field label="Sort">
          {(props) => (
            <select
              {...props}
              value={sort}
              onChange={(e) => update({ sort: e.target.value === '-created_at' ? undefined : e.target.value })}
            >
              {sorts.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {filtered && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setTyped({ q: '', end_user_id: '', tags: '' });
              update({ state: undefined, q: undefined, end_user_id: undefined, tags: undefined });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading connections"
        empty={
          filtered ? (
            <EmptyState title="No connection matches these filters">
              Clear the filters to see every connection.
            </EmptyState>
          ) : (
            <EmptyState title="No connections yet">
              {mayAdd ? (
                <>
                  A connection holds the credentials for one account at an external system. Pick a connector in the{' '}
                  <Link to="/connections/library">library</Link>, enter its settings, and Switchyard tests them before
                  saving.
                </>
              ) : (
                'A connection holds the credentials for one account at an external system. Ask an administrator to add one.'
              )}
            </EmptyState>
          )
        }
        caption={<caption className="visually-hidden">Connections</caption>}
        className="connections-table"
        columns={['Name', 'End user', 'Connector', 'State', 'Last tested', 'Last delivery', 'Scopes']}
        actions={hasActions ? 'Actions' : undefined}
        row={(c) => (
          <tr key={c.id} data-testid={`connection-row-${c.id}`}>
            <td>
              <Link to={`/connections/${c.id}`} className="strong-link">
                {c.name}
              </Link>
              {c.vendor_account_name && <div className="small muted">{c.vendor_account_name}</div>}
              {c.key && (
                <div className="small muted">
                  Key <code>{c.key}</code>
                </div>
              )}
              <TagChips tags={c.tags} onPick={pickTag} />
            </td>
            <td>
              <EndUserCell endUser={c.end_user} />
            </td>
            <td>
              {c.connector.name}
              {c.warnings.some((w) => w.code === 'vendor_sunset') && (
                <>
                  {' '}
                  <span
                    title={c.warnings
                      .filter((w) => w.code === 'vendor_sunset')
                      .map((w) => w.message)
                      .join('\n')}
                  >
                    <Badge value="sunset" label="vendor sunset" />
                  </span>
                </>
              )}
              <div className="small muted">{c.connector.category}</div>
            </td>
            <td>
              <StateBadge connection={c} />
              {c.state_reason && c.state !== 'active' && (
                <div className="small muted state-reason">{c.state_reason}</div>
              )}
            </td>
            <td>
              <Time iso={c.last_test_at} />
              {c.last_test_outcome && c.last_test_outcome.outcome !== 'connected' && (
                <div className="small muted">{c.last_test_outcome.outcome.replace('_', ' ')}</div>
              )}
            </td>
            <td>
              <Time iso={c.last_delivery_at} />
            </td>
            <td className="scopes">
              {c.scopes_granted.length > 0 ? (
                <span className="small">{c.scopes_granted.join(', ')}</span>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            {hasActions && (
              <td>
                <ConnectionActions connection={c} compact onEdit={() => setEditing(c)} />
              </td>
            )}
          </tr>
        )}
      />
      {editing && <EditConnectionDialog connection={editing} onClose={() => setEditing(undefined)} />}
    </section>
  );
}
