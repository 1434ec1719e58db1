import { CopyButton, Dialog } from '../../../ui/components.js';

/** A secret (or URL) revealed once, with a copy button and a warning that it will not be shown again. */
export function SecretOnce({
  title,
  open,
  onClose,
  items,
  note,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  items: { label: string; value: string; secret?: boolean }[];
  note?: string;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <div className="stack">
        {items.some((i) => i.secret) && (
          <p className="callout callout-warn" role="note">
            Copy the secret now and store it where the other side can use it: Switchyard shows it only this once.
          </p>
        )}
        {note && <p className="muted">{note}</p>}
        {items.map((item) => (
          <div key={item.label} className="wh-secret" data-testid={item.secret ? 'secret-once' : undefined}>
            <p className="wh-secret-label">{item.label}</p>
            <div className="wh-secret-value">
              <code>{item.value}</code>
              <CopyButton text={item.value} label={`Copy ${item.label.toLowerCase()}`} />
            </div>
          </div>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
