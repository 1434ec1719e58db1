import { ScreenHeading } from './parts.js';

export type Failure = {
  /** What happened, for the end user (the server's `explanation`, or our own words). */
  explanation: string;
  /** The vendor's or the server's own message, shown under "Details". */
  detail?: string | undefined;
  code?: string | undefined;
  status?: number | null | undefined;
};

/** The test call or the sign-in failed: plain words first, the technical part folded away, and what to do next. */
export function FailurePanel({
  connectorName,
  failure,
  onRetry,
  onOther,
}: {
  connectorName: string;
  failure: Failure;
  onRetry: () => void;
  onOther: (() => void) | undefined;
}) {
  return (
    <div className="failure" data-testid="connect-failure">
      <ScreenHeading>Could not connect {connectorName}</ScreenHeading>
      <p className="callout callout-error" role="alert">
        {failure.explanation}
      </p>
      {(failure.detail || failure.code) && (
        <details className="details">
          <summary>Details</summary>
          <dl>
            {failure.detail && (
              <>
                <dt>Message</dt>
                <dd>{failure.detail}</dd>
              </>
            )}
            {failure.status ? (
              <>
                <dt>HTTP status</dt>
                <dd>{failure.status}</dd>
              </>
            ) : null}
            {failure.code && (
              <>
                <dt>Code</dt>
                <dd>
                  <code>{failure.code}</code>
                </dd>
              </>
            )}
          </dl>
        </details>
      )}
      <div className="actions">
        {onOther && (
          <button type="button" className="button" onClick={onOther}>
            Choose another app
          </button>
        )}
        <button type="button" className="button button-primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </div>
  );
}

/** Connected: what and as whom, and Close (the product page was told already). */
export function SuccessScreen({
  connectorName,
  account,
  reconnected,
  productName,
  canClose,
  onClose,
}: {
  connectorName: string;
  account: string | null | undefined;
  reconnected: boolean;
  productName: string;
  canClose: boolean;
  onClose: () => void;
}) {
  return (
    <div className="result" data-testid="connect-success">
      <div className="result-icon result-good" aria-hidden="true">
        ✓
      </div>
      <ScreenHeading>
        {reconnected ? 'Reconnected to' : 'Connected to'} {connectorName}
      </ScreenHeading>
      <p>
        {account ? (
          <>
            Connected as <strong data-testid="connected-account">{account}</strong>.{' '}
          </>
        ) : null}
        {productName} can now use your {connectorName} account.
      </p>
      {canClose ? (
        <div className="actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            Close
          </button>
        </div>
      ) : (
        <p className="muted">You can close this page and go back to {productName}.</p>
      )}
    </div>
  );
}

const deadTitles: Record<string, string> = {
  expired: 'This link has expired',
  used: 'This link was already used',
  unknown: 'This link is not valid',
  missing: 'This link is incomplete',
};

/** The session cannot be used (expired, used, unknown): nothing here can work, so say where to go instead. */
export function DeadSessionScreen({
  reason,
  productName,
  canClose,
  onClose,
}: {
  reason: string;
  productName: string;
  canClose: boolean;
  onClose: () => void;
}) {
  return (
    <div className="result" data-testid="connect-dead">
      <div className="result-icon result-bad" aria-hidden="true">
        !
      </div>
      <ScreenHeading>{deadTitles[reason] ?? deadTitles.unknown}</ScreenHeading>
      <p>
        Go back to {productName} and start again: it will give you a new link.
        {reason === 'used' && ' Each link connects one account, once.'}
      </p>
      {canClose && (
        <div className="actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
