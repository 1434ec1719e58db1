import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectorKeys } from '../../query-keys.js';
import { Badge, EmptyState, ErrorState, Field, Loading } from '../../ui/components.js';
import './connections.css';
import { ConnectorLogo } from '../../ui/logo.js';
import { authMethodLabels, type AuthMethod, type ConnectorSummary } from './shared.js';

type Category = ConnectorSummary['category'];
type Availability = ConnectorSummary['availability'];

export const categories: Category[] = [
  'CRM',
  'ERP',
  'Communication',
  'Storage',
  'Analytics',
  'Financial Data',
  'Payments',
  'Email',
  'Database',
  'Developer Tools',
  'Productivity',
  'AI',
  'Generic',
];

/** The connector library: search, category chips with counts, auth and availability filters, one card each. */
export function Library() {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<Category | undefined>();
  const [auth, setAuth] = useState<AuthMethod | ''>('');
  const [availability, setAvailability] = useState<Availability | ''>('');
  const query = {
    ...(q.trim() ? { q: q.trim() } : {}),
    ...(category ? { category } : {}),
    ...(auth ? { auth } : {}),
    ...(availability ? { availability } : {}),
  };
  const library = useQuery({
    queryKey: connectorKeys.library(query),
    queryFn: () => call(api.GET('/v1/connectors', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const counts = library.data?.counts.by_category;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;

  return (
    <section className="page connections-page" aria-labelledby="library-title">
      <div className="page-header">
        <div>
          <p className="breadcrumb small">
            <Link to="/connections">Connections</Link> / Library
          </p>
          <h1 id="library-title">Connector library</h1>
          <p className="muted">Pick the system to connect, then fill in its settings and credentials.</p>
        </div>
      </div>
      <form className="filters" role="search" aria-label="Connectors" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {(props) => (
            <input
              {...props}
              type="search"
              value={q}
              placeholder="Name, description or feature"
              onChange={(e) => setQ(e.target.value)}
            />
          )}
        </Field>
        <Field label="Authentication">
          {(props) => (
            <select {...props} value={auth} onChange={(e) => setAuth(e.target.value as AuthMethod | '')}>
              <option value="">Any</option>
              {Object.entries(authMethodLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Availability">
          {(props) => (
            <select
              {...props}
              value={availability}
              onChange={(e) => setAvailability(e.target.value as Availability | '')}
            >
              <option value="">Any</option>
              <option value="active">Available</option>
              <option value="coming_soon">Coming soon</option>
              <option value="deprecated">Deprecated</option>
              <option value="maintenance">Under maintenance</option>
            </select>
          )}
        </Field>
      </form>
      <ul className="chips" aria-label="Categories">
        <li>
          <button type="button" className="chip" aria-pressed={!category} onClick={() => setCategory(undefined)}>
            All{total !== undefined && ` (${total})`}
          </button>
        </li>
        {categories.map((c) => (
          <li key={c}>
            <button
              type="button"
              className="chip"
              aria-pressed={category === c}
              onClick={() => setCategory(category === c ? undefined : c)}
            >
              {c}
              {counts && ` (${counts[c]})`}
            </button>
          </li>
        ))}
      </ul>
      {library.isPending ? (
        <Loading what="Loading the library" />
      ) : library.error ? (
        <ErrorState error={library.error} retry={() => void library.refetch()} />
      ) : library.data.data.length === 0 ? (
        <EmptyState title="No connector matches">
          Try another search or clear the filters. For an API not listed, use <strong>Generic REST API</strong>.
        </EmptyState>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {library.data.counts.total} connector{library.data.counts.total === 1 ? '' : 's'}
          </p>
          <ul className="cards connector-cards">
            {library.data.data.map((c) => (
              <li key={c.slug}>
                <ConnectorCard connector={c} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const availabilityNotes: Record<Availability, string | undefined> = {
  active: undefined,
  coming_soon: 'Coming soon: it cannot be connected yet.',
  deprecated: 'Deprecated: it still works, but plan to move off it.',
  maintenance: 'Under maintenance: new connections and calls are refused for now.',
};

function ConnectorCard({ connector: c }: { connector: ConnectorSummary }) {
  const { can } = useSession();
  const headingId = `connector-${c.slug}`;
  const mayCreate = can('create_connection') && (!c.requires_capability || can(c.requires_capability));
  const why = !can('create_connection')
    ? 'Your role cannot create connections.'
    : c.requires_capability && !can(c.requires_capability)
      ? `Needs the ${c.requires_capability} capability.`
      : !c.connectable
        ? c.availability === 'active' && c.management === 'shared'
          ? 'The platform’s credentials are not configured yet.'
          : 'Not available for new connections.'
        : undefined;
  return (
    <article className="card connector-card" aria-labelledby={headingId}>
      <header className="connector-card-header">
        <ConnectorLogo logo={c.logo} />
        <div>
          <h2 id={headingId} className="connector-name">
            {c.name}
          </h2>
          <p className="muted small">{c.category}</p>
        </div>
      </header>
      <p className="connector-description small">{c.description}</p>
      <dl className="connector-facts small">
        <div>
          <dt>Auth</dt>
          <dd>{c.auth_methods.map((m) => authMethodLabels[m]).join(', ')}</dd>
        </div>
        <div>
          <dt>Setup</dt>
          <dd>{c.complexity} complexity</dd>
        </div>
        {c.features.length > 0 && (
          <div>
            <dt>Features</dt>
            <dd>{c.features.map((f) => f.replaceAll('_', ' ')).join(', ')}</dd>
          </div>
        )}
        {c.data_types.length > 0 && (
          <div>
            <dt>Data</dt>
            <dd>{c.data_types.map((d) => d.replaceAll('_', ' ')).join(', ')}</dd>
          </div>
        )}
      </dl>
      <div className="row">
        {c.popularity >= 80 && <Badge value="popular" label="Popular" />}
        {c.availability !== 'active' && <Badge value={c.availability} />}
        {c.source === 'custom' && <Badge value="custom" label="Custom" />}
        {c.management === 'shared' && <Badge value="shared" label="Platform credentials" />}
      </div>
      {availabilityNotes[c.availability] && <p className="small muted">{availabilityNotes[c.availability]}</p>}
      <div className="connector-card-actions">
        {c.connectable && mayCreate ? (
          <Link className="button button-primary" to={`/connections/library/${encodeURIComponent(c.slug)}`}>
            Configure<span className="visually-hidden"> {c.name}</span>
          </Link>
        ) : (
          <>
            <button type="button" className="button" disabled aria-describedby={`${headingId}-why`}>
              Configure<span className="visually-hidden"> {c.name}</span>
            </button>
            <p id={`${headingId}-why`} className="small muted">
              {why}
            </p>
          </>
        )}
      </div>
    </article>
  );
}
