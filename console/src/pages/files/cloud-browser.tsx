import { useState } from 'react';
import { EmptyState, ErrorState, Field, Loading, SelectField, Time } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { bytes } from '../webhooks/shared/format.js';
import { hashName, type CloudItem } from './labels.js';
import { useCloudItems, useRoots, useStorageConnections } from './queries.js';

type Step = { id: string; name: string; path: string };

/** What the browser points at: a connection, one of its roots, the folders opened down to here, and what is picked. */
export function useCloudBrowser() {
  const [connectionId, setConnectionId] = useState('');
  const [root, setRoot] = useState('');
  const [trail, setTrail] = useState<Step[]>([]);
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<Map<string, CloudItem>>(new Map());
  const here = trail.at(-1);
  return {
    connectionId,
    root,
    trail,
    q,
    picked,
    /** The folder browsed: its id for listing, its path below the root (`''` at the top). */
    folderId: here?.id ?? '',
    folderPath: here?.path ?? '',
    chooseConnection(id: string) {
      setConnectionId(id);
      setRoot('');
      setTrail([]);
      setQ('');
      setPicked(new Map());
    },
    chooseRoot(id: string) {
      setRoot(id);
      setTrail([]);
      setQ('');
      setPicked(new Map());
    },
    open(item: CloudItem) {
      setQ('');
      setTrail((t) => [...t, { id: item.id, name: item.name, path: item.path }]);
    },
    /** Back up to the n-th folder of the trail (0: the root's top). */
    upTo(n: number) {
      setQ('');
      setTrail((t) => t.slice(0, n));
    },
    search: setQ,
    toggle(item: CloudItem, on: boolean) {
      setPicked((p) => {
        const next = new Map(p);
        if (on) next.set(item.id, item);
        else next.delete(item.id);
        return next;
      });
    },
    clear: () => setPicked(new Map()),
  };
}

export type CloudBrowserState = ReturnType<typeof useCloudBrowser>;

/**
 * Browse a connection's drive or bucket: pick the connection and a root (drive, site, shared drive, bucket,
 * container), open folders (breadcrumbs lead back), load the vendor's next page, search where the vendor can. In
 * `pick` mode files and folders are ticked (for an import); in `folder` mode the folder browsed is the choice.
 */
export function CloudBrowser({
  browser: b,
  mode,
  uploadsOnly,
}: {
  browser: CloudBrowserState;
  mode: 'pick' | 'folder';
  uploadsOnly?: boolean;
}) {
  const connections = useStorageConnections();
  const roots = useRoots(b.connectionId);
  const connection = connections.all.find((c) => c.id === b.connectionId);
  const rootName = roots.data?.data.find((r) => r.id === b.root)?.name ?? b.root;
  const offered = connections.all.filter((c) => !uploadsOnly || c.upload);
  if (connections.query.isPending) return <Loading what="Loading storage connections" />;
  if (connections.query.error) return <ErrorState error={connections.query.error} />;
  if (offered.length === 0) {
    return (
      <EmptyState title="No storage connections">
        Connect a drive or bucket (OneDrive, Google Drive, Dropbox, Box, S3, Azure Blob, Cloud Storage) under
        Connections first.
      </EmptyState>
    );
  }
  return (
    <div className="stack" data-testid="cloud-browser">
      <div className="filters">
        <SelectField
          label="Connection"
          value={b.connectionId}
          onChange={b.chooseConnection}
          empty="Choose a connection"
          options={offered.map((c) => ({ value: c.id, label: `${c.name} (${c.connector_name})` }))}
        />
        {b.connectionId && (
          <SelectField
            label="Drive, site or bucket"
            value={b.root}
            onChange={b.chooseRoot}
            empty={roots.isPending ? 'Loading…' : 'Choose one'}
            options={(roots.data?.data ?? []).map((r) => ({
              value: r.id,
              label: `${r.name} (${r.kind.replaceAll('_', ' ')})`,
            }))}
          />
        )}
      </div>
      {roots.error ? <ErrorState error={roots.error} retry={() => void roots.refetch()} /> : null}
      {b.root && (
        <>
          <nav aria-label="Cloud folder" className="fs-trail" data-testid="cloud-trail">
            <ol>
              {[{ name: rootName }, ...b.trail].map((step, i) =>
                i === b.trail.length && !b.q ? (
                  <li key={i}>
                    <span aria-current="page">{step.name}</span>
                  </li>
                ) : (
                  <li key={i}>
                    <button type="button" className="link" onClick={() => b.upTo(i)}>
                      {step.name}
                    </button>
                  </li>
                ),
              )}
              {b.q && (
                <li>
                  <span aria-current="page">Search: “{b.q}”</span>
                </li>
              )}
            </ol>
          </nav>
          {connection?.search && <SearchBox key={b.q} initial={b.q} onSearch={b.search} />}
          <Listing browser={b} mode={mode} />
        </>
      )}
    </div>
  );
}

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const [draft, setDraft] = useState(initial);
  return (
    <form
      className="filters"
      role="search"
      aria-label="Search the drive"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(draft.trim());
      }}
    >
      <Field label="Search by name">
        {(props) => <input {...props} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />}
      </Field>
      <button type="submit" className="button sy-align-end">
        Search
      </button>
    </form>
  );
}

