import { ApiError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { secretReferences } from './references.js';

/**
 * Secret authority over where a tenant secret is sent. A header value may reference a tenant secret
 * (`{{secrets.NAME}}`), resolved when the request is sent; whoever picks the URL such a header goes to receives the
 * secret's value. So sending a secret somewhere it was not sent before — saving a header that references it, or
 * moving the URL of a request whose headers reference it — needs `manage_secrets`, the capability that sets the
 * value, exactly as moving a connection's destination needs credential authority
 * (src/connections/credential-authority.ts). `manage_inbound` or `manage_webhooks` alone edit everything else,
 * restate the headers a destination already had, and drop them.
 *
 * Used by every place a tenant configures headers for a URL: inbound forward actions, whose references are resolved
 * when forwarding, and outbound endpoints, whose headers are sent as written today — held to the same rule so that
 * resolving them later cannot open a way around it.
 */

/** A request sent with these headers to this URL: an inbound rule's forward action, an outbound endpoint. */
export type HeaderDestination = { url: string; headers: Readonly<Record<string, string>> };

/** Each secret a destination sends, as `{{secrets.NAME}}` (or `NAME@version`), keyed by URL and reference. */
function sentSecrets(destinations: readonly HeaderDestination[]): Map<string, string> {
  const sent = new Map<string, string>();
  for (const { url, headers } of destinations) {
    for (const value of Object.values(headers)) {
      for (const ref of secretReferences(value)) {
        const name = ref.version !== undefined ? `${ref.name}@${ref.version}` : ref.name;
        sent.set(JSON.stringify([url, name]), name);
      }
    }
  }
  return sent;
}

/**
 * The secret references the `after` destinations send to a URL that `before` did not send them to (sorted, each
 * once): a new header, a reference added to a header, or a URL moved under headers that reference a secret.
 */
export function secretsSentAnew(before: readonly HeaderDestination[], after: readonly HeaderDestination[]): string[] {
  const had = sentSecrets(before);
  const anew = new Set<string>();
  for (const [key, name] of sentSecrets(after)) if (!had.has(key)) anew.add(name);
  return [...anew].sort();
}

/**
 * Refuses with 403 `forbidden` (`missing_capability: manage_secrets`, `secret_references`) when the change sends a
 * tenant secret to a URL it was not sent to before and the principal does not hold `manage_secrets`. `before` is
 * only asked for when it is needed (it may mean opening sealed headers).
 */
export async function assertSecretDestinationAuthority(
  principal: Principal,
  before: () => Promise<readonly HeaderDestination[]>,
  after: readonly HeaderDestination[],
): Promise<void> {
  if (principal.capabilities.has('manage_secrets')) return;
  if (sentSecrets(after).size === 0) return;
  const anew = secretsSentAnew(await before(), after);
  if (anew.length === 0) return;
  const refs = anew.map((name) => `{{secrets.${name}}}`).join(', ');
  throw new ApiError(
    'forbidden',
    `Sending ${refs} to a URL it was not sent to before needs the "manage_secrets" capability (secret authority).`,
    { missing_capability: 'manage_secrets', secret_references: anew },
  );
}
