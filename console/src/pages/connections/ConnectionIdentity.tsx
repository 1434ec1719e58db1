import { Link } from 'react-router';
import { JsonBlock } from '../../ui/components.js';
import type { Connection } from './shared.js';

/**
 * Who a connection belongs to in the embedding product (its end user), the product's own key for it, its tags and
 * metadata: what connect sessions and `POST /v1/connections` record, shown on the list and the detail page.
 */

const endUserName = (u: NonNullable<Connection['end_user']>) => u.display_name || u.id;

/** The end user in a table cell: name (or id) and email, the organisation under them. */
export function EndUserCell({ endUser }: { endUser: Connection['end_user'] }) {
  if (!endUser) return <span className="muted">—</span>;
  return (
    <div data-testid="end-user">
      <span>{endUserName(endUser)}</span>
      {endUser.display_name && (
        <div className="small muted">
          <code>{endUser.id}</code>
        </div>
      )}
      {endUser.email && <div className="small muted">{endUser.email}</div>}
    </div>
  );
}

/** Tags as chips; on the list, `onPick` filters by the tag. */
export function TagChips({ tags, onPick }: { tags: string[]; onPick?: (tag: string) => void }) {
  if (tags.length === 0) return null;
  return (
    <ul className="chips tag-chips" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          {onPick ? (
            <button
              type="button"
              className="chip tag-chip"
              aria-label={`Show only connections tagged ${tag}`}
              onClick={() => onPick(tag)}
            >
              {tag}
            </button>
          ) : (
            <Link className="chip tag-chip" to={`/connections?tags=${encodeURIComponent(tag)}`}>
              {tag}
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The detail page's entries (inside its settings `<dl>`): key, end user and tags. */
export function IdentityEntries({ connection: c }: { connection: Connection }) {
  return (
    <>
      <dt>Key</dt>
      <dd data-testid="connection-key">{c.key ? <code>{c.key}</code> : <span className="muted">—</span>}</dd>
      <dt>End user</dt>
      <dd>
        {c.end_user ? (
          <>
            <EndUserCell endUser={c.end_user} />
            {c.end_user.organization && (
              <div className="small muted">
                Organisation: {c.end_user.organization.name || c.end_user.organization.id}
              </div>
            )}
            <Link className="small" to={`/connections?end_user_id=${encodeURIComponent(c.end_user.id)}`}>
              All connections of {endUserName(c.end_user)}
            </Link>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </dd>
      <dt>Tags</dt>
      <dd>{c.tags.length > 0 ? <TagChips tags={c.tags} /> : <span className="muted">—</span>}</dd>
    </>
  );
}

/** The metadata the product stored on the connection, as JSON (nothing when empty). */
export function MetadataCard({ metadata }: { metadata: Connection['metadata'] }) {
  if (Object.keys(metadata).length === 0) return null;
  return (
    <section className="card" aria-labelledby="metadata-title">
      <h2 id="metadata-title">Metadata</h2>
      <p className="muted small">Stored with the connection by your product; Switchyard does not read it.</p>
      <JsonBlock value={metadata} label="Metadata" testId="connection-metadata" />
    </section>
  );
}
