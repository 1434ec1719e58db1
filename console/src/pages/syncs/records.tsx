import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call, type Schemas } from '../../api.js';
import { syncKeys } from '../../query-keys.js';
import { Badge, EmptyState, ErrorState, JsonBlock, Loading, SelectField, Time } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { count } from './labels.js';
import { useConnectionNames } from './queries.js';
import './syncs.css';

type StoredRecord = Schemas['StoredRecord'];
type Action = StoredRecord['_switchyard']['action'];

/** Changes read per page; "Load more" reads the next page from the last change's cursor. */
const FEED_PAGE = 25;
const PREVIEW_CHARS = 90;

const actionTone: Record<Action, string> = { added: 'success', updated: 'running', deleted: 'paused' };
const exportFormats = [
  { value: 'csv', label: 'CSV' },
  { value: 'tsv', label: 'TSV' },
  { value: 'json', label: 'JSON' },
  { value: 'ndjson', label: 'NDJSON' },
  { value: 'xml', label: 'XML' },
];

const filterOptions = [
  { value: 'added', label: 'Added' },
  { value: 'updated', label: 'Updated' },
  { value: 'deleted', label: 'Deleted' },
];

/**
 * `/syncs/records`: the record store as the change feed `GET /v1/records` serves it. Pick a connection, then one
 * of its models (with its live and deleted counts), and read its changes in the order they were made, a page at a
 * time. The connection, model and filter live in the URL, so a view can be linked.
 */
export function RecordStore() {
  const [params, setParams] = useSearchParams();
  const connectionId = params.get('connection') ?? '';
  const model = params.get('model') ?? '';
  const connections = useConnectionNames();
  const pick = (next: Record<string, string>) =>
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)));
  return (
    <section className="page sy-page" aria-labelledby="records-title">
      <header>
        <h1 id="records-title">Records</h1>
        <p className="muted">
          What syncs wrote into the record store, per connection and model, as a feed of changes: added, updated and
          deleted records in the order they changed.
        </p>
      </header>
      <div className="filters">
        <SelectField
          label="Connection"
          value={connectionId}
          empty="Choose a connection"
          options={connections.options}
          onChange={(id) => pick({ connection: id })}
        />
      </div>
      {connectionId ? (
        <Models connectionId={connectionId} model={model} />
      ) : (
        <EmptyState title="Choose a connection">Its models and their changes appear here.</EmptyState>
      )}
      {connectionId && model && (
        <ChangeFeed
          connectionId={connectionId}
          model={model}
          filter={params.get('filter') ?? ''}
          onFilter={(filter) => pick({ connection: connectionId, model, filter })}
        />
      )}
    </section>
  );
}

/** The connection's models with their counts; each name opens its feed. */
function Models({ connectionId, model }: { connectionId: string; model: string }) {
  const models = useQuery({
    queryKey: syncKeys.recordModels(connectionId),
    queryFn: () => call(api.GET('/v1/records/models', { params: { query: { connection_id: connectionId } } })),
  });
  if (models.isPending) return <Loading what="Loading the models" />;
  if (models.error) return <ErrorState error={models.error} retry={() => void models.refetch()} />;
  if (models.data.data.length === 0) {
    return (
      <EmptyState title="No records stored for this connection">
        Records appear once a sync reading from it writes into the record store.
      </EmptyState>
    );
  }
  return (
    <section className="stack" aria-labelledby="models-title">
      <h2 id="models-title" className="sy-section-title">
        Models
      </h2>
      <DataTable columns={['Model', 'Records', 'Deleted', 'Last change']} testId="record-models">
        {models.data.data.map((m) => (
          <tr key={m.model} data-testid="record-model-row">
            <td>
              <Link
                to={`?${new URLSearchParams({ connection: connectionId, model: m.model })}`}
                aria-current={m.model === model ? 'true' : undefined}
              >
                {m.model}
              </Link>
            </td>
            <td>{count(m.records)}</td>
            <td>{count(m.deleted)}</td>
            <td>
              <Time iso={m.last_modified_at} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** One model's changes, oldest first, a page at a time from the last change's cursor. */
function ChangeFeed({
  connectionId,
  model,
  filter,
  onFilter,
}: {
  connectionId: string;
  model: string;
  filter: string;
  onFilter: (filter: string) => void;
}) {
  const feed = useInfiniteQuery({
    queryKey: syncKeys.recordFeed(connectionId, model, filter),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/v1/records', {
          params: {
            query: {
              connection_id: connectionId,
              model,
              limit: FEED_PAGE,
              ...(filter ? { filter } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = feed.data?.pages.flatMap((p) => p.records) ?? [];
  return (
    <section className="stack" aria-labelledby="feed-title">
      <div className="page-header">
        <h2 id="feed-title" className="sy-section-title">
          Changes to <code>{model}</code>
        </h2>
        <div className="row sy-export">
          <SelectField label="Show" value={filter} empty="All changes" options={filterOptions} onChange={onFilter} />
          <ExportModel connectionId={connectionId} model={model} />
        </div>
      </div>
      {feed.isPending ? (
        <Loading what="Loading the changes" />
      ) : feed.error ? (
        <ErrorState error={feed.error} retry={() => void feed.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={filter ? `No ${filter} records` : 'No changes'} />
      ) : (
        <>
          <DataTable columns={['Change', 'Record id', 'Last modified', 'Data']} testId="record-feed">
            {rows.map((r) => (
              <ChangeRow key={r._switchyard.cursor} record={r} />
            ))}
          </DataTable>
          <p className="muted small" data-testid="record-feed-count">
            {rows.length === 1 ? '1 change' : `${count(rows.length)} changes`}
            {feed.hasNextPage ? ', more follow' : ', to the end of the feed'}
          </p>
          {feed.hasNextPage && (
            <button
              type="button"
              className="button"
              disabled={feed.isFetchingNextPage}
              onClick={() => void feed.fetchNextPage()}
            >
              {feed.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** Download the model's live records in a file format, streamed by the API (the session cookie authenticates it). */
function ExportModel({ connectionId, model }: { connectionId: string; model: string }) {
  const [format, setFormat] = useState('csv');
  const query = new URLSearchParams({ connection_id: connectionId, model, format });
  return (
    <div className="row" data-testid="record-export">
      <SelectField label="Export as" value={format} options={exportFormats} onChange={setFormat} />
      <a className="button sy-align-end" href={`/v1/records/export?${query}`} download={`${model}.${format}`}>
        Download
        <span className="visually-hidden">
          {' '}
          {model} as {format.toUpperCase()}
        </span>
      </a>
    </div>
  );
}

function ChangeRow({ record: r }: { record: StoredRecord }) {
  const meta = r._switchyard;
  const text = JSON.stringify(r.data);
  return (
    <tr data-testid="record-change">
      <td>
        <Badge value={actionTone[meta.action]} label={meta.action} />
      </td>
      <td>
        <code>{r.id}</code>
      </td>
      <td>
        <Time iso={meta.last_modified_at} />
      </td>
      <td className="sy-record-data">
        {text.length <= PREVIEW_CHARS ? (
          <code>{text}</code>
        ) : (
          <details>
            <summary>
              <code>{`${text.slice(0, PREVIEW_CHARS)}…`}</code>
            </summary>
            <JsonBlock value={r.data} label={`Record ${r.id}`} />
          </details>
        )}
      </td>
    </tr>
  );
}