function Listing({ browser: b, mode }: { browser: CloudBrowserState; mode: 'pick' | 'folder' }) {
  const items = useCloudItems(b.connectionId, b.root, b.folderId, b.q);
  if (items.isPending) return <Loading what="Listing the folder" />;
  if (items.error) return <ErrorState error={items.error} retry={() => void items.refetch()} />;
  const all = items.data.pages.flatMap((p) => p.data);
  const shown = mode === 'folder' ? all.filter((i) => i.kind === 'folder') : all;
  if (shown.length === 0 && !items.hasNextPage) {
    return <EmptyState title={b.q ? 'Nothing found' : mode === 'folder' ? 'No subfolders' : 'This folder is empty'} />;
  }
  const columns = mode === 'pick' ? ['Select', 'Name', 'Size', 'Modified', 'Hash'] : ['Name', 'Modified'];
  return (
    <>
      <DataTable columns={columns} testId="cloud-items">
        {shown.map((item) => (
          <tr key={item.id} data-testid="cloud-item">
            {mode === 'pick' && (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${item.name}`}
                  checked={b.picked.has(item.id)}
                  onChange={(e) => b.toggle(item, e.target.checked)}
                />
              </td>
            )}
            <td>
              {item.kind === 'folder' ? (
                <button type="button" className="link fs-name" onClick={() => b.open(item)}>
                  <span aria-hidden="true">📁 </span>
                  {item.name}
                </button>
              ) : (
                <span className="fs-name">{item.name}</span>
              )}
              {b.q && <span className="muted small fs-path"> {item.path}</span>}
            </td>
            {mode === 'pick' && <td>{item.kind === 'folder' ? 'folder' : bytes(item.size ?? 0)}</td>}
            <td>{item.modified_at ? <Time iso={item.modified_at} /> : <span className="muted">—</span>}</td>
            {mode === 'pick' && <td className="small">{hashText(item)}</td>}
          </tr>
        ))}
      </DataTable>
      {items.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={items.isFetchingNextPage}
          onClick={() => void items.fetchNextPage()}
        >
          {items.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

/** The hashes the vendor lists for a file (what its import is checked with), and what will not be checkable. */
function hashText(item: CloudItem): string {
  if (item.kind === 'folder') return '';
  if (item.export_as) return `exported as ${item.export_as}`;
  const kinds = Object.keys(item.hashes).map(hashName);
  const listed = kinds.length ? kinds.join(', ') : 'none (size only)';
  return item.rewritten_on_download ? `${listed} — rewritten on download` : listed;
}
