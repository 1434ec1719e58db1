import { Badge } from '../../../ui/components.js';

/** The one write a detail dialog offers (replay an event, retry a delivery). */
export type DetailAction = {
  label: string;
  pendingLabel: string;
  pending: boolean;
  /** Why it cannot run now (shown as the disabled button's title). */
  blocked?: string | undefined;
  onRun: () => void;
};

/** The top of a detail dialog: the status, and its action when the role may take it. */
export function DetailHeader({ status, action }: { status: string; action: DetailAction | false }) {
  return (
    <div className="row wh-spread">
      <Badge value={status} />
      {action && (
        <button
          type="button"
          className="button button-primary"
          disabled={action.pending || action.blocked !== undefined}
          title={action.blocked}
          onClick={action.onRun}
        >
          {action.pending ? action.pendingLabel : action.label}
        </button>
      )}
    </div>
  );
}
