import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage, SwitchyardError } from '../api.js';
import { Field } from './field.js';

export { Field };

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

/** An API failure shown in place of the content: the API's message, its code and the request id to quote. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const problem = error instanceof SwitchyardError ? error.problem : undefined;
  return (
    <div className="callout callout-error" role="alert">
      <strong>{errorMessage(error)}</strong>
      {problem && (
        <p className="small muted">
          Error code <code>{problem.code}</code>
          {problem.request_id && (
            <>
              {' '}
              · request id <code>{problem.request_id}</code>
            </>
          )}
        </p>
      )}
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

const tone: Record<string, string> = {
  active: 'good',
  delivered: 'good',
  processed: 'good',
  enabled: 'good',
  paused: 'warn',
  pending: 'info',
  dispatched: 'info',
  received: 'info',
  testing: 'info',
  inactive: 'neutral',
  skipped: 'neutral',
  duplicate: 'neutral',
  disabled: 'neutral',
  coming_soon: 'info',
  built_in: 'info',
  maintenance: 'warn',
  deprecated: 'warn',
  sunset: 'warn',
  auth_expired: 'warn',
  auth_revoked: 'bad',
  error: 'bad',
  failed: 'bad',
  rejected: 'bad',
  success: 'good',
  complete: 'good',
  running: 'info',
  partial_success: 'warn',
  stuck: 'warn',
  cancelled: 'neutral',
};

/**
 * A status as a coloured label; the text always says the status, colour only repeats it. `color` picks the tone
 * (good, warn, bad, info, neutral) where the word is not one of the statuses above.
 */
export function Badge({ value, label, color }: { value: string; label?: string; color?: string | undefined }) {
  return (
    <span className={`badge badge-${color ?? tone[value] ?? 'neutral'}`}>{label ?? value.replaceAll('_', ' ')}</span>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function timeAgo(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  // A time still to come (a sync's next run).
  if (seconds < -1) {
    const ahead = -seconds;
    if (ahead < 60) return `in ${ahead} s`;
    if (ahead < 3600) return `in ${Math.round(ahead / 60)} min`;
    if (ahead < 86400) return `in ${Math.round(ahead / 3600)} h`;
    return `in ${Math.round(ahead / 86400)} d`;
  }
  if (seconds < 60) return seconds <= 1 ? 'just now' : `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">never</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {timeAgo(iso)}
    </time>
  );
}

/** A labelled select over a list of options; `empty` adds a first option for "no choice" (value ''). */
export function SelectField({
  label,
  value,
  onChange,
  options,
  empty,
  help,
  error,
}: {
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  options: readonly { value: string | number; label: string }[];
  empty?: string;
  help?: ReactNode;
  error?: string | undefined;
}) {
  return (
    <Field label={label} help={help} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          // Clipboard access can be refused (insecure origin, permissions): select-and-copy still works.
          const area = document.createElement('textarea');
          area.value = text;
          document.body.append(area);
          area.select();
          document.execCommand('copy');
          area.remove();
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A modal dialog on the native <dialog> element: focus is trapped, Escape closes it. */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="link" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

/** Ask before a destructive action, naming what it removes. */
export function ConfirmDialog({
  title,
  open,
  confirmLabel,
  pending,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  open: boolean;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <div className="stack">{children}</div>
      <FormActions
        onCancel={onClose}
        pending={pending}
        label={confirmLabel}
        pendingLabel="Working…"
        onConfirm={onConfirm}
      />
    </Dialog>
  );
}

/**
 * A dialog's Cancel and main buttons; the main one is disabled and says what is happening while `pending`. It submits
 * the surrounding form, or, given `onConfirm`, is a destructive button of its own.
 */
export function FormActions({
  onCancel,
  pending,
  label,
  pendingLabel,
  onConfirm,
}: {
  onCancel: () => void;
  pending?: boolean | undefined;
  label: string;
  pendingLabel: string;
  onConfirm?: () => void;
}) {
  return (
    <div className="actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={onConfirm ? 'button button-danger' : 'button button-primary'}
        disabled={pending}
        onClick={onConfirm}
      >
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}

/**
 * Cursor pagination over `{ data, next_cursor }` lists: keeps the cursors of the pages seen so Previous works.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    reset: () => setStack([undefined]),
    next: (nextCursor: string | null | undefined) => nextCursor && setStack((s) => [...s, nextCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
  };
}

export function Pager({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
}) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" className="button" disabled={pages.page === 1} onClick={pages.previous}>
        Previous
      </button>
      <span className="muted">Page {pages.page}</span>
      <button type="button" className="button" disabled={!nextCursor} onClick={() => pages.next(nextCursor)}>
        Next
      </button>
    </nav>
  );
}

/** JSON pretty-printed in a scrollable block (payloads, response bodies). */
export function JsonBlock({ value, label, testId }: { value: unknown; label?: string; testId?: string }) {
  const text = typeof value === 'string' ? prettyJson(value) : JSON.stringify(value, null, 2);
  return (
    <pre className="code" tabIndex={0} aria-label={label ?? 'JSON'} data-testid={testId}>
      {text}
    </pre>
  );
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Shown in place of a page the signed-in role cannot use (seed 000 troubleshooting: say what is missing). */
export function AccessDenied({ capability, what }: { capability: string; what: string }) {
  return (
    <section className="page" aria-labelledby="denied-title">
      <h1 id="denied-title">Access denied</h1>
      <div className="callout callout-warn" role="alert">
        <p>
          Your role cannot {what}: it lacks the <code>{capability}</code> capability.
        </p>
        <p className="muted">Ask a tenant administrator to grant it, or to give you a role that includes it.</p>
      </div>
    </section>
  );
}

/**
 * Shown in place of a page the tenant's subscription does not include (seed 000 troubleshooting, "Financial Data tab
 * not visible"): which feature is missing and who can enable it.
 */
export function FeatureMissing({ feature, title, what }: { feature: string; title: string; what: string }) {
  return (
    <section className="page" aria-labelledby="feature-missing-title">
      <h1 id="feature-missing-title">{title} is not enabled</h1>
      <div className="callout callout-warn" role="alert" data-testid="feature-missing">
        <p>
          Your subscription needs the <code>{feature}</code> capability to {what}; contact your administrator to enable
          it if your plan supports it.
        </p>
        <p className="muted">An administrator turns it on for the tenant; the tab appears once it is enabled.</p>
      </div>
    </section>
  );
}
