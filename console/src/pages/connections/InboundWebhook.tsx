import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, inboundKeys } from '../../query-keys.js';
import { CopyButton, ErrorState, Loading, Time } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { RotateSecretDialog } from '../webhooks/inbound/rotate-dialogs.js';
import { schemeLabel, type Source } from '../webhooks/inbound/schemes.js';
import { useRefreshWith } from '../webhooks/shared/refresh-with.js';
import { SecretOnce } from '../webhooks/shared/secret-once.js';
import '../webhooks/webhooks.css';
import { waitingForFirstEvent, type Connection } from './shared.js';

type Revealed = { title: string; note: string; items: { label: string; value: string; secret?: boolean }[] };

/**
 * The webhook configuration of a connection whose connector only receives webhooks (seed 000 "View webhook
 * configuration"): the URL to set up at the sender and its secret, shown once when the URL is created or the
 * secret rotated, and whether anything has arrived yet.
 */
export function InboundWebhook({ connection: c }: { connection: Connection }) {
  const { can } = useSession();
  const manage = can('manage_inbound');
  const [revealed, setRevealed] = useState<Revealed>();
  const [rotating, setRotating] = useState<Source>();
  const sources = useQuery({
    queryKey: inboundKeys.ofConnection(c.id),
    queryFn: () => call(api.GET('/v1/inbound/sources', { params: { query: { connection_id: c.id, limit: 20 } } })),
    enabled: can('view_inbound'),
    // While nothing has been accepted, show refused attempts (a wrong secret at the sender) as they come.
    refetchInterval: waitingForFirstEvent(c) ? 5000 : false,
  });
  // The connection is polled while it waits for its first event: its arrival refreshes the counts once more.
  useRefreshWith(c.webhooks?.last_event_at, [inboundKeys.ofConnection(c.id)]);
  const create = useWrite({
    run: () => call(api.POST('/v1/inbound/sources', { body: { name: c.name, connection_id: c.id } })),
    success: 'The webhook URL is ready.',
    invalidate: [inboundKeys.all, connectionKeys.detail(c.id)],
    onSuccess: (created) =>
      setRevealed({
        title: 'Webhook URL created',
        note: created.secret
          ? 'Enter the URL and the secret in the sending system’s webhook settings.'
          : 'Enter the URL in the sending system’s webhook settings; requests are verified with the secret this connection holds.',
        items: [
          { label: 'URL', value: created.source.url },
          ...(created.secret ? [{ label: 'Secret', value: created.secret, secret: true }] : []),
        ],
      }),
  });

  return (
    <section className="card stack" aria-labelledby="inbound-webhook-title" data-testid="inbound-webhook">
      <h2 id="inbound-webhook-title">Webhook configuration</h2>
      {waitingForFirstEvent(c) ? (
        <p className="callout callout-info" data-testid="waiting-first-event">
          <strong>Waiting for the first event.</strong> This connection only receives webhooks: it is proven once the
          sender posts a request that passes verification.
        </p>
      ) : (
        c.webhooks?.last_event_at && (
          <p data-testid="last-event">
            Last event accepted <Time iso={c.webhooks.last_event_at} />
          </p>
        )
      )}
      {!can('view_inbound') ? (
        <p className="muted">Your role cannot see inbound sources (it needs the view_inbound capability).</p>
      ) : sources.isPending ? (
        <Loading what="Loading the webhook URL" />
      ) : sources.error ? (
        <ErrorState error={sources.error} retry={() => void sources.refetch()} />
      ) : sources.data.data.length === 0 ? (
        <div className="stack">
          <p className="muted">
            No webhook URL yet.{' '}
            {manage
              ? 'Create one, then enter it (and its secret) in the sending system.'
              : 'Someone with the manage_inbound capability can create it.'}
          </p>
          {manage && (
            <div>
              <button
                type="button"
                className="button button-primary"
                disabled={create.isPending}
                onClick={() => create.mutate(undefined)}
              >
                {create.isPending ? 'Creating…' : 'Create webhook URL'}
              </button>
            </div>
          )}
        </div>
      ) : (
        sources.data.data.map((s) => (
          <dl key={s.id} className="details" data-testid="webhook-source">
            <dt>URL</dt>
            <dd>
              <div className="wh-copy">
                <code className="wh-url" data-testid="webhook-url">
                  {s.url}
                </code>
                <CopyButton text={s.url} label="Copy URL" />
              </div>
            </dd>
            <dt>Verification</dt>
            <dd>{schemeLabel(s.verification.type)}</dd>
            <dt>Secret</dt>
            <dd>
              {s.verification.type === 'none' ? (
                <span className="muted">none: requests are not verified</span>
              ) : (
                <>
                  <span className="muted">Sealed; shown only when created or rotated.</span>{' '}
                  {manage && (
                    <button type="button" className="button button-small" onClick={() => setRotating(s)}>
                      Rotate secret
                    </button>
                  )}
                </>
              )}
            </dd>
            <dt>Rejected requests</dt>
            <dd>
              {s.rejections.count}
              {s.rejections.last_reason && <span className="muted small"> · last: {s.rejections.last_reason}</span>}
            </dd>
            <dt>Events and rules</dt>
            <dd>
              <Link to="/webhooks/inbound">Inbound webhooks</Link>
            </dd>
          </dl>
        ))
      )}
      <RotateSecretDialog
        source={rotating}
        onClose={() => setRotating(undefined)}
        onRotated={(secret) => {
          setRotating(undefined);
          if (secret) {
            setRevealed({
              title: 'New secret',
              note: 'Enter it in the sending system; the previous secret is accepted until the overlap ends.',
              items: [{ label: 'Secret', value: secret, secret: true }],
            });
          }
        }}
      />
      <SecretOnce
        title={revealed?.title ?? ''}
        open={revealed !== undefined}
        onClose={() => setRevealed(undefined)}
        items={revealed?.items ?? []}
        {...(revealed ? { note: revealed.note } : {})}
      />
    </section>
  );
}
