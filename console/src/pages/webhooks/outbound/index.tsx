import { useState } from 'react';
import { useSession } from '../../../auth.js';
import { Dialog } from '../../../ui/components.js';
import { WebhooksPage } from '../shared/page.js';
import { DeliveryLog } from './delivery-log.js';
import { Endpoints } from './endpoints.js';
import { PublishForm } from './publish-form.js';
import { StatsPanel } from './stats-panel.js';

/** `/webhooks/outbound`: delivery statistics, the endpoints that receive events, and every delivery. */
export function Outbound() {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const [publishing, setPublishing] = useState(false);
  return (
    <WebhooksPage
      id="outbound-title"
      title="Outbound webhooks"
      intro="Endpoints that receive your events, with every delivery and its attempts."
      actions={
        <div className="row">
          {can('publish_events') && (
            <button type="button" className="button" onClick={() => setPublishing(true)}>
              Publish event…
            </button>
          )}
          {can('manage_webhooks') && (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Add endpoint
            </button>
          )}
        </div>
      }
    >
      {can('publish_events') && (
        <Dialog title="Publish an event" open={publishing} onClose={() => setPublishing(false)}>
          {publishing && <PublishForm onClose={() => setPublishing(false)} />}
        </Dialog>
      )}
      <StatsPanel />
      <Endpoints creating={creating} onCreated={() => setCreating(false)} onCancel={() => setCreating(false)} />
      {can('browse_delivery_log') ? (
        <DeliveryLog />
      ) : (
        <p className="callout callout-info">
          The delivery log needs the <code>browse_delivery_log</code> capability, which your role lacks.
        </p>
      )}
    </WebhooksPage>
  );
}
