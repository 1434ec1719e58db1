import { presentOne } from '../connections/inbound-activity.js';
import { connectionSchema } from '../connections/present.js';
import { createdAuditDiff, createErrors } from '../connections/service-create.js';
import { defineRoute } from '../core/http/route.js';
import type { OAuthFlowDeps } from './flows/start.js';
import { importBody, importConnection } from './import.js';

export function importRoutes(deps: Omit<OAuthFlowDeps, 'auth' | 'publicUrl' | 'revoker'>) {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/connections/import',
      operationId: 'importConnection',
      summary: 'Import a connection with credentials held elsewhere (OAuth tokens or an API key), tested first',
      description:
        'For moving from another platform without asking every customer to consent again. Give `oauth` (access ' +
        'token, refresh token, expiry, scopes) for an OAuth 2.0 connector, or `credentials` for an API-key, Basic ' +
        'or JWT one. An access token at or near its expiry is refreshed first with the refresh token given; then ' +
        'the connector’s test call runs (unless `validate: false`) and only a passing test stores anything, sealed ' +
        'at once. A refresh whose answer was lost (a timeout, a gateway’s 502 or 504) answers 409 ' +
        '`oauth_refresh_unconfirmed`: the vendor may have rotated the token, so do not import it again as it is. ' +
        'Needs `import_connections` (and the connector’s own capability, e.g. ' +
        '`manage_payment_credentials`). With a `key`, a repeated import answers 200 with the connection it made.',
      tags: ['Connections'],
      access: { capability: 'import_connections' },
      audit: { action: 'connection.import', targetType: 'connection' },
      errors: [...createErrors, 'oauth_refresh_unconfirmed', 'not_found'],
      schema: {
        body: importBody,
        response: {
          201: connectionSchema,
          200: connectionSchema.describe('A repeat of the import that made this connection (same `key`)'),
        },
      },
      status: 201,
      async handler({ body, principal, req, transaction, audit, respond }) {
        const { connection, repeated } = await importConnection(deps, principal, body, {
          requestId: req.id,
          transaction,
          onCreated: (row) =>
            audit.target(
              row.id,
              createdAuditDiff(row, {
                kind: body.oauth ? 'oauth_tokens' : 'credentials',
                ...(body.oauth ? { refresh_token: body.oauth.refresh_token !== undefined } : {}),
              }),
            ),
        });
        if (repeated) {
          respond(200);
          audit.target(connection.id, { repeated: true, key: connection.key });
        }
        return presentOne(deps, connection);
      },
    }),
  ];
}
