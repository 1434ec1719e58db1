/**
 * Every LISTEN/NOTIFY channel, named once; `Db.listen` and `Db.notify` take only these. The adapters prefix each
 * with the database's namespace (tests sharing a database do not hear each other).
 *
 * SQL cannot import this, so a trigger spells its channel itself: migrations/0006 (`webhook_deliveries_wake`)
 * notifies `webhook_deliveries` after every insert into webhook_deliveries.
 */
export const channels = {
  /** A connector registry entry changed; the payload is empty (every node reloads the registry). */
  registryChanged: 'registry_changed',
  /** Anything that can alter a principal (keys, sessions, users, roles, tenants); the payload is empty. */
  authInvalidate: 'auth_invalidate',
  /** A connection's state, config or credentials changed, or it was deleted; the payload is its id. */
  connectionChanged: 'connection_changed',
  /** A tenant event type changed; the payload is `<tenant id> <name>`. */
  eventTypeChanged: 'event_type_changed',
  /** An inbound source or its secrets changed; the payload is the source id. */
  inboundSourceChanged: 'inbound_source_changed',
  /** An outbound endpoint changed (edit, secret rotation, disable, delete); the payload is its id. */
  webhookEndpointChanged: 'webhook_endpoint_changed',
  /** Deliveries are due (inserted: the 0006 trigger; or requeued by a retry or a replay); the payload is empty. */
  webhookDeliveries: 'webhook_deliveries',
  /** Sync runs are due (inserted: the 0011 trigger; or released by a finished run); the payload is empty. */
  syncExecutions: 'sync_executions',
  /** A running sync execution was asked to stop; the payload is its id. */
  syncCancel: 'sync_cancel',
  /** A provider route changed or was deleted; the payload is `<tenant id> <route name>`. */
  routeChanged: 'route_changed',
  /** A connection's circuit breaker or rate-limit state changed; the payload is the connection id. */
  providerHealthChanged: 'provider_health_changed',
  /** Queued route requests are due (a new one, or a window that reset); the payload is empty. */
  routeRequests: 'route_requests',
  /** A queued route request was served, failed or expired; the payload is its id. */
  routeRequestDone: 'route_request_done',
  /** Storage transfer items are due (a new import or export, a retry); the payload is empty. */
  storageTransfers: 'storage_transfers',
  /** A storage transfer ended (every item done); the payload is its id. */
  storageTransferDone: 'storage_transfer_done',
} as const;

export type Channel = (typeof channels)[keyof typeof channels];
