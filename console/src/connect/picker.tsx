import { useMemo, useState } from 'react';
import { ConnectorLogo } from '../ui/logo.js';
import type { ExistingConnection, SessionConnector } from './api.js';
import { ScreenHeading } from './parts.js';

/** The first screen: the connectors this session allows, searchable and by category, with the user's own connections. */
export function Picker({
  connectors,
  connections,
  productName,
  onPick,
}: {
  connectors: SessionConnector[];
  connections: ExistingConnection[];
  productName: string;
  onPick: (connector: SessionConnector, existing?: ExistingConnection) => void;
}) {
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const categories = useMemo(() => [...new Set(connectors.map((c) => c.category))].sort(), [connectors]);
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matchesSearch = (c: SessionConnector) => {
    const text = `${c.name} ${c.slug} ${c.description} ${c.category}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const searched = connectors.filter(matchesSearch);
  const shown = searched.filter((c) => !category || c.category === category);
  const mine = (slug: string) => connections.filter((x) => x.connector === slug);

  return (
    <>
      <ScreenHeading>Connect an account</ScreenHeading>
      <p className="muted">Choose the app to connect to {productName}.</p>
      <div className="picker-filters" role="search">
        <label className="visually-hidden" htmlFor="connect-search">
          Search apps
        </label>
        <input
          id="connect-search"
          type="search"
          value={search}
          placeholder="Search apps"
          autoComplete="off"
          onChange={(e) => setSearch(e.target.value)}
        />
        {categories.length > 1 && (
          <div className="chips" role="group" aria-label="Categories">
            <button type="button" className="chip" aria-pressed={category === null} onClick={() => setCategory(null)}>
              All
            </button>
            {categories.map((name) => (
              <button
                key={name}
                type="button"
                className="chip"
                aria-pressed={category === name}
                onClick={() => setCategory(category === name ? null : name)}
              >
                {name} <span className="chip-count">{searched.filter((c) => c.category === name).length}</span>
              </button>
            ))}
          </div>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {shown.length === 1 ? '1 app' : `${shown.length} apps`}
      </p>
      {shown.length === 0 ? (
        <div className="empty">
          <p>No app matches{search.trim() ? ` “${search.trim()}”` : ''}.</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setSearch('');
              setCategory(null);
            }}
          >
            Show every app
          </button>
        </div>
      ) : (
        <ul className="connector-list" aria-label="Apps">
          {shown.map((c) => (
            <li key={c.slug} className="connector-item" data-testid={`connector-${c.slug}`}>
              <div className="connector-main">
                <ConnectorLogo logo={c.logo} />
                <div className="connector-text">
                  <span className="connector-name">{c.name}</span>
                  <span className="small muted">{c.description}</span>
                </div>
                <button
                  type="button"
                  className="button button-primary"
                  aria-label={`Connect ${c.name}`}
                  onClick={() => onPick(c)}
                >
                  Connect
                </button>
              </div>
              {mine(c.slug).map((x) => (
                <div key={x.id} className="existing">
                  <span className={`badge ${x.state === 'active' ? 'badge-good' : 'badge-warn'}`}>
                    {x.state === 'active' ? 'Connected' : 'Needs attention'}
                  </span>
                  <span className="small">
                    {x.vendor_account_name ?? x.name}
                    {x.state !== 'active' && x.state_reason && <span className="muted"> · {x.state_reason}</span>}
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Reconnect ${c.name} (${x.vendor_account_name ?? x.name})`}
                    onClick={() => onPick(c, x)}
                  >
                    Reconnect
                  </button>
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
