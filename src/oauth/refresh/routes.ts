import { assertConnectorCapability, connectorFor } from '../../connections/connector-access.js';
import { presentOne } from '../../connections/inbound-activity.js';
import { connectionSchema } from '../../connections/present.js';
import type { ConnectionDeps } from '../../connections/service-common.js';
import { testConnection } from '../../connections/service-lifecycle.js';
import { getConnection } from '../../connections/sql.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { idParams } from '../../core/http/schemas.js';

/**
 * Seed 003 "Refresh credentials": for when a vendor invalidated a token out of band. The refresh runs at once (under
 * the same lease as every other refresh), then the connector's test call validates the new token and its outcome
 * sets the state, as a test would. A refresh the server refuses answers the error, the connection already moved to
 * the state the refusal means.
 */
export function refreshRoutes(deps: ConnectionDeps) {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/connections/:id/refresh',
      operationId: 'refreshConnection',
      summary: 'Refresh an OAuth connection’s tokens now, then run its test call',
      description:
        'Forces a token refresh (a rotated refresh token is stored), then runs the connector’s test call with the new ' +
        'access token and records its outcome like `POST /v1/connections/{id}/test`. At user level it refreshes the ' +
        'caller’s own credential. A refusal answers 409 `connection_unusable` (the connection is then `auth_revoked`, ' +
        '`auth_expired` or `error`), an unreachable authorization server 502 `oauth_unavailable`, a token endpoint ' +
        'the SSRF guard refuses 422 `destination_blocked`. This is also the explicit step after 409 ' +
        '`oauth_refresh_unconfirmed` (a refresh request whose answer was lost): it sends the stored refresh token ' +
        'once more. Connections that do ' +
        'not use OAuth answer 409 `conflict`: rotate their credentials with `PATCH /v1/connections/{id}`.',
      tags: ['Connections'],
      access: { capability: 'refresh_credentials' },
      audit: { action: 'connection.refresh', targetType: 'connection' },
      errors: [
        'not_found',
        'conflict',
        'connector_maintenance',
        'connection_unusable',
        'not_connected',
        'oauth_unavailable',
        'oauth_refresh_unconfirmed',
        'destination_blocked',
      ],
      schema: { params: idParams, response: { 200: connectionSchema } },
      async handler({ params, principal, req, transaction, audit }) {
        const current = await getConnection(deps.db, principal.tenantId, params.id);
        if (!current) throw notFound('Connection', params.id);
        audit.target(params.id, { refreshed: false });
        if (current.auth_method !== 'oauth2') {
          throw new ApiError(
            'conflict',
            `"${current.name}" does not use OAuth, so it has no token to refresh; rotate its credentials with PATCH /v1/connections/${current.id}.`,
          );
        }
        const { manifest } = await connectorFor(deps.registry, current.connector_slug, 'use');
        assertConnectorCapability(principal, manifest);
        await deps.tokens.freshAccessToken(
          principal.tenantId,
          current.id,
          current.level === 'user' ? principal.id : null,
          { force: true, trigger: 'manual' },
        );
        const { connection } = await testConnection(deps, principal, params.id, {
          requestId: req.id,
          transaction,
          onChange: (row, outcome) =>
            audit.target(params.id, { refreshed: true, outcome: outcome?.outcome ?? null, state: row.state }),
        });
        return presentOne(deps, connection);
      },
    }),
  ];
}
