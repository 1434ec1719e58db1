import type { AuthMethod, SessionConnector } from './api.js';
import type { useOAuthPopup } from './oauth-popup.js';
import { Spinner } from './parts.js';

/**
 * An OAuth connector: what the app will be allowed to do, then "Continue to X" opening the vendor's sign-in in a
 * window, and a waiting state with Cancel while the user is there (the screen owns the window: `oauth`).
 */
export function OAuthStep({
  oauth,
  connector,
  method,
  connectionId,
  productName,
  onBack,
}: {
  oauth: ReturnType<typeof useOAuthPopup>;
  connector: SessionConnector;
  method: AuthMethod;
  connectionId: string | undefined;
  productName: string;
  onBack: (() => void) | undefined;
}) {
  const busy = oauth.state.phase === 'starting' || oauth.state.phase === 'waiting';
  const scopes = method.scopes ?? [];

  return (
    <div className="oauth-step">
      <p>
        You will sign in to {connector.name} in a new window and allow {productName} to use your account. Your password
        is never shared with {productName}.
      </p>
      {scopes.length > 0 && (
        <>
          <h2 className="small-heading">{productName} asks to</h2>
          <ul className="scopes">
            {scopes.map((s) => (
              <li key={s.name}>
                {s.description || s.name} {s.description && <code className="muted small">{s.name}</code>}
              </li>
            ))}
          </ul>
        </>
      )}
      <div aria-live="polite" className="oauth-status">
        {oauth.state.phase === 'starting' && (
          <p className="status">
            <Spinner /> Opening {connector.name}…
          </p>
        )}
        {oauth.state.phase === 'waiting' && (
          <p className="status">
            <Spinner />{' '}
            {oauth.state.windowClosed
              ? `The ${connector.name} window was closed. Checking whether you finished…`
              : `Waiting for you to finish in the ${connector.name} window…`}
          </p>
        )}
        {oauth.state.phase === 'blocked' && (
          <p className="callout callout-warn" role="alert">
            Your browser blocked the {connector.name} window. Allow pop-ups for this page, then press Continue again.
          </p>
        )}
      </div>
      <div className="actions">
        {busy ? (
          <>
            <button type="button" className="button" onClick={oauth.cancel}>
              Cancel
            </button>
            {oauth.state.phase === 'waiting' && !oauth.state.windowClosed && (
              <button type="button" className="button" onClick={oauth.focus}>
                Show the {connector.name} window
              </button>
            )}
          </>
        ) : (
          <>
            {onBack && (
              <button type="button" className="button" onClick={onBack}>
                Back
              </button>
            )}
            <button
              type="button"
              className="button button-primary"
              onClick={() =>
                oauth.start({ connector: connector.slug, ...(connectionId ? { connection_id: connectionId } : {}) })
              }
            >
              Continue to {connector.name}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
