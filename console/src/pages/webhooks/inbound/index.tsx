import { useState } from 'react';
import { useSession } from '../../../auth.js';
import { WebhooksPage } from '../shared/page.js';
import { EventLog } from './event-log.js';
import { Sources } from './sources.js';

/** `/webhooks/inbound`: the sources vendors post to, and the log of every request they received. */
export function Inbound() {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  return (
    <WebhooksPage
      id="inbound-title"
      title="Inbound webhooks"
      intro="Public URLs that receive vendors’ webhooks, verify them and log every request they receive."
      actions={
        can('manage_inbound') && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add source
          </button>
        )
      }
    >
      <Sources creating={creating} onDone={() => setCreating(false)} />
      <EventLog />
    </WebhooksPage>
  );
}
