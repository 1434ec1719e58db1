/**
 * Generated from openapi.json by scripts/generate-openapi.ts (npm run openapi). Do not edit by hand.
 */

export interface paths {
    "/files/shared/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a file through an expiring link
         * @description Answers the bytes with the file’s media type, an `ETag` of its SHA-256 and `Accept-Ranges: bytes`. With `Range: bytes=a-b` (or `a-`, or `-n` for the last n bytes) it answers 206 with that range, so an interrupted download resumes where it stopped; a range outside the file answers 416. An expired link answers 410 `link_expired`; a link not signed by this server (or whose file is gone) answers 404.
         */
        get: operations["downloadSharedFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hooks/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Answer a vendor’s check of a webhook URL
         * @description For a source whose `handshake` says so: `challenge_query` echoes `?challenge=` (Dropbox), `validation_token` echoes `?validationToken=` (Microsoft Graph), `get_ok` answers 200 (Mailchimp’s check before saving a URL; its empty POST gets the same answer from the ingest route). Plain text, never stored. Any other URL, or a source without that handshake, answers 404 as an unknown URL does.
         */
        get: operations["answerInboundHandshake"];
        put?: never;
        /**
         * Receive a webhook from an external system
         * @description The URL is the credential that names a source. The raw body is verified with the source’s scheme, then stored with its headers before any 2xx is sent; a repeated provider delivery id within the dedup window answers 202 with `status: duplicate`. Asynchronous sources answer 202 at once; synchronous ones run the routing rules and answer 200 with their results (or 202 if they take longer than the source’s timeout). Rejected requests (signature, timestamp, IP, size, media type) are counted and logged without their bodies. An unknown or disabled URL answers 404 whether or not it ever existed. URL checks are answered with their challenge in plain text and not stored: Slack’s signed `url_verification` (slack sources) and Microsoft Graph’s `?validationToken=` (sources with that `handshake`), and a POST without a body to a source whose `handshake` is `get_ok` (Mailchimp).
         */
        post: operations["receiveInboundWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers and every migration is applied */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys, newest first */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key; the token is in this response only */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an API key */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key (effective at once on every node)
         * @description The caller must hold every capability of the key’s role (403 `privilege_escalation` otherwise), and only a superuser may revoke a superuser’s key.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List activity-log entries, newest first
         * @description Filters combine with AND. `action` accepts an exact action or a prefix ending in `.*` (e.g. `api_key.*`).
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the capabilities routes can serve, with the connectors that serve each */
        get: operations["listRoutingCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Connect UI: connect an API-key, Basic or JWT account (tested first) */
        post: operations["connectWithSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/connections/{id}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Connect UI: renew the credentials of one of the end user’s connections (tested first) */
        post: operations["reconnectWithSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Connect UI: start the OAuth consent for a connector (or to renew one of the end user’s connections) */
        post: operations["authorizeWithSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/oauth/flows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connect UI: where an OAuth consent the session started stands */
        get: operations["readFlowWithSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connect UI: the session’s end user, branding, connectors (with their forms) and existing connections */
        get: operations["readOwnConnectSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a connect session: a short-lived link for one end user to connect their accounts
         * @description Your backend names the end user, the connectors they may choose (with scopes), tags and metadata for the connection, the origins allowed to embed the Connect UI, an expiry (30 minutes by default) and branding. It gets a single-use `token` (shown once) and the `url` of the hosted Connect UI to open (or hand to `@switchyard/connect`). The session acts with your authority, limited to those connectors; it needs `create_connection` as well.
         */
        post: operations["createConnectSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a connect session: pending, used (with the connection) or expired */
        get: operations["getConnectSession"];
        put?: never;
        post?: never;
        /** End a connect session now: its token stops working */
        delete: operations["endConnectSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List connections (filter, search, sort, cursor pages) */
        get: operations["listConnections"];
        put?: never;
        /**
         * Create a connection (tested first unless validate is false)
         * @description Credentials may be given as values or as secret references (`{{secrets.NAME}}`). With `validate: true` (the default) the connector’s test call runs first: if it fails nothing is stored and the outcome comes back in a 422. With `validate: false` the connection is saved `inactive`. OAuth client-credentials methods take no credentials: the token is fetched with the tenant’s or the platform’s OAuth app. Authorization-code methods are connected through `POST /v1/oauth/authorize`.
         */
        post: operations["createConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a connection with credentials held elsewhere (OAuth tokens or an API key), tested first
         * @description For moving from another platform without asking every customer to consent again. Give `oauth` (access token, refresh token, expiry, scopes) for an OAuth 2.0 connector, or `credentials` for an API-key, Basic or JWT one. An access token at or near its expiry is refreshed first with the refresh token given; then the connector’s test call runs (unless `validate: false`) and only a passing test stores anything, sealed at once. A refresh whose answer was lost (a timeout, a gateway’s 502 or 504) answers 409 `oauth_refresh_unconfirmed`: the vendor may have rotated the token, so do not import it again as it is. Needs `import_connections` (and the connector’s own capability, e.g. `manage_payment_credentials`). With a `key`, a repeated import answers 200 with the connection it made.
         */
        post: operations["importConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count connections by state
         * @description The health summary of the console overview: how many connections the tenant has in each state.
         */
        get: operations["summarizeConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a connection */
        get: operations["getConnection"];
        put?: never;
        post?: never;
        /** Disconnect: delete the connection and its credentials */
        delete: operations["deleteConnection"];
        options?: never;
        head?: never;
        /**
         * Edit name, description or config, or rotate credentials (re-tested)
         * @description Rotating credentials also needs `create_connection` (credential authority), and so does changing a config field that decides where the credentials are sent (one the connector’s base URL, OAuth endpoints or connection string render, e.g. a subdomain, region or instance URL): without it, 403 `forbidden` with `missing_capability` and `destination_fields`.
         */
        patch: operations["updateConnection"];
        trace?: never;
    };
    "/v1/connections/{id}/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect your own account to a user-level OAuth connection
         * @description Each user of a user-level connection (personal storage, mailboxes) authorizes their own account; calls through the connection then use the caller’s credential.
         */
        post: operations["connectUserAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** State history of a connection, newest first */
        get: operations["listConnectionHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause: no deliveries, no proxied calls; credentials kept */
        post: operations["pauseConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/proxy/{*}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Send a GET request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        get: operations["proxyGet"];
        /**
         * Send a PUT request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        put: operations["proxyPut"];
        /**
         * Send a POST request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        post: operations["proxyPost"];
        /**
         * Send a DELETE request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        delete: operations["proxyDelete"];
        /**
         * Send a OPTIONS request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        options: operations["proxyOptions"];
        head?: never;
        /**
         * Send a PATCH request to the vendor through a connection
         * @description Sends the request to the connector’s base URL (rendered with the connection’s config) plus the path after `/proxy/` and the query string, with the connection’s credentials added. Bodies are streamed both ways (a vendor answer of declared length up to 64 KiB is read whole first, so one cut off midway becomes a 502) and the vendor’s status and headers come back as they are, except hop-by-hop headers, `Set-Cookie` and browser-policy headers (`Access-Control-*`, `Strict-Transport-Security`, `Clear-Site-Data`, `Alt-Svc`). The caller’s `Authorization`, `Cookie`, `X-CSRF-Token` and `Switchyard-*` headers never reach the vendor. URLs in the vendor’s `Link` and `Location` headers that lie under the connection’s base URL come back pointed at this proxy, so a client following a next page or a redirect stays behind Switchyard.  Per call: `Switchyard-Retries: <0-5>` (default 2), `Switchyard-Retry-On: 429,503,…` (default 429, 500, 502, 503, 504), `Switchyard-Timeout: <seconds>` (default 30). GET, HEAD, OPTIONS, PUT and DELETE are retried on network errors and those statuses, with exponential backoff and full jitter, honouring `Retry-After` and the connector’s rate-limit reset header up to a 10 s wait (a longer one returns the vendor’s answer as it is). POST and PATCH are retried only on failures to connect, unless `Switchyard-Retries` is sent. Bodies over 1 MiB are streamed and never retried. `x-switchyard-retries` in the response says how many retries were made; `Server-Timing: vendor;dur=…` how long the vendor took to answer (retries included).  When the vendor’s rate-limit headers say the connection’s budget is spent, the call waits for the reset when it is within 10 s and is refused with 429 `rate_budget_exhausted` and `Retry-After` otherwise (counted per server node). Every call is recorded in the connection’s request log (`GET /v1/connections/{id}/requests`).  OAuth connections: the access token is refreshed before it expires; when the vendor answers 401 the token is refreshed and the call sent once more (unless its body was streamed). A user-level connection signs with the caller’s own credential; a caller who has not connected gets 409 `not_connected` with the `connect_url`. `Switchyard-Required-Scopes: a b` names the scopes a call needs: when the credential was not granted one of them the call is refused with 403 `scope_insufficient` (missing scopes listed) before it reaches the vendor.
         */
        patch: operations["proxyPatch"];
        trace?: never;
    };
    "/v1/connections/{id}/reauthorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-authorize an OAuth connection (renewed consent, or a new scope set)
         * @description Needs `edit_scopes` as well when `scopes` differ from the scopes the connection asks for now. At a user-level connection this renews the caller’s own credential. Re-authorizing as another vendor account needs `create_connection`.
         */
        post: operations["reauthorizeConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh an OAuth connection’s tokens now, then run its test call
         * @description Forces a token refresh (a rotated refresh token is stored), then runs the connector’s test call with the new access token and records its outcome like `POST /v1/connections/{id}/test`. At user level it refreshes the caller’s own credential. A refusal answers 409 `connection_unusable` (the connection is then `auth_revoked`, `auth_expired` or `error`), an unreachable authorization server 502 `oauth_unavailable`, a token endpoint the SSRF guard refuses 422 `destination_blocked`. This is also the explicit step after 409 `oauth_refresh_unconfirmed` (a refresh request whose answer was lost): it sends the stored refresh token once more. Connections that do not use OAuth answer 409 `conflict`: rotate their credentials with `PATCH /v1/connections/{id}`.
         */
        post: operations["refreshConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Request log of a connection (proxied calls and tests), newest first
         * @description Method, path, status, latency, bytes and retries; never headers or bodies.
         */
        get: operations["listConnectionRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused connection (tested first; a failure leaves it in error) */
        post: operations["resumeConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the connector’s test call and record the outcome */
        post: operations["testConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Browse the connector library (search, filters, counts per category)
         * @description Most popular first, then by name. Retired entries are left out unless a superuser asks for them with `include_retired=true`.
         */
        get: operations["listConnectors"];
        put?: never;
        /**
         * Add a custom connector to the registry (superuser)
         * @description The body is a manifest, validated like the files in connectors/: each problem comes back in `errors` with its JSON pointer under `body` (e.g. `body/auth/0/type`).
         */
        post: operations["createConnector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connectors/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a connector type with its configuration form
         * @description The form: config fields and, per auth method, its credential fields (which are secret), and for OAuth 2.0 its scopes, levels and the redirect URI to register with the vendor. Never holds a secret value.
         */
        get: operations["getConnector"];
        put?: never;
        post?: never;
        /**
         * Delete a custom connector that no connection uses (superuser)
         * @description Built-in connectors cannot be deleted (their file would bring them back); retire them instead.
         */
        delete: operations["deleteConnector"];
        options?: never;
        head?: never;
        /**
         * Change a connector’s availability, management pattern, presentation or retirement (superuser)
         * @description Availability, management and the presentation fields (name, description, category, complexity, popularity, features, data types) set here override the manifest’s and survive its updates, built-in or custom; `overridden` lists the presentation fields changed. `retired: true` hides the entry from the library and refuses new connections; existing ones keep working. A custom entry’s manifest may be replaced (same slug); a built-in one comes from its file.
         */
        patch: operations["updateConnector"];
        trace?: never;
    };
    "/v1/connectors/{slug}/system-connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the platform’s credentials for a connector: which are set, never their values (superuser) */
        get: operations["getSystemConnection"];
        /**
         * Attach (or replace) the platform’s credentials for a shared or hybrid connector (superuser)
         * @description Checked against the connector’s form like a connection’s credentials; every field is sealed in the vault under the platform’s own data key. Secret references are not accepted (they resolve per tenant).
         */
        put: operations["setSystemConnection"];
        post?: never;
        /**
         * Remove the platform’s credentials for a connector (superuser)
         * @description Connections that use them stop working until credentials are attached again.
         */
        delete: operations["deleteSystemConnection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List event types: the built-in platform types and the tenant’s own */
        get: operations["listEventTypes"];
        put?: never;
        /** Define an event type (optionally with a JSON Schema for its payload) */
        post: operations["createEventType"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an event type */
        get: operations["getEventType"];
        put?: never;
        post?: never;
        /**
         * Archive an event type
         * @description An archived type accepts no new events and no new subscriptions; its past events keep it. Unarchive with PATCH.
         */
        delete: operations["archiveEventType"];
        options?: never;
        head?: never;
        /** Change an event type’s description or schema, or unarchive it */
        patch: operations["updateEventType"];
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List events, newest first */
        get: operations["listEvents"];
        put?: never;
        /**
         * Publish an event of one of the tenant’s event types
         * @description 201 with the new event; 200 with the original event when the idempotency key was used in the last 24 hours with the same type and data; 409 `idempotency_conflict` when it was used with different ones.
         */
        post: operations["publishEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an event */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List files, newest first */
        get: operations["listFiles"];
        put?: never;
        /**
         * Upload a file in one request: the body is its bytes
         * @description The body is stored as it arrives (any size up to SWITCHYARD_MAX_FILE_SIZE, in constant memory) under the `name` and `folder` given in the query; its media type is the request’s `Content-Type`. Answers 201 with a new file, or 200 with the file of that name given a new version (or unchanged, for the same bytes). For large files over unreliable networks use a resumable upload instead.
         */
        post: operations["uploadFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/folders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The subfolders of a folder, with the files and bytes under each
         * @description Folders exist while a file is in them (or below them). `parent` is `/` by default.
         */
        get: operations["listFileFolders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a resumable upload: declare the name and size, then append the bytes
         * @description Answers the upload with `offset: 0`. Send the bytes with `PATCH /v1/files/uploads/{id}` and an `Upload-Offset` header (in one request or several); after a dropped connection, `GET` the upload for the offset to resume from. The last byte makes the file. An upload not finished within 24 hours is removed. A size over the file size limit or the tenant’s room answers 413 at once.
         */
        post: operations["createFileUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an upload’s offset (where to resume) */
        get: operations["getFileUpload"];
        put?: never;
        post?: never;
        /** Abandon an upload and drop its bytes */
        delete: operations["abortFileUpload"];
        options?: never;
        head?: never;
        /**
         * Append bytes to an upload at its offset
         * @description The body is the next bytes; `Upload-Offset` must equal the upload’s offset (else 409 `upload_offset_mismatch` with the right `offset`). Answers the new offset, and the file once complete. When the last byte arrives but the file cannot be kept (the quota is used up meanwhile, the name was taken with `if_exists: fail`), an empty append at the end retries.
         */
        patch: operations["appendFileUpload"];
        trace?: never;
    };
    "/v1/files/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant’s stored bytes against its quota */
        get: operations["getFilesUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a file’s details */
        get: operations["getFile"];
        put?: never;
        post?: never;
        /** Delete a file and its versions (their bytes go once no other file holds them) */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        /**
         * Rename a file or move it to another folder
         * @description Answers 409 `conflict` when the target folder already holds a file of that name.
         */
        patch: operations["moveFile"];
        trace?: never;
    };
    "/v1/files/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a file (its current version), whole or one byte range
         * @description Answers the bytes with the file’s media type, an `ETag` of its SHA-256 and `Accept-Ranges: bytes`. With `Range: bytes=a-b` (or `a-`, or `-n` for the last n bytes) it answers 206 with that range, so an interrupted download resumes where it stopped; a range outside the file answers 416.
         */
        get: operations["downloadFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make an expiring link to a file’s bytes, for anyone who has it
         * @description The link names one version (the current one unless `version` is given) and works without credentials until `expires_at` (60 seconds to 7 days; 1 hour by default), then answers 410 `link_expired`. It cannot be revoked one by one: deleting the file ends it.
         */
        post: operations["createFileLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file’s versions, newest first */
        get: operations["listFileVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/versions/{version}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download one version of a file, whole or one byte range
         * @description Answers the bytes with the file’s media type, an `ETag` of its SHA-256 and `Accept-Ranges: bytes`. With `Range: bytes=a-b` (or `a-`, or `-n` for the last n bytes) it answers 206 with that range, so an interrupted download resumes where it stopped; a range outside the file answers 416.
         */
        get: operations["downloadFileVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files/{id}/versions/{version}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make an earlier version current again (as a new version)
         * @description Nothing changes when that version’s bytes are the current ones.
         */
        post: operations["restoreFileVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** File imports, newest first, each with its file, latest check and latest import run */
        get: operations["listImports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/inspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Detect a file’s format, propose a schema from a sample and show its first records
         * @description The proposal never fails on a guess: every field is proposed nullable, a field with a few odd values becomes text with a note saying which, and each field carries a confidence and examples. Accept or edit it as the import’s `source.schema`. A file that is not what its format says answers 422 `file_unreadable` with the line.
         */
        post: operations["inspectImportFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The inbound event log, newest first, with a payload preview */
        get: operations["listInboundEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One inbound event: headers, rule results, and the payload (whole with include_body=true) */
        get: operations["getInboundEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/events/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run one inbound event through its source’s rules again
         * @description Processed and failed events (and received ones not in flight) go back to `received`; their results start over and publishes are new events. Duplicates and rejected requests cannot be replayed.
         */
        post: operations["replayInboundEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the inbound events of a time range through their rules again (or count them) */
        post: operations["replayInboundEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List inbound webhook sources, newest first */
        get: operations["listInboundSources"];
        put?: never;
        /**
         * Create an inbound webhook source and its public URL
         * @description The answer carries the URL to give the sender (`POST /hooks/{token}`). When `connection_id` names a connection whose connector declares a webhook scheme, verification, the delivery-id and the event-type locations, the URL check and the accepted media types default to the vendor’s. The secret: given as `secret`; taken from the connection when omitted and the connector names the credential the vendor signs with (Twilio’s Auth Token) or for HubSpot (the tenant’s own OAuth app); required for the other schemes whose secret the vendor issues; otherwise generated and shown once.
         */
        post: operations["createInboundSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an inbound webhook source with its URL (never its secrets) */
        get: operations["getInboundSource"];
        put?: never;
        post?: never;
        /** Delete an inbound webhook source, its secrets and its event log */
        delete: operations["deleteInboundSource"];
        options?: never;
        head?: never;
        /** Change an inbound webhook source: verification, limits, rules, enable / disable */
        patch: operations["updateInboundSource"];
        trace?: never;
    };
    "/v1/inbound/sources/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a verification secret; the current ones are accepted until the overlap ends
         * @description Requests signed with either secret verify during the overlap, so the sender can switch at its own pace.
         */
        post: operations["rotateInboundSourceSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/sources/{id}/rotate-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give a source a new URL; the old one keeps working for a grace period */
        post: operations["rotateInboundSourceToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I: identity, role, capabilities and tenant */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start connecting an OAuth connector: get the vendor’s authorization URL
         * @description Checks the connector, scopes, level and config, then records a single-use flow (10 minutes, PKCE unless the vendor cannot). After the user consents, the vendor redirects to `GET /v1/oauth/callback`, which exchanges the code, runs the test call and only then creates the connection `active`.
         */
        post: operations["startOAuthAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/clients/{connector}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The OAuth app the tenant’s connections to a connector use (never its secret) */
        get: operations["getOAuthClient"];
        /**
         * Register (or replace) the tenant’s own OAuth app for a connector
         * @description Register the redirect URI shown in the connector form (`…/v1/oauth/callback`) with the vendor app. Omit `client_secret` for a public client (PKCE only). Existing connections keep their tokens.
         */
        put: operations["putOAuthClient"];
        post?: never;
        /**
         * Remove the tenant’s own OAuth app for a connector
         * @description Refused (409 `in_use`) while connections hold tokens issued to this app.
         */
        delete: operations["deleteOAuthClient"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/flows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * See where an authorization flow stands: waiting, connected (with the connection) or failed (why)
         * @description For whoever waits on a flow without being the browser that ran it (a CLI, the page that opened the popup). The principal that started the flow may read it; anyone else in the tenant needs `list_connections`. Flows are kept for a day after they expire.
         */
        get: operations["getOAuthFlow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the records a sync stored, as a change feed (added, updated, deleted) after a cursor
         * @description Records of one connection and model in the order they changed. Store the `cursor` of the last record you applied (or the `next_cursor`) and pass it next time to read only later changes. A record changed while you page may show up again later in the feed, with its newer content.
         */
        get: operations["listRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a model’s live records as CSV, TSV, JSON, NDJSON or XML, streamed
         * @description Every live record of one connection and model, in change order, written as it is read (a model of any size in constant memory). CSV and TSV columns are the fields the records carry, in the order they first appear; a text value that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a CR) is written with a leading `'`. A failure part way ends the download early.
         */
        get: operations["exportRecords"];
        put?: never;
        /**
         * Write a model’s live records to the files store as CSV, TSV, JSON, NDJSON or XML
         * @description The same export as `GET /v1/records/export`, written to a new file of the files store (streamed, in constant memory) instead of downloaded; answers the file. Needs `view_syncs` as well as `manage_files`.
         */
        post: operations["exportRecordsToFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The models a connection has stored records of, with counts and the last change */
        get: operations["listRecordModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the built-in and custom roles with their capabilities */
        get: operations["listRoles"];
        put?: never;
        /** Create a custom role */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List every capability a role can hold */
        get: operations["listCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role */
        get: operations["getRole"];
        put?: never;
        post?: never;
        /** Delete a custom role that no user or active key holds */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        /** Change a custom role (takes effect at once for its users and keys) */
        patch: operations["updateRole"];
        trace?: never;
    };
    "/v1/routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List provider routes */
        get: operations["listRoutes"];
        put?: never;
        /**
         * Create a provider route
         * @description A capability served by an ordered list of connections: a strategy, a rate-limit policy (strict, fallback, queue), retries within a budget, a circuit breaker and, for fusion, per-field merge rules.
         */
        post: operations["createRoute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A queued route request: still waiting, or served (with the answer), failed or expired */
        get: operations["getRouteRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a provider route */
        get: operations["getRoute"];
        put?: never;
        post?: never;
        /** Delete a provider route (its queued requests and call log go with it) */
        delete: operations["deleteRoute"];
        options?: never;
        head?: never;
        /**
         * Change a provider route
         * @description Changing the providers ends a sticky failover (the route starts again from its primary).
         */
        patch: operations["updateRoute"];
        trace?: never;
    };
    "/v1/routes/{name}/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The route’s call log: provider, outcome, reason, latency and attempts, newest first */
        get: operations["listRouteCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Which provider would answer a query now, and why
         * @description Breaker state, quota, rate limits, sticky failover and conditions per provider; calls none.
         */
        post: operations["explainRoute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each provider’s circuit breaker, quota and rate-limit state, and the queue */
        get: operations["getRouteHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}/providers/{connection_id}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close a provider’s circuit breaker and clear its rate-limit mark
         * @description The vendor decides again on the next call. The provider’s state is shared by every route using it.
         */
        post: operations["resetRouteProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Query a capability through a route
         * @description Answers the standard record, which provider answered and why (also in the `Switchyard-Provider` and `Switchyard-Route-Reason` headers) and every attempt. `dry_run` says which provider would answer now. On a queue route whose providers are all rate-limited the call waits for the reset (up to `deadline_ms`), or answers 202 with `async`.
         */
        post: operations["queryRoute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routes/{name}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per-provider statistics and calls per hour by outcome */
        get: operations["getRouteStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List secrets (names and versions only) */
        get: operations["listSecrets"];
        put?: never;
        /**
         * Create a secret (version 1)
         * @description Where a connection’s config field that decides where its credentials are sent references the secret, setting its value moves the connection: that needs credential authority too (`create_connection` and the connector’s own capability), 403 `forbidden` naming the connection otherwise.
         */
        post: operations["createSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a secret’s metadata and version history */
        get: operations["getSecret"];
        /**
         * Rotate a secret: store a new value as the next version
         * @description Earlier versions stay readable through pinned references (`{{secrets.NAME@1}}`) until the secret is deleted. Where a connection’s config field that decides where its credentials are sent references the secret, setting its value moves the connection: that needs credential authority too (`create_connection` and the connector’s own capability), 403 `forbidden` naming the connection otherwise.
         */
        put: operations["rotateSecret"];
        post?: never;
        /** Delete a secret and every version of it */
        delete: operations["deleteSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Sets an httpOnly session cookie and a readable CSRF cookie; cookie-authenticated writes must echo the CSRF token in `X-CSRF-Token`. With `return_token: true` the session token is also returned for bearer use (CLI).
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign out (ends the current session) */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the connections whose drives or buckets can be browsed */
        get: operations["listStorageConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/connections/{id}/item": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one file or folder as the vendor lists it now */
        get: operations["getStorageItem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/connections/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a folder’s files and folders, or search by name (one vendor page at a time)
         * @description Without `folder`, the root’s top level. `cursor` is the vendor’s next page (answered as `next_cursor`). With `q`, the vendor’s search (where it has one; 422 storage_not_supported otherwise).
         */
        get: operations["listStorageItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/connections/{id}/roots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List what a connection can browse: drives and sites, shared drives, buckets or containers */
        get: operations["listStorageRoots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List exports from and to cloud storage, newest first (the export history) */
        get: operations["listStorageExports"];
        put?: never;
        /** Write files of the files store to a folder of a connection’s drive or bucket */
        post: operations["createStorageExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an export: its state and per-state file counts and bytes (its progress) */
        get: operations["getStorageExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/exports/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an export: queued files at once, running ones at their next checkpoint */
        post: operations["cancelStorageExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/exports/{id}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an export’s files with their state, bytes, verification and error */
        get: operations["listStorageExportFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/exports/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run an ended export’s failed and cancelled files again (the others stay as they are) */
        post: operations["retryStorageExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List imports from and to cloud storage, newest first (the import history) */
        get: operations["listStorageImports"];
        put?: never;
        /**
         * Import files and folders (recursively) from a connection’s drive or bucket into the files store
         * @description Each selected item is read from the vendor as it is now; a folder is listed when the import runs and its files follow it (their vendor folders become folders below `folder`). Files run a few at a time with per-file progress, retries on throttling (the vendor’s `Retry-After`) and resumable downloads, and are verified with the vendor’s hash. A file already imported at the same version is skipped; the same bytes are stored once. Poll the import (or its files) for progress.
         */
        post: operations["createStorageImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an import: its state and per-state file counts and bytes (its progress) */
        get: operations["getStorageImport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/imports/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an import: queued files at once, running ones at their next checkpoint */
        post: operations["cancelStorageImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/imports/{id}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an import’s files with their state, bytes, verification and error */
        get: operations["listStorageImportFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/storage/imports/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run an ended import’s failed and cancelled files again (the others stay as they are) */
        post: operations["retryStorageImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sync configurations with their last run and next scheduled run, newest first */
        get: operations["listSyncs"];
        put?: never;
        /** Create a sync configuration (checked against the source’s streams and fields) */
        post: operations["createSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/conflicts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The two-way conflicts inbox, newest first */
        get: operations["listSyncConflicts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/conflicts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One conflict: each field’s value on both sides and at the last sync */
        get: operations["getSyncConflict"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/conflicts/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve a conflict: take side A’s values, side B’s, or the values given; the next run writes them */
        post: operations["resolveSyncConflict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/discover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The streams (API listings, tables, models) a sync could read from a connection, with their fields */
        post: operations["discoverSyncStreams"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sync runs, newest first, with counts and duration */
        get: operations["listSyncExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sync run with its per-stream progress */
        get: operations["getSyncExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a sync run: a waiting run at once, a running one after the batch in hand */
        post: operations["cancelSyncExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}/errors-file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The records a run rejected, as CSV with the reason in a last column, to fix and import again
         * @description Each rejected record with its fields as they were read (in the order they first appear), then `_stream` and `_error` (where in the file and why). Streamed; formula-like text is escaped as in exports.
         */
        get: operations["downloadSyncErrorsFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sync run’s log, oldest first; follow it by asking again with `after` */
        get: operations["listSyncExecutionLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}/rejected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The records a sync run rejected (a mapping or the target refused them), with the reasons */
        get: operations["listSyncRejectedRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/executions/{id}/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo an import: remove the records it created and restore the ones it changed
         * @description For a finished (or failed, or cancelled) run of a file import into the record store or into a PostgreSQL, MySQL/MariaDB or SQLite table: records (rows) it created are removed, those it changed get back what they had, column for column; records a full-refresh import into the record store deleted come back. Records changed since — by another run, or in a table by anyone — are left as they are (counted as kept). A table is undone in one transaction of its database, through the target connection. An import is undone once; a dry run, a run still going, a full-refresh import into a table (it replaced the table’s rows and deleted those the file lacked) and other targets answer 409 `import_not_undoable` with the reason.
         */
        post: operations["undoSyncExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/mapping-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run field mappings on sample records read from the source, before the sync is activated */
        post: operations["previewSyncMapping"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/schedule-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The next instants a cron schedule fires in its time zone (DST-correct) */
        post: operations["previewSyncSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Sync Management dashboard figures: configurations, running, success rate, records moved */
        get: operations["getSyncStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sync configuration */
        get: operations["getSync"];
        put?: never;
        post?: never;
        /** Delete a sync configuration, its runs and checkpoints (records it stored stay) */
        delete: operations["deleteSync"];
        options?: never;
        head?: never;
        /** Change a sync configuration, or enable / disable it */
        patch: operations["updateSync"];
        trace?: never;
    };
    "/v1/syncs/{id}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reset the checkpoints of some streams, or all: their next run reads everything (records stay) */
        post: operations["resetSyncState"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/{id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a sync now (queued behind a run in progress; a second ask while one waits answers the waiting one) */
        post: operations["runSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/{id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The per-stream checkpoints of a sync (where the next incremental read starts) */
        get: operations["getSyncState"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/{id}/state/{stream}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set (edit or rewind) a stream’s checkpoint; audited with the old and new values */
        put: operations["setSyncStreamState"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/system/master-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which master keys wrap the data keys (fingerprints only; superuser) */
        get: operations["getMasterKeyStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/system/master-key/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the master key online (superuser)
         * @description With a generated key file: creates a new master key, re-wraps every data key under it and retires the old one. With SWITCHYARD_MASTER_KEY="<new>,<old>": re-wraps every data key under the first key and drops wraps under the others. Sealed values are never rewritten; the server keeps serving throughout.
         */
        post: operations["rotateMasterKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants (superuser) */
        get: operations["listTenants"];
        put?: never;
        /**
         * Create a tenant (superuser)
         * @description Act inside it with the `Switchyard-Tenant: <id or slug>` header, e.g. to create its first administrator.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tenant by id or slug (superuser) */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename, disable or re-enable a tenant, or set its features or files quota (superuser)
         * @description A disabled tenant’s users and keys are refused with `tenant_disabled`; its data is kept. `features` replaces the tenant’s features (`financial_data`, `provider_routing`). `files_quota_bytes` caps the bytes its files may hold (null: the configured default).
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users, newest first */
        get: operations["listUsers"];
        put?: never;
        /** Create a console user */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /** Remove a user (their sessions end at once) */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Change a user’s name, role or password, or disable them
         * @description Changing the role or password, or disabling, signs the user out everywhere.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/v1/webhooks/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The delivery log, newest first
         * @description Filters combine with AND. `q` matches an event id (exact or prefix) or a delivery id.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A delivery with its attempts (without response bodies) and the event it sends */
        get: operations["getWebhookDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries/{id}/attempts/{attemptId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One attempt of a delivery, with the receiver’s response headers and body (up to 64 KiB) */
        get: operations["getWebhookAttempt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now (a new attempt is appended; earlier attempts are kept)
         * @description Works for failed, delivered, skipped and pending deliveries and restarts the retry schedule. 409 `delivery_in_flight` while an attempt is in flight; 409 `endpoint_disabled` when the endpoint is disabled.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints, newest first */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /** Create a webhook endpoint; its signing secret is in this response only */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint (its secrets by id, never their values) */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint and its secrets */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /** Change a webhook endpoint, or enable / disable it */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/secrets/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a new signing secret (shown once) and expire the current ones after a grace period
         * @description Until the old secrets expire, deliveries carry a signature for each, so receivers can switch over at their pace.
         */
        post: operations["rotateWebhookEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the deliveries of a time range again (failed ones by default), optionally creating missing ones
         * @description The range is on the events’ time. A real run answers 202. `dry_run: true` changes nothing and answers 200 with what a real run would do (existing deliveries it would send again, deliveries it would create, matching deliveries left alone). Deliveries whose endpoint is disabled are left alone and counted in `skipped_disabled`; those in flight are not touched. At most 100,000 deliveries per replay (422 `replay_too_large`).
         */
        post: operations["replayWebhookDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery statistics: totals, success rates, latencies, retries, what is failing now, per endpoint and over time
         * @description Delivery counters over deliveries created in [since, until) (default: the last 24 hours); attempt counters (`attempt_success_rate`) and `recent_failures` over attempts started in it; each endpoint’s `circuit` and run of failures as they are now. Without `bucket`, the series has at most 48 points.
         */
        get: operations["getWebhookStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An API key. The token is shown once, at creation; only its hash is stored. */
        ApiKey: {
            id: string;
            name: string;
            /** @description The visible start of the token, to recognise it */
            prefix: string;
            role: string;
            superuser: boolean;
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
            rate_limit_per_minute: number | null;
            expires_at: string | null;
            last_used_at: string | null;
            revoked_at: string | null;
            created_by: string | null;
            /** Format: date-time */
            created_at: string;
        };
        AuditEntry: {
            id: string;
            actor: {
                /** @enum {string} */
                type: "user" | "api_key" | "system";
                id: string | null;
                label: string | null;
            };
            action: string;
            target: {
                type: string | null;
                id: string | null;
            };
            /** @enum {string} */
            outcome: "success" | "failure" | "denied";
            status_code: number | null;
            error_code: string | null;
            request_id: string | null;
            diff: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
        };
        Capability: {
            name: string;
            title: string;
            description: string;
            feature: string;
            /** @description Whether the tenant has the feature the capability needs */
            enabled: boolean;
            many: boolean;
            key: string[];
            query_schema: {
                [key: string]: unknown;
            };
            record_schema: {
                [key: string]: unknown;
            };
            providers: {
                connector: string;
                name: string;
                availability: string;
                redistributable: boolean;
            }[];
        };
        /** @description A connect session (its token is shown once, at creation) */
        ConnectSession: {
            id: string;
            /** @enum {string} */
            status: "pending" | "used" | "expired";
            end_user: {
                [key: string]: unknown;
            };
            connectors: {
                connector: string;
                scopes?: string[];
            }[];
            tags: string[];
            metadata: {
                [key: string]: unknown;
            };
            allowed_origins: string[];
            reconnect_connection_id: string | null;
            /** @description The connection the session made or renewed */
            connection_id: string | null;
            /** Format: date-time */
            expires_at: string;
            /** Format: date-time */
            created_at: string;
        };
        ConnectSessionView: {
            [key: string]: unknown;
        };
        /** @description A connection. Its credentials are sealed and never returned. */
        Connection: {
            id: string;
            connector: {
                slug: string;
                name: string;
                category: string;
            };
            name: string;
            description: string;
            /** @description Non-secret configuration; secret references are shown as written */
            config: {
                [key: string]: unknown;
            };
            auth_method: string;
            /** @enum {string} */
            credential_source: "tenant" | "system";
            /** @enum {string} */
            level: "app" | "user";
            /** @enum {string} */
            state: "inactive" | "testing" | "active" | "paused" | "auth_expired" | "auth_revoked" | "error";
            state_reason: string | null;
            vendor_account_id: string | null;
            vendor_account_name: string | null;
            scopes_granted: string[];
            /** @description OAuth: scopes the connection asks for that the vendor did not grant (partial consent); calls needing one are refused with `scope_insufficient`. Empty when everything asked for was granted */
            missing_scopes: string[];
            last_test_at: string | null;
            last_test_outcome: components["schemas"]["TestOutcome"] | null;
            last_delivery_at: string | null;
            /** @description Set when the connector declares inbound webhooks */
            webhooks: {
                /** @description The connector only receives webhooks (it has no HTTP API: no proxy, nothing for a test call to check); the connection is used through the URL of an inbound source made for it */
                receive_only: boolean;
                /** @description When an inbound source of this connection last accepted a request (rejected ones do not count); null: none yet, so a receive-only connection is still waiting for its first event */
                last_event_at: string | null;
            } | null;
            operator_of_record: string | null;
            /** @description Your own id for the connection (unique in the tenant), usable in place of `id` */
            key: string | null;
            /** @description The end user it belongs to in your product */
            end_user: components["schemas"]["EndUser"] | null;
            tags: string[];
            metadata: {
                [key: string]: unknown;
            };
            /** @description The connect session it was made or reconnected through */
            connect_session_id: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The connector is deprecated or retired, or the vendor ends something it uses within 180 days (or already has): `vendor_sunset` with what, date and replacement */
            warnings: components["schemas"]["ConnectionWarning"][];
        };
        ConnectionRequest: {
            id: string;
            /** @enum {string} */
            kind: "proxy" | "test" | "sync" | "route";
            method: string;
            path: string;
            status: number | null;
            latency_ms: number;
            bytes_in: number;
            bytes_out: number;
            retries: number;
            error: string | null;
            request_id: string | null;
            /** Format: date-time */
            at: string;
        };
        ConnectionSummary: {
            total: number;
            by_state: {
                inactive: number;
                testing: number;
                active: number;
                paused: number;
                auth_expired: number;
                auth_revoked: number;
                error: number;
            };
        };
        /** @description Something about the connector this connection should act on */
        ConnectionWarning: {
            /** @enum {string} */
            code: "connector_deprecated" | "connector_retired" | "vendor_sunset";
            message: string;
            /** @description vendor_sunset: what the vendor ends */
            what?: string;
            /** @description vendor_sunset: the day it ends (YYYY-MM-DD), perhaps already past */
            date?: string;
            /** @description vendor_sunset: what replaces it, when the vendor says */
            replacement?: string | null;
        };
        ConnectorAuthForm: {
            /** @description What a connection names this method by (`auth_method`); its type unless two share one */
            id: string;
            /** @enum {string} */
            type: "api_key" | "basic" | "bearer" | "jwt" | "hmac" | "aws_sigv4" | "azure_shared_key" | "azure_sas" | "custom_headers" | "mtls" | "oauth2" | "connection_string" | "none";
            label: string;
            fields: components["schemas"]["ConnectorFormField"][];
            /** @description How a credential of this method is checked */
            test: {
                /** @description Whether a credential can be checked (`none`: the vendor offers no such call) */
                available: boolean;
                kind: ("http" | "driver" | "none") | null;
                /** @description kind `none`: why the vendor cannot validate a credential */
                reason?: string;
            };
            /**
             * @description OAuth 2.0 only
             * @enum {string}
             */
            grant?: "authorization_code" | "client_credentials";
            /** @description OAuth 2.0 only */
            scopes?: {
                default: string[];
                available: {
                    name: string;
                    description?: string;
                    /** @description Always requested, whatever a caller asks for */
                    required: boolean;
                }[];
            };
            /** @description OAuth 2.0 only: app-level (one shared connection) and/or user-level (one credential per user) */
            levels?: ("app" | "user")[];
            /** @description OAuth 2.0 only */
            pkce?: boolean;
            /** @description OAuth 2.0 only: register this URL with the vendor */
            redirect_uri?: string;
        };
        /** @description A connector type with its configuration form (no secret values) */
        ConnectorDetail: {
            slug: string;
            name: string;
            description: string;
            /** @enum {string} */
            category: "CRM" | "ERP" | "Communication" | "Storage" | "Analytics" | "Financial Data" | "Payments" | "Email" | "Database" | "Developer Tools" | "Productivity" | "AI" | "Generic";
            family: string | null;
            logo: {
                initials: string;
                color: string;
            };
            /**
             * @description active; coming_soon: cannot be connected yet; deprecated: can be connected, with a warning; maintenance: connections and calls are refused for now
             * @enum {string}
             */
            availability: "active" | "coming_soon" | "deprecated" | "maintenance";
            /** @enum {string} */
            management: "shared" | "tenant_template" | "byop" | "hybrid";
            /** @enum {string} */
            complexity: "low" | "medium" | "high";
            popularity: number;
            features: string[];
            data_types: string[];
            /** @description Auth method types, each once; the first is the default */
            auth_methods: ("api_key" | "basic" | "bearer" | "jwt" | "hmac" | "aws_sigv4" | "azure_shared_key" | "azure_sas" | "custom_headers" | "mtls" | "oauth2" | "connection_string" | "none")[];
            /** @description An extra capability connections to it need */
            requires_capability: string | null;
            docs_url: string | null;
            /** @enum {string} */
            source: "builtin" | "custom";
            /** @description Presentation fields a superuser changed (the rest are the manifest’s) */
            overridden: ("name" | "description" | "category" | "complexity" | "popularity" | "features" | "data_types")[];
            retired: boolean;
            /** @description The platform’s own credentials are attached */
            system_connection_configured: boolean;
            /** @description A new connection can be made now: not retired, coming soon or under maintenance, and a shared connector has its platform credentials */
            connectable: boolean;
            /** @description Non-secret settings every auth method needs */
            config: components["schemas"]["ConnectorFormField"][];
            auth: components["schemas"]["ConnectorAuthForm"][];
            /** @description The default test call; an auth method may have its own (`auth[].test`) */
            test: {
                /** @description Whether a credential can be checked (`none`: the vendor offers no such call) */
                available: boolean;
                kind: ("http" | "driver" | "none") | null;
                /** @description kind `none`: why the vendor cannot validate a credential */
                reason?: string;
            };
            rate_limit: {
                remaining_header: string | null;
                limit_header: string | null;
                reset_header: string | null;
                retry_after_header: string;
                error_statuses: number[];
            } | null;
            pagination: {
                style: string;
                max_limit: number | null;
            } | null;
            /** @description How inbound webhooks from this vendor are verified */
            webhooks: {
                scheme: string;
                header: string | null;
                algorithm: string | null;
                timestamp_header: string | null;
                tolerance_seconds: number | null;
                notes: string | null;
            } | null;
            streams: {
                name: string;
                description: string | null;
                /** @description The fields that together identify a record (one for most streams; two for child streams) */
                primary_key: string[];
                /** @description Set when the stream supports incremental sync */
                cursor_field: string | null;
                /** @description Read once per record of another stream (e.g. messages per channel) */
                parent: {
                    stream: string;
                    field: string;
                } | null;
            }[];
            /** @description Why connecting may be refused or discouraged now */
            warnings: string[];
            /** @description The vendor API version the manifest targets */
            api_version: string | null;
            /** @description Per manifest section, the vendor documentation it was checked against and when (YYYY-MM-DD) */
            verified: {
                [key: string]: {
                    date: string;
                    sources: string[];
                };
            };
            /** @description Known end-of-life dates of what the connector uses; connections warn within 180 days */
            sunsets: {
                what: string;
                date: string;
                replacement: string | null;
                source: string;
            }[];
        };
        ConnectorFormField: {
            key: string;
            label: string;
            /** @enum {string} */
            type: "string" | "password" | "url" | "number" | "boolean" | "select" | "textarea" | "pem";
            required: boolean;
            /** @description Masked in forms, sealed when saved, never returned */
            secret: boolean;
            /** @description A regular expression the value must match */
            pattern?: string;
            help?: string;
            placeholder?: string;
            options?: {
                value: string;
                label: string;
            }[];
            /** @description Never given for secret fields */
            default?: string | number | boolean;
        };
        ConnectorLibrary: {
            data: components["schemas"]["ConnectorSummary"][];
            counts: {
                /** @description Entries in `data` */
                total: number;
                /** @description Per category, the entries every filter except `category` leaves (what each category chip would show) */
                by_category: {
                    CRM: number;
                    ERP: number;
                    Communication: number;
                    Storage: number;
                    Analytics: number;
                    "Financial Data": number;
                    Payments: number;
                    Email: number;
                    Database: number;
                    "Developer Tools": number;
                    Productivity: number;
                    AI: number;
                    Generic: number;
                };
            };
        };
        /** @description A connector type as the library lists it */
        ConnectorSummary: {
            slug: string;
            name: string;
            description: string;
            /** @enum {string} */
            category: "CRM" | "ERP" | "Communication" | "Storage" | "Analytics" | "Financial Data" | "Payments" | "Email" | "Database" | "Developer Tools" | "Productivity" | "AI" | "Generic";
            family: string | null;
            logo: {
                initials: string;
                color: string;
            };
            /**
             * @description active; coming_soon: cannot be connected yet; deprecated: can be connected, with a warning; maintenance: connections and calls are refused for now
             * @enum {string}
             */
            availability: "active" | "coming_soon" | "deprecated" | "maintenance";
            /** @enum {string} */
            management: "shared" | "tenant_template" | "byop" | "hybrid";
            /** @enum {string} */
            complexity: "low" | "medium" | "high";
            popularity: number;
            features: string[];
            data_types: string[];
            /** @description Auth method types, each once; the first is the default */
            auth_methods: ("api_key" | "basic" | "bearer" | "jwt" | "hmac" | "aws_sigv4" | "azure_shared_key" | "azure_sas" | "custom_headers" | "mtls" | "oauth2" | "connection_string" | "none")[];
            /** @description An extra capability connections to it need */
            requires_capability: string | null;
            docs_url: string | null;
            /** @enum {string} */
            source: "builtin" | "custom";
            /** @description Presentation fields a superuser changed (the rest are the manifest’s) */
            overridden: ("name" | "description" | "category" | "complexity" | "popularity" | "features" | "data_types")[];
            retired: boolean;
            /** @description The platform’s own credentials are attached */
            system_connection_configured: boolean;
            /** @description A new connection can be made now: not retired, coming soon or under maintenance, and a shared connector has its platform credentials */
            connectable: boolean;
        };
        CreatedApiKey: {
            api_key: components["schemas"]["ApiKey"];
            token: string;
        };
        CsvFileOptions: {
            /**
             * @description The field separator: `,` `;` `|` or a tab
             * @default ,
             */
            delimiter: string;
            /**
             * @description The quote character; empty: fields are never quoted
             * @default "
             */
            quote: string | "";
            /**
             * @description Escapes a quote inside a quoted field; the quote itself (`""`, the RFC 4180 way) or `\`
             * @default "
             */
            escape: string;
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
            /**
             * @description The first row (after skip_rows) names the columns
             * @default true
             */
            header: boolean;
            /** @description Column names to use instead of the header row (or when there is none) */
            column_names?: string[];
            /**
             * @description Unquoted values read as null; a quoted value (`""`) is always text
             * @default [
             *       ""
             *     ]
             */
            null_values: string[];
            /**
             * @description Lines to skip before the header (or the first row)
             * @default 0
             */
            skip_rows: number;
            /**
             * @default [
             *       "true",
             *       "t",
             *       "yes",
             *       "y",
             *       "1"
             *     ]
             */
            true_values: string[];
            /**
             * @default [
             *       "false",
             *       "f",
             *       "no",
             *       "n",
             *       "0"
             *     ]
             */
            false_values: string[];
            /**
             * @description Writing only: a text value starting with = + - @, a tab or a carriage return gets a leading `'` so a spreadsheet shows it instead of running it as a formula (OWASP "CSV injection")
             * @default true
             */
            escape_formulas: boolean;
            /**
             * @description Writing only: start the file with a byte order mark (for Excel)
             * @default false
             */
            bom: boolean;
        };
        CsvFileOptionsInput: {
            /**
             * @description The field separator: `,` `;` `|` or a tab
             * @default ,
             */
            delimiter: string;
            /**
             * @description The quote character; empty: fields are never quoted
             * @default "
             */
            quote: string | "";
            /**
             * @description Escapes a quote inside a quoted field; the quote itself (`""`, the RFC 4180 way) or `\`
             * @default "
             */
            escape: string;
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
            /**
             * @description The first row (after skip_rows) names the columns
             * @default true
             */
            header: boolean;
            /** @description Column names to use instead of the header row (or when there is none) */
            column_names?: string[];
            /**
             * @description Unquoted values read as null; a quoted value (`""`) is always text
             * @default [
             *       ""
             *     ]
             */
            null_values: string[];
            /**
             * @description Lines to skip before the header (or the first row)
             * @default 0
             */
            skip_rows: number;
            /**
             * @default [
             *       "true",
             *       "t",
             *       "yes",
             *       "y",
             *       "1"
             *     ]
             */
            true_values: string[];
            /**
             * @default [
             *       "false",
             *       "f",
             *       "no",
             *       "n",
             *       "0"
             *     ]
             */
            false_values: string[];
            /**
             * @description Writing only: a text value starting with = + - @, a tab or a carriage return gets a leading `'` so a spreadsheet shows it instead of running it as a formula (OWASP "CSV injection")
             * @default true
             */
            escape_formulas: boolean;
            /**
             * @description Writing only: start the file with a byte order mark (for Excel)
             * @default false
             */
            bom: boolean;
        };
        /** @description The person in the embedding product a connection belongs to */
        EndUser: {
            /** @description The end user’s id in your product */
            id: string;
            email?: string | null;
            display_name?: string | null;
            /** @description The end user’s organisation (account, workspace) in your product */
            organization?: {
                id: string;
                name?: string | null;
            } | null;
        };
        /** @description The person in the embedding product a connection belongs to */
        EndUserInput: {
            /** @description The end user’s id in your product */
            id: string;
            email?: string | null;
            display_name?: string | null;
            /** @description The end user’s organisation (account, workspace) in your product */
            organization?: {
                id: string;
                name?: string | null;
            } | null;
        };
        /** @description An event in the outbox: what outbound webhooks deliver. */
        Event: {
            id: string;
            type: string;
            data: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            source: "platform" | "api";
            idempotency_key: string | null;
            ordering_key: string | null;
            /** Format: date-time */
            created_at: string;
        };
        /** @description An event type endpoints subscribe to. */
        EventType: {
            name: string;
            description: string;
            schema: {
                [key: string]: unknown;
            } | null;
            /** @description A platform event type: read-only, published by Switchyard itself */
            built_in: boolean;
            archived_at: string | null;
            created_at: string | null;
            updated_at: string | null;
        };
        File: {
            id: string;
            name: string;
            folder: string;
            size: number;
            media_type: string;
            /** @description SHA-256 of the bytes, hex: the same bytes are stored once */
            sha256: string;
            /** @description Where the bytes came from: upload, export or import */
            source: {
                [key: string]: unknown;
            };
            /** @description The current version (1 for a new file); the fields above are its own */
            version: number;
            created_by: string | null;
            /** Format: date-time */
            created_at: string;
        };
        FileFolder: {
            name: string;
            path: string;
            /** @description Files in this folder and below it */
            files: number;
            /** @description Their size (current versions) */
            bytes: number;
        };
        FileFormat: {
            /** @constant */
            format: "csv";
            /**
             * @default {
             *       "delimiter": ",",
             *       "quote": "\"",
             *       "escape": "\"",
             *       "encoding": "auto",
             *       "header": true,
             *       "null_values": [
             *         ""
             *       ],
             *       "skip_rows": 0,
             *       "true_values": [
             *         "true",
             *         "t",
             *         "yes",
             *         "y",
             *         "1"
             *       ],
             *       "false_values": [
             *         "false",
             *         "f",
             *         "no",
             *         "n",
             *         "0"
             *       ],
             *       "escape_formulas": true,
             *       "bom": false
             *     }
             */
            options: components["schemas"]["CsvFileOptions"];
        } | {
            /** @constant */
            format: "tsv";
            /**
             * @default {
             *       "delimiter": "\t",
             *       "quote": "\"",
             *       "escape": "\"",
             *       "encoding": "auto",
             *       "header": true,
             *       "null_values": [
             *         ""
             *       ],
             *       "skip_rows": 0,
             *       "true_values": [
             *         "true",
             *         "t",
             *         "yes",
             *         "y",
             *         "1"
             *       ],
             *       "false_values": [
             *         "false",
             *         "f",
             *         "no",
             *         "n",
             *         "0"
             *       ],
             *       "escape_formulas": true,
             *       "bom": false
             *     }
             */
            options: {
                /**
                 * @description The field separator: a tab unless said otherwise
                 * @default
                 */
                delimiter: string;
                /**
                 * @description The quote character; empty: fields are never quoted
                 * @default "
                 */
                quote: string | "";
                /**
                 * @description Escapes a quote inside a quoted field; the quote itself (`""`, the RFC 4180 way) or `\`
                 * @default "
                 */
                escape: string;
                /**
                 * @default auto
                 * @enum {string}
                 */
                encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
                /**
                 * @description The first row (after skip_rows) names the columns
                 * @default true
                 */
                header: boolean;
                /** @description Column names to use instead of the header row (or when there is none) */
                column_names?: string[];
                /**
                 * @description Unquoted values read as null; a quoted value (`""`) is always text
                 * @default [
                 *       ""
                 *     ]
                 */
                null_values: string[];
                /**
                 * @description Lines to skip before the header (or the first row)
                 * @default 0
                 */
                skip_rows: number;
                /**
                 * @default [
                 *       "true",
                 *       "t",
                 *       "yes",
                 *       "y",
                 *       "1"
                 *     ]
                 */
                true_values: string[];
                /**
                 * @default [
                 *       "false",
                 *       "f",
                 *       "no",
                 *       "n",
                 *       "0"
                 *     ]
                 */
                false_values: string[];
                /**
                 * @description Writing only: a text value starting with = + - @, a tab or a carriage return gets a leading `'` so a spreadsheet shows it instead of running it as a formula (OWASP "CSV injection")
                 * @default true
                 */
                escape_formulas: boolean;
                /**
                 * @description Writing only: start the file with a byte order mark (for Excel)
                 * @default false
                 */
                bom: boolean;
            };
        } | {
            /** @constant */
            format: "json";
            /**
             * @default {
             *       "record_path": "",
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["JsonFileOptions"];
        } | {
            /** @constant */
            format: "ndjson";
            /**
             * @default {
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["NdjsonFileOptions"];
        } | {
            /** @constant */
            format: "xml";
            /**
             * @default {
             *       "record_element": "",
             *       "attributes": true,
             *       "attribute_prefix": "",
             *       "text_field": "#text",
             *       "namespaces": "strip",
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["XmlFileOptions"];
        };
        FileFormatInput: {
            /** @constant */
            format: "csv";
            /**
             * @default {
             *       "delimiter": ",",
             *       "quote": "\"",
             *       "escape": "\"",
             *       "encoding": "auto",
             *       "header": true,
             *       "null_values": [
             *         ""
             *       ],
             *       "skip_rows": 0,
             *       "true_values": [
             *         "true",
             *         "t",
             *         "yes",
             *         "y",
             *         "1"
             *       ],
             *       "false_values": [
             *         "false",
             *         "f",
             *         "no",
             *         "n",
             *         "0"
             *       ],
             *       "escape_formulas": true,
             *       "bom": false
             *     }
             */
            options: components["schemas"]["CsvFileOptionsInput"];
        } | {
            /** @constant */
            format: "tsv";
            /**
             * @default {
             *       "delimiter": "\t",
             *       "quote": "\"",
             *       "escape": "\"",
             *       "encoding": "auto",
             *       "header": true,
             *       "null_values": [
             *         ""
             *       ],
             *       "skip_rows": 0,
             *       "true_values": [
             *         "true",
             *         "t",
             *         "yes",
             *         "y",
             *         "1"
             *       ],
             *       "false_values": [
             *         "false",
             *         "f",
             *         "no",
             *         "n",
             *         "0"
             *       ],
             *       "escape_formulas": true,
             *       "bom": false
             *     }
             */
            options: {
                /**
                 * @description The field separator: a tab unless said otherwise
                 * @default
                 */
                delimiter: string;
                /**
                 * @description The quote character; empty: fields are never quoted
                 * @default "
                 */
                quote: string | "";
                /**
                 * @description Escapes a quote inside a quoted field; the quote itself (`""`, the RFC 4180 way) or `\`
                 * @default "
                 */
                escape: string;
                /**
                 * @default auto
                 * @enum {string}
                 */
                encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
                /**
                 * @description The first row (after skip_rows) names the columns
                 * @default true
                 */
                header: boolean;
                /** @description Column names to use instead of the header row (or when there is none) */
                column_names?: string[];
                /**
                 * @description Unquoted values read as null; a quoted value (`""`) is always text
                 * @default [
                 *       ""
                 *     ]
                 */
                null_values: string[];
                /**
                 * @description Lines to skip before the header (or the first row)
                 * @default 0
                 */
                skip_rows: number;
                /**
                 * @default [
                 *       "true",
                 *       "t",
                 *       "yes",
                 *       "y",
                 *       "1"
                 *     ]
                 */
                true_values: string[];
                /**
                 * @default [
                 *       "false",
                 *       "f",
                 *       "no",
                 *       "n",
                 *       "0"
                 *     ]
                 */
                false_values: string[];
                /**
                 * @description Writing only: a text value starting with = + - @, a tab or a carriage return gets a leading `'` so a spreadsheet shows it instead of running it as a formula (OWASP "CSV injection")
                 * @default true
                 */
                escape_formulas: boolean;
                /**
                 * @description Writing only: start the file with a byte order mark (for Excel)
                 * @default false
                 */
                bom: boolean;
            };
        } | {
            /** @constant */
            format: "json";
            /**
             * @default {
             *       "record_path": "",
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["JsonFileOptionsInput"];
        } | {
            /** @constant */
            format: "ndjson";
            /**
             * @default {
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["NdjsonFileOptionsInput"];
        } | {
            /** @constant */
            format: "xml";
            /**
             * @default {
             *       "record_element": "",
             *       "attributes": true,
             *       "attribute_prefix": "",
             *       "text_field": "#text",
             *       "namespaces": "strip",
             *       "encoding": "auto"
             *     }
             */
            options: components["schemas"]["XmlFileOptionsInput"];
        };
        FileImport: {
            sync: components["schemas"]["SyncConfig"];
            /** @description Null once the file was deleted */
            file: components["schemas"]["File"] | null;
            /** @description The latest dry run */
            last_check: components["schemas"]["SyncExecution"] | null;
            /** @description The latest run that wrote */
            last_import: components["schemas"]["SyncExecution"] | null;
        };
        FileUpload: {
            id: string;
            name: string;
            folder: string;
            media_type: string;
            size: number;
            /** @description Bytes received: the next append starts here */
            offset: number;
            /**
             * @description When the folder holds a file of that name: add a version of it (default; nothing new for the same bytes), store under "name (2).ext", or answer 409
             * @enum {string}
             */
            if_exists: "version" | "rename" | "fail";
            /** @description The file made (or given a version) once the last byte arrived */
            file_id: string | null;
            /** Format: date-time */
            expires_at: string;
        };
        FileVersion: {
            version: number;
            size: number;
            media_type: string;
            sha256: string;
            source: {
                [key: string]: unknown;
            };
            created_by: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description Whether this is the file’s current version */
            current: boolean;
        };
        FilesUsage: {
            /** @description Bytes of the distinct blobs the tenant holds (every version counted once) */
            used_bytes: number;
            /** @description The tenant’s quota; null: unlimited */
            quota_bytes: number | null;
            files: number;
            versions: number;
        };
        InboundAccepted: {
            /** @description The inbound event id */
            id: string;
            /**
             * @description processed: stored, and the source has no rules to run
             * @enum {string}
             */
            status: "received" | "processed" | "duplicate";
            /** @description For a duplicate: the event that first carried its delivery id */
            duplicate_of: string | null;
        };
        InboundActionResult: {
            rule: string;
            /** @description Index of the action in the rule */
            action: number;
            /** @enum {string} */
            type: "publish" | "forward" | "run_sync";
            ok: boolean;
            /** @description A failure that is retried with the event (network errors, 408, 429, 5xx) */
            retryable: boolean;
            /** @description publish: the Switchyard event; run_sync: the sync run */
            event_id: string | null;
            /** @description forward: the response status */
            status: number | null;
            /** @description forward: the response body (first 16 KiB) */
            response: string | null;
            error: string | null;
            at: string;
        };
        /** @description One request a source received, and what became of it. */
        InboundEvent: {
            id: string;
            source_id: string;
            source_name: string;
            connection_id: string | null;
            /** Format: date-time */
            received_at: string;
            /** @enum {string} */
            status: "received" | "processed" | "failed" | "duplicate" | "rejected";
            event_type: string | null;
            /** @description The provider delivery id the event was deduplicated on */
            dedup_key: string | null;
            duplicate_of: string | null;
            remote_address: string | null;
            content_type: string | null;
            body_size: number;
            /** @description Why the request was rejected (its body was not kept) */
            rejection: string | null;
            attempts: number;
            /** @description received: when the rules run (again) */
            next_attempt_at: string | null;
            processed_at: string | null;
            error: string | null;
            replays: number;
            /** @description The first 512 bytes of the body as text */
            preview: string | null;
        };
        InboundEventDetail: {
            id: string;
            source_id: string;
            source_name: string;
            connection_id: string | null;
            /** Format: date-time */
            received_at: string;
            /** @enum {string} */
            status: "received" | "processed" | "failed" | "duplicate" | "rejected";
            event_type: string | null;
            /** @description The provider delivery id the event was deduplicated on */
            dedup_key: string | null;
            duplicate_of: string | null;
            remote_address: string | null;
            content_type: string | null;
            body_size: number;
            /** @description Why the request was rejected (its body was not kept) */
            rejection: string | null;
            attempts: number;
            /** @description received: when the rules run (again) */
            next_attempt_at: string | null;
            processed_at: string | null;
            error: string | null;
            replays: number;
            /** @description The first 512 bytes of the body as text */
            preview: string | null;
            /** @description As received, without credentials */
            headers: {
                [key: string]: string;
            };
            matched_rules: string[];
            results: components["schemas"]["InboundActionResult"][];
            /** @description With include_body=true: the whole body, as text when it is UTF-8, else base64; otherwise the preview */
            body: string | null;
            body_encoding: ("utf8" | "base64") | null;
        };
        /** @description The outcome of routing one inbound event through its rules. */
        InboundProcessed: {
            id: string;
            /**
             * @description received: a retry is scheduled
             * @enum {string}
             */
            status: "received" | "processed" | "failed";
            matched_rules: string[];
            results: components["schemas"]["InboundActionResult"][];
            error: string | null;
        };
        InboundReplayResult: {
            /** @description Names this replay in the activity log */
            replay_id: string;
            dry_run: boolean;
            count: number;
        };
        /** @description An inbound webhook source: a public URL, its verification and rules. */
        InboundSource: {
            id: string;
            name: string;
            description: string;
            /** @description The connection this source belongs to (deleted with it) */
            connection_id: string | null;
            /** @description The public URL senders POST to; it is the credential that names this source */
            url: string;
            /** @description After a token rotation: the previous URL is still accepted until then */
            previous_url_expires_at: string | null;
            verification: {
                /** @constant */
                type: "standard_webhooks";
                tolerance_seconds?: number;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "stripe";
                tolerance_seconds?: number;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "github";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "slack";
                tolerance_seconds?: number;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "shopify";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "hubspot_v3";
                tolerance_seconds?: number;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "twilio";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "square";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "sendgrid";
                tolerance_seconds?: number;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "graph_client_state";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "google_channel";
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "generic_hmac";
                /** @enum {string} */
                algorithm: "sha256" | "sha512";
                /** @enum {string} */
                encoding: "hex" | "base64";
                header: string;
                prefix?: string;
                timestamp_header?: string;
                /** @default {body} */
                signed_content: string;
                tolerance_seconds?: number;
                delivery_id_header?: string;
                event_type_header?: string;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "basic_auth";
                username?: string;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "api_key_header";
                header: string;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "body_token";
                /** @description Where the token is in the JSON body, e.g. $.token */
                path: string;
                ip_allow?: string[];
            } | {
                /** @constant */
                type: "none";
                ip_allow?: string[];
            };
            dedup_key: {
                /** @enum {string} */
                from: "header" | "body";
                /** @description Header name, or a JSON path such as $.event.id for the body */
                path: string;
            } | null;
            dedup_window_seconds: number;
            event_type_from: {
                /** @enum {string} */
                from: "header" | "body";
                /** @description Header name, or a JSON path such as $.event.id for the body */
                path: string;
            } | null;
            max_body_bytes: number;
            content_types: string[];
            /** @enum {string} */
            response_mode: "async" | "sync";
            sync_timeout_ms: number;
            rules: {
                name: string;
                /**
                 * @description Matches when the event type is one of these (a trailing * matches a prefix); empty matches every type
                 * @default []
                 */
                event_types: string[];
                /**
                 * @description An SQL/JSON path condition over {"type", "headers", "payload"}, e.g. `$.payload.action == "opened"`; header names are lower case
                 * @default null
                 */
                condition: string | null;
                actions: ({
                    /** @constant */
                    type: "publish";
                    /** @description A tenant event type; outbound webhooks deliver it to subscribed endpoints */
                    event_type: string;
                } | {
                    /** @constant */
                    type: "forward";
                    /** @description Where the raw body is POSTed (through the SSRF guard) */
                    url: string;
                    /** @default 10000 */
                    timeout_ms: number;
                    /** @description Extra headers sent; their values are sealed and never returned */
                    header_names: string[];
                } | {
                    /** @constant */
                    type: "run_sync";
                    /** @description The sync to run (queued behind a run in progress) */
                    sync_id: string;
                    /** @default false */
                    full_refresh: boolean;
                })[];
                /**
                 * @description Also evaluate the rules after this one when it matches (by default the first match wins)
                 * @default false
                 */
                continue: boolean;
            }[];
            enabled: boolean;
            handshake: ("challenge_query" | "validation_token" | "get_ok") | null;
            /** @description Secrets requests are verified with (those not expired) */
            secrets: components["schemas"]["InboundSourceSecret"][];
            /** @description Requests refused (bad signature, stale timestamp, wrong IP, too large, …) */
            rejections: {
                count: number;
                last_at: string | null;
                last_reason: string | null;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        InboundSourceCreated: {
            source: components["schemas"]["InboundSource"];
            /** @description The generated secret, shown once (null when you supplied one or the scheme needs none) */
            secret: string | null;
        };
        /** @description A verification secret, without its value. */
        InboundSourceSecret: {
            id: string;
            /** Format: date-time */
            created_at: string;
            /** @description Set by a rotation: the secret is accepted until then */
            expires_at: string | null;
        };
        InboundSourceSecretRotated: {
            source: components["schemas"]["InboundSource"];
            secret: {
                id: string;
                /** Format: date-time */
                created_at: string;
                /** @description Set by a rotation: the secret is accepted until then */
                expires_at: string | null;
                /** @description The generated secret, shown once; null when you supplied it */
                secret: string | null;
            };
        };
        JsonFileOptions: {
            /**
             * @description Where the records are: empty for a top-level array (or one top-level object, one record), or the path of the array inside the top-level object (`data.items`)
             * @default
             */
            record_path: string;
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
        JsonFileOptionsInput: {
            /**
             * @description Where the records are: empty for a top-level array (or one top-level object, one record), or the path of the array inside the top-level object (`data.items`)
             * @default
             */
            record_path: string;
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
        MasterKeyRotation: {
            master_key_id: string;
            rewrapped: number;
            pruned: number;
        };
        MasterKeyStatus: {
            /** @description Fingerprint of the key new data keys are wrapped under */
            active: string;
            /** @enum {string} */
            source: "environment" | "file";
            /** @description Fingerprints of every key this node holds */
            held: string[];
            keys: {
                id: string;
                data_keys: number;
                /** Format: date-time */
                created_at: string;
                retired_at: string | null;
            }[];
        };
        /** @description The caller: identity, role, capabilities and the tenant the request acts in */
        Me: {
            /** @enum {string} */
            kind: "api_key" | "user";
            id: string;
            label: string;
            role: string;
            superuser: boolean;
            capabilities: string[];
            tenant: {
                id: string;
                name: string;
                slug: string;
                /** @description What the tenant’s subscription turns on: financial_data, provider_routing */
                features: string[];
            };
            home_tenant_id: string;
        };
        NdjsonFileOptions: {
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
        NdjsonFileOptionsInput: {
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
        NewRouteInput: {
            name: string;
            description?: string;
            /** @description The capability served, e.g. equity.quote (GET /v1/capabilities) */
            capability: string;
            /** @default true */
            enabled: boolean;
            /**
             * @description single: the first provider only; fallback: in order until one answers; loadbalance: by weight, the others as fallbacks; conditional: the first condition the query matches picks the providers; fusion: every provider at once, merged per field
             * @enum {string}
             */
            strategy: "single" | "fallback" | "loadbalance" | "conditional" | "fusion";
            /** @description In priority order: the first is the primary */
            providers: components["schemas"]["RouteProviderSpecInput"][];
            /** @default [] */
            conditions: components["schemas"]["RouteConditionInput"][];
            /**
             * @description strict: fail at once with the provider’s reason; fallback: the next provider; queue: hold the request until the window resets, up to queue.max_wait_seconds
             * @enum {string}
             */
            on_rate_limit: "strict" | "fallback" | "queue";
            fusion?: components["schemas"]["RouteFusionRulesInput"];
            /**
             * @description on_rate_limit: queue — how long a request may wait for a window to reset
             * @default {}
             */
            queue: {
                /** @default 600 */
                max_wait_seconds: number;
            };
            /** @default {} */
            retry: {
                /**
                 * @description Retries per provider after its first attempt
                 * @default 2
                 */
                attempts: number;
                /** @default true */
                honour_retry_after: boolean;
                /**
                 * @description The longest wait before a retry
                 * @default 10000
                 */
                max_wait_ms: number;
                /**
                 * @description Retries are at most this share of the provider’s recent calls (a retry budget), plus one a second
                 * @default 20
                 */
                budget_percent: number;
            };
            /** @default {} */
            breaker: {
                /** @default 3 */
                consecutive_failures: number;
                /** @default 0.5 */
                failure_rate: number;
                /** @default 5 */
                min_requests: number;
                /** @default 60 */
                window_seconds: number;
                /**
                 * @description How long an open breaker waits before one probe; also how often a sticky route probes its primary
                 * @default 15
                 */
                cooldown_seconds: number;
            };
            /**
             * @description Per attempt
             * @default 10000
             */
            timeout_ms: number;
        };
        /** @description The OAuth app a tenant’s connections to a connector use */
        OAuthClient: {
            connector: string;
            client_id: string;
            /** @description Whether a client secret is held (false: a public client, PKCE only) */
            has_secret: boolean;
            /**
             * @description The tenant’s own app, or the platform’s (shared / hybrid)
             * @enum {string}
             */
            source: "tenant" | "system";
            updated_at: string | null;
        };
        /** @description An authorization flow and how it ended */
        OAuthFlow: {
            id: string;
            connector: string;
            /**
             * @description A new connection, re-authorizing one, or a user’s own account under a user-level connection
             * @enum {string}
             */
            purpose: "create" | "reauthorize" | "connect_user";
            /** @enum {string} */
            level: "app" | "user";
            /**
             * @description `pending`: waiting for the user at the vendor; `completing`: the callback is exchanging the code and testing; `connected` and `failed` are final; `expired`: nobody came back before `expires_at`
             * @enum {string}
             */
            status: "pending" | "completing" | "connected" | "failed" | "expired";
            /** @description The connection made or renewed (`connected`), or the one a re-authorization is for */
            connection_id: string | null;
            /** @description Why it failed: the same words as the callback page */
            error: {
                code: string;
                message: string;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
            finished_at: string | null;
        };
        /** @description An authorization flow waiting for the user at the vendor */
        OAuthFlowStarted: {
            /** @description Open this in the user’s browser (a popup or a redirect) */
            authorization_url: string;
            flow_id: string;
            /**
             * Format: date-time
             * @description The flow must complete before this (10 minutes)
             */
            state_expires_at: string;
            /** @description Where the vendor sends the browser back; register it with the vendor app */
            redirect_uri: string;
            warnings?: string[];
        };
        /** @description RFC 9457 problem details with a stable `code`. */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            code: string;
            instance?: string;
            request_id?: string;
            errors?: {
                path: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        Role: {
            /** @description administrator, editor, viewer, or a custom role id */
            id: string;
            name: string;
            description: string;
            built_in: boolean;
            capabilities: string[];
            created_at: string | null;
        };
        Route: {
            id: string;
            name: string;
            description: string | null;
            capability: string;
            enabled: boolean;
            /** @enum {string} */
            strategy: "single" | "fallback" | "loadbalance" | "conditional" | "fusion";
            /** @enum {string} */
            on_rate_limit: "strict" | "fallback" | "queue";
            providers: {
                connection_id: string;
                connector: string;
                /** @description The connection’s name */
                name: string;
                weight: number;
                /** @description Its licence, or the route’s override */
                redistributable: boolean;
            }[];
            conditions: components["schemas"]["RouteCondition"][];
            fusion: components["schemas"]["RouteFusionRules"] | null;
            queue: {
                max_wait_seconds: number;
            };
            retry: {
                attempts: number;
                honour_retry_after: boolean;
                max_wait_ms: number;
                budget_percent: number;
            };
            breaker: {
                consecutive_failures: number;
                failure_rate: number;
                min_requests: number;
                window_seconds: number;
                cooldown_seconds: number;
            };
            timeout_ms: number;
            /** @description Served by this fallback since its primary failed, until a probe finds the primary well */
            sticky: {
                connection_id: string;
                /** Format: date-time */
                since: string;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        RouteAnswer: {
            /** @description The standard record (or records, for a capability that answers many) */
            data: unknown;
            /** @description Who answered; null for a fused answer */
            provider: {
                connection_id: string;
                connector: string;
            } | null;
            /** @description Why this provider answered (primary, fallback and why, fusion) */
            reason: string;
            attempts: {
                connection_id: string;
                connector: string;
                /** @enum {string} */
                outcome: "ok" | "empty" | "rate_limited" | "quota_exhausted" | "failed" | "timeout" | "skipped";
                reason: string;
                status?: number;
                latency_ms: number;
            }[];
            /** @description How long the request waited in the queue for a window to reset */
            queued_ms?: number;
            fusion?: {
                /** @description Per field, the provider (or providers) it came from */
                provenance: {
                    [key: string]: unknown;
                };
                /** @description Fields whose values disagreed beyond their tolerance */
                conflicts: unknown[];
                /** @description False when a field came from a provider whose data may not be passed on */
                redistributable: boolean;
                tainted_fields: string[];
            };
        };
        RouteCall: {
            id: string;
            /** Format: date-time */
            at: string;
            connection_id: string | null;
            connector: string | null;
            outcome: string;
            reason: string;
            latency_ms: number;
            attempts: {
                connection_id: string;
                connector: string;
                /** @enum {string} */
                outcome: "ok" | "empty" | "rate_limited" | "quota_exhausted" | "failed" | "timeout" | "skipped";
                reason: string;
                status?: number;
                latency_ms: number;
            }[];
        };
        RouteCondition: {
            /** @description Query fields and what they must be (a value, or operators such as $in, $regex); all must hold */
            when: {
                [key: string]: (string | number | boolean | null) | {
                    $eq?: string | number | boolean | null;
                    $ne?: string | number | boolean | null;
                    $in?: (string | number | boolean | null)[];
                    $nin?: (string | number | boolean | null)[];
                    $gt?: number | string;
                    $gte?: number | string;
                    $lt?: number | string;
                    $lte?: number | string;
                    $regex?: string;
                };
            };
            /** @description The providers (connection ids) to use, in order */
            use: string[];
        };
        RouteConditionInput: {
            /** @description Query fields and what they must be (a value, or operators such as $in, $regex); all must hold */
            when: {
                [key: string]: (string | number | boolean | null) | {
                    $eq?: string | number | boolean | null;
                    $ne?: string | number | boolean | null;
                    $in?: (string | number | boolean | null)[];
                    $nin?: (string | number | boolean | null)[];
                    $gt?: number | string;
                    $gte?: number | string;
                    $lt?: number | string;
                    $lte?: number | string;
                    $regex?: string;
                };
            };
            /** @description The providers (connection ids) to use, in order */
            use: string[];
        };
        RouteExplanation: {
            would_use: {
                connection_id: string;
                connector: string;
            } | null;
            reason: string;
            providers: components["schemas"]["RouteProviderHealth"][];
            queue_length: number;
        };
        RouteFusionFieldRule: {
            /**
             * @description priority: the first provider whose record has the field (a null it gives is its answer); first_non_null: the first provider with a non-null value; most_recent: the newest record (recency_field, else when it was fetched); min, max, mean, median: over the numbers given; consensus: the median when every value is within tolerance of it, else the priority value and a conflict; union: the arrays merged
             * @enum {string}
             */
            pick: "priority" | "first_non_null" | "most_recent" | "min" | "max" | "mean" | "median" | "consensus" | "union";
            /** @description Connection ids tried first, in this order; the route's other providers follow in route order */
            order?: string[];
            /** @description Relative difference within which numbers agree (0.005 = 0.5%; default 0.005) */
            tolerance?: number;
            /** @description most_recent: the record field holding its time (ISO 8601, or epoch seconds or milliseconds) */
            recency_field?: string;
        };
        RouteFusionFieldRuleInput: {
            /**
             * @description priority: the first provider whose record has the field (a null it gives is its answer); first_non_null: the first provider with a non-null value; most_recent: the newest record (recency_field, else when it was fetched); min, max, mean, median: over the numbers given; consensus: the median when every value is within tolerance of it, else the priority value and a conflict; union: the arrays merged
             * @enum {string}
             */
            pick: "priority" | "first_non_null" | "most_recent" | "min" | "max" | "mean" | "median" | "consensus" | "union";
            /** @description Connection ids tried first, in this order; the route's other providers follow in route order */
            order?: string[];
            /** @description Relative difference within which numbers agree (0.005 = 0.5%; default 0.005) */
            tolerance?: number;
            /** @description most_recent: the record field holding its time (ISO 8601, or epoch seconds or milliseconds) */
            recency_field?: string;
        };
        RouteFusionRules: {
            /** @description Per record field (or "*" for the others): how its value is chosen from the providers' records */
            fields: {
                [key: string]: components["schemas"]["RouteFusionFieldRule"];
            };
        };
        RouteFusionRulesInput: {
            /** @description Per record field (or "*" for the others): how its value is chosen from the providers' records */
            fields: {
                [key: string]: components["schemas"]["RouteFusionFieldRuleInput"];
            };
        };
        RouteHealth: {
            providers: components["schemas"]["RouteProviderHealth"][];
            queue_length: number;
            calls_last_hour: number;
        };
        RoutePatchInput: {
            description?: string | null;
            enabled?: boolean;
            /**
             * @description single: the first provider only; fallback: in order until one answers; loadbalance: by weight, the others as fallbacks; conditional: the first condition the query matches picks the providers; fusion: every provider at once, merged per field
             * @enum {string}
             */
            strategy?: "single" | "fallback" | "loadbalance" | "conditional" | "fusion";
            /** @description In priority order: the first is the primary */
            providers?: components["schemas"]["RouteProviderSpecInput"][];
            conditions?: components["schemas"]["RouteConditionInput"][];
            /**
             * @description strict: fail at once with the provider’s reason; fallback: the next provider; queue: hold the request until the window resets, up to queue.max_wait_seconds
             * @enum {string}
             */
            on_rate_limit?: "strict" | "fallback" | "queue";
            fusion?: components["schemas"]["RouteFusionRulesInput"] | null;
            queue?: {
                max_wait_seconds?: number;
            };
            retry?: {
                attempts?: number;
                honour_retry_after?: boolean;
                max_wait_ms?: number;
                budget_percent?: number;
            };
            breaker?: {
                consecutive_failures?: number;
                failure_rate?: number;
                min_requests?: number;
                window_seconds?: number;
                cooldown_seconds?: number;
            };
            timeout_ms?: number;
        };
        RouteProviderHealth: {
            connection_id: string;
            connector: string;
            name: string;
            eligible: boolean;
            why: string;
            breaker: {
                /** @enum {string} */
                state: "closed" | "open" | "half_open";
                opened_at: string | null;
                probe_at: string | null;
            };
            quota: {
                /** Format: date-time */
                exhausted_until: string;
                reason: string;
            } | null;
            rate_limited_until: string | null;
            sticky: boolean;
            condition_matched?: boolean;
            last_failure: string | null;
        };
        RouteProviderSpecInput: {
            connection_id: string;
            /**
             * @description loadbalance: the share of calls it gets
             * @default 1
             */
            weight: number;
            /** @description Whether its data may be passed on; unset: what its connector’s data licence says */
            redistributable?: boolean;
        };
        RouteQueryAnswer: {
            /** @description The standard record (or records, for a capability that answers many) */
            data?: unknown;
            /** @description Who answered; null for a fused answer */
            provider?: {
                connection_id: string;
                connector: string;
            } | null;
            /** @description Why this provider answered (primary, fallback and why, fusion) */
            reason: string;
            attempts?: {
                connection_id: string;
                connector: string;
                /** @enum {string} */
                outcome: "ok" | "empty" | "rate_limited" | "quota_exhausted" | "failed" | "timeout" | "skipped";
                reason: string;
                status?: number;
                latency_ms: number;
            }[];
            /** @description How long the request waited in the queue for a window to reset */
            queued_ms?: number;
            fusion?: {
                /** @description Per field, the provider (or providers) it came from */
                provenance: {
                    [key: string]: unknown;
                };
                /** @description Fields whose values disagreed beyond their tolerance */
                conflicts: unknown[];
                /** @description False when a field came from a provider whose data may not be passed on */
                redistributable: boolean;
                tainted_fields: string[];
            };
            /** @description dry_run: who would answer now */
            would_use?: {
                connection_id: string;
                connector: string;
            } | null;
            /** @description dry_run: each provider, eligible or not, and why */
            providers?: components["schemas"]["RouteProviderHealth"][];
            /** @description dry_run: requests waiting in the route’s queue */
            queue_length?: number;
        };
        RouteRequest: {
            id: string;
            route: string;
            /** @enum {string} */
            state: "queued" | "running" | "served" | "failed" | "expired";
            /** Format: date-time */
            not_before: string;
            /** Format: date-time */
            deadline: string;
            result: components["schemas"]["RouteAnswer"] | null;
            problem: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            created_at: string;
        };
        RouteStats: {
            providers: {
                connection_id: string;
                connector: string;
                calls: number;
                ok: number;
                failed: number;
                rate_limited: number;
                p50_ms: number | null;
                p95_ms: number | null;
            }[];
            buckets: {
                /** Format: date-time */
                at: string;
                ok: number;
                fallback: number;
                fused: number;
                failed: number;
                rate_limited: number;
                queued: number;
            }[];
        };
        /** @description A tenant secret. Its value is sealed and never returned. */
        Secret: {
            name: string;
            description: string;
            /** @description The current version; references without @version use it */
            version: number;
            /** @description How to use it in a connection config */
            reference: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        SecretDetail: {
            name: string;
            description: string;
            /** @description The current version; references without @version use it */
            version: number;
            /** @description How to use it in a connection config */
            reference: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            versions: {
                version: number;
                /** Format: date-time */
                created_at: string;
            }[];
        };
        Session: {
            user: components["schemas"]["User"];
            tenant: {
                id: string;
                name: string;
                slug: string;
            };
            csrf_token: string;
            /** Format: date-time */
            expires_at: string;
            token?: string;
        };
        StorageItem: {
            /** @description The vendor’s id (an item id, an object key) */
            id: string;
            path: string;
            name: string;
            /** @enum {string} */
            kind: "file" | "folder";
            size: number | null;
            modified_at: string | null;
            media_type: string | null;
            /** @description As the vendor reports them: md5, sha1, quickxor, dropbox … */
            hashes: {
                [key: string]: string;
            };
            /** @description ETag, rev or generation: changes when the content does */
            version: string | null;
            /** @description A vendor-native document, exported as this media type on import */
            export_as: string | null;
            rewritten_on_download: boolean;
        };
        StorageRoot: {
            id: string;
            name: string;
            /** @enum {string} */
            kind: "drive" | "site" | "shared_drive" | "bucket" | "container" | "root";
            description: string | null;
        };
        StorageTransfer: {
            id: string;
            /** @enum {string} */
            direction: "import" | "export";
            connection_id: string;
            root: string;
            /** @description The files store folder an import writes into */
            folder: string;
            /** @description The vendor folder an export writes into */
            remote_folder: string | null;
            /** @enum {string} */
            state: "pending" | "running" | "succeeded" | "partial" | "failed" | "cancelled";
            counts: {
                files: number;
                queued: number;
                running: number;
                stored: number;
                skipped: number;
                failed: number;
                cancelled: number;
                bytes_total: number;
                bytes_done: number;
                /** @description Selected folders not listed yet: more files may come */
                folders_pending: number;
            };
            /** @description The sync run that made it (a scheduled incremental import) */
            execution_id: string | null;
            created_by: string | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
        };
        StorageTransferItem: {
            id: string;
            /** @description At the vendor */
            path: string;
            name: string;
            /** @description In the files store */
            folder: string;
            /** @enum {string} */
            state: "queued" | "running" | "stored" | "skipped" | "failed" | "cancelled";
            /** @description downloading, verifying, storing while it runs; new file, new version, unchanged … once done */
            phase: string | null;
            size: number | null;
            bytes_done: number;
            attempts: number;
            /** @description A queued file waiting for a throttle or a retry */
            next_attempt_at: string | null;
            verification: {
                /** @description md5, sha1, quickxor, dropbox, crc32c, sha256, size, or received (not checkable) */
                by: string;
                listed_size?: number;
                received_size?: number;
                listed?: string;
                received?: string;
                note?: string;
            } | null;
            file_id: string | null;
            error: {
                code: string;
                message: string;
            } | null;
            started_at: string | null;
            finished_at: string | null;
        };
        StoredRecord: {
            /** @description The record’s primary key value (a composite key as a JSON array) */
            id: string;
            data: {
                [key: string]: unknown;
            };
            _switchyard: {
                /** Format: date-time */
                first_seen_at: string;
                /** Format: date-time */
                last_modified_at: string;
                deleted_at: string | null;
                /**
                 * @description added: new and unchanged since; updated: changed or revived; deleted
                 * @enum {string}
                 */
                action: "added" | "updated" | "deleted";
                /** @description The feed position of this change: pass it as `cursor` to read what follows */
                cursor: string;
            };
        };
        StoredRecordModel: {
            model: string;
            /** @description Live records */
            records: number;
            /** @description Soft-deleted records */
            deleted: number;
            /** Format: date-time */
            last_modified_at: string;
            /** @description The position of the latest change: read from here for later changes only */
            latest_cursor: string;
        };
        StoredRecordPage: {
            records: components["schemas"]["StoredRecord"][];
            next_cursor: string | null;
        };
        SyncConfig: {
            id: string;
            name: string;
            description: string;
            source: components["schemas"]["SyncSource"];
            target: components["schemas"]["SyncTarget"];
            /** @enum {string} */
            type: "full" | "incremental" | "delta";
            /** @enum {string} */
            direction: "inbound" | "outbound" | "bidirectional";
            /** @enum {string} */
            conflict_policy: "source_wins" | "target_wins" | "latest_timestamp" | "manual";
            two_way: components["schemas"]["SyncTwoWay"] | null;
            /** @description Bidirectional: conflicts waiting for a person */
            open_conflicts?: number;
            mappings: components["schemas"]["SyncMapping"];
            schedule: components["schemas"]["SyncSchedule"] | null;
            trigger_event_types: string[];
            enabled: boolean;
            deletion: components["schemas"]["SyncDeletionPolicy"];
            lookback_seconds: number;
            batch_size: number;
            next_run_at: string | null;
            running_execution_id: string | null;
            last_run?: {
                id: string;
                /** @enum {string} */
                status: "pending" | "running" | "success" | "partial_success" | "failed" | "cancelled";
                started_at: string | null;
                finished_at: string | null;
                records_processed: number;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        SyncConflict: {
            id: string;
            sync_id: string;
            sync_name: string;
            stream: string;
            /** @description The record’s id on side A (the source) */
            a_id: string;
            /** @description Its id on side B (the target) */
            b_id: string;
            fields: {
                /** @description The field (side B’s name; `_deleted` for a delete against an edit) */
                field: string;
                /** @description Side A’s value */
                a: unknown;
                /** @description Side B’s value */
                b: unknown;
                /** @description The value both had at the last sync */
                base: unknown;
            }[];
            /** @enum {string} */
            state: "open" | "resolved" | "applied";
            resolution: {
                /** @enum {string} */
                take: "a" | "b" | "values";
                values?: {
                    [key: string]: unknown;
                };
            } | null;
            /** Format: date-time */
            created_at: string;
            resolved_at: string | null;
            resolved_by: string | null;
        };
        SyncDeletionPolicy: {
            /**
             * @description What a full sync does to records the source no longer has: mark deleted, remove, or nothing
             * @default soft
             * @enum {string}
             */
            mode: "soft" | "hard" | "none";
            /**
             * @description A full sync that would delete more than this share of the target stops instead
             * @default 0.5
             */
            max_delete_share: number;
        };
        SyncDeletionPolicyInput: {
            /**
             * @description What a full sync does to records the source no longer has: mark deleted, remove, or nothing
             * @default soft
             * @enum {string}
             */
            mode: "soft" | "hard" | "none";
            /**
             * @description A full sync that would delete more than this share of the target stops instead
             * @default 0.5
             */
            max_delete_share: number;
        };
        SyncExecution: {
            id: string;
            sync_id: string;
            /** @enum {string} */
            status: "pending" | "running" | "success" | "partial_success" | "failed" | "cancelled";
            /** @enum {string} */
            trigger: "manual" | "schedule" | "webhook" | "event" | "retry";
            triggered_by: string | null;
            streams: string[];
            full_refresh: boolean;
            /** @description Checked and counted every record, wrote nothing (an import’s check) */
            dry_run: boolean;
            /** @description The undo of this import, once done */
            undo: {
                /** Format: date-time */
                at: string;
                /** @description Records the import created, now deleted */
                removed: number;
                /** @description Records the import changed, given back their earlier content */
                restored: number;
                /** @description Records changed since (by another run; in a table, by anyone), left as they are */
                kept: number;
            } | null;
            attempts: number;
            cancel_requested: boolean;
            /** @description Running, but its node has not heartbeaten for longer than its lease */
            stuck: boolean;
            records: {
                processed: number;
                created: number;
                updated: number;
                deleted: number;
                failed: number;
            };
            stream_progress: {
                [key: string]: components["schemas"]["SyncStreamProgress"];
            };
            error_code: string | null;
            error: string | null;
            duration_ms: number | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
            heartbeat_at: string | null;
        };
        SyncFieldMapping: {
            /** @description Only for this stream; unset: every stream */
            stream?: string;
            /** @description The output field (a name or nested path) */
            to: string;
            /** @description The source field (a name or nested path) */
            from?: string;
            /** @description A constant value */
            constant?: unknown;
            /** @description A string template over source fields: `{{first_name}} {{last_name}}` */
            template?: string;
            /**
             * @description Convert the value; a value that does not convert rejects the record
             * @enum {string}
             */
            cast?: "string" | "integer" | "number" | "boolean" | "timestamp" | "date" | "json";
            /** @description The value when the source has none (missing or null) */
            default?: unknown;
        };
        SyncFieldMappingInput: {
            /** @description Only for this stream; unset: every stream */
            stream?: string;
            /** @description The output field (a name or nested path) */
            to: string;
            /** @description The source field (a name or nested path) */
            from?: string;
            /** @description A constant value */
            constant?: unknown;
            /** @description A string template over source fields: `{{first_name}} {{last_name}}` */
            template?: string;
            /**
             * @description Convert the value; a value that does not convert rejects the record
             * @enum {string}
             */
            cast?: "string" | "integer" | "number" | "boolean" | "timestamp" | "date" | "json";
            /** @description The value when the source has none (missing or null) */
            default?: unknown;
        };
        SyncLogEntry: {
            id: string;
            /** Format: date-time */
            at: string;
            level: string;
            stream: string | null;
            message: string;
        };
        SyncMapping: {
            /**
             * @description all: every source field plus the mapped ones; mapped: only the mapped fields
             * @default all
             * @enum {string}
             */
            select: "all" | "mapped";
            /** @default [] */
            fields: components["schemas"]["SyncFieldMapping"][];
        };
        SyncMappingInput: {
            /**
             * @description all: every source field plus the mapped ones; mapped: only the mapped fields
             * @default all
             * @enum {string}
             */
            select: "all" | "mapped";
            /** @default [] */
            fields: components["schemas"]["SyncFieldMappingInput"][];
        };
        SyncRejectedRecord: {
            id: string;
            stream: string;
            record_key: string | null;
            record: unknown;
            reason: string;
            /** Format: date-time */
            at: string;
        };
        SyncSchedule: {
            /** @description Five fields (minute hour day month weekday), or six with seconds first; @daily, @hourly … too */
            cron: string;
            /**
             * @description An IANA time zone, e.g. Europe/Berlin
             * @default UTC
             */
            timezone: string;
            /**
             * @description Instants missed while no node ran: skip them, or run once for all of them
             * @default skip
             * @enum {string}
             */
            misfire: "skip" | "run_once";
            /**
             * @description A due instant while a run is going: skip it, queue one run behind it, or cancel the running one
             * @default skip
             * @enum {string}
             */
            overlap: "skip" | "queue_one" | "cancel_running";
        };
        SyncScheduleInput: {
            /** @description Five fields (minute hour day month weekday), or six with seconds first; @daily, @hourly … too */
            cron: string;
            /**
             * @description An IANA time zone, e.g. Europe/Berlin
             * @default UTC
             */
            timezone: string;
            /**
             * @description Instants missed while no node ran: skip them, or run once for all of them
             * @default skip
             * @enum {string}
             */
            misfire: "skip" | "run_once";
            /**
             * @description A due instant while a run is going: skip it, queue one run behind it, or cancel the running one
             * @default skip
             * @enum {string}
             */
            overlap: "skip" | "queue_one" | "cancel_running";
        };
        SyncSource: {
            /** @enum {string} */
            kind: "connection" | "record_store";
            connection_id: string;
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        } | {
            /** @constant */
            kind: "file";
            file_id: string;
            /** @description How to read the file (see POST /v1/files/{id}/inspect for a detected one) */
            format: components["schemas"]["FileFormat"];
            /**
             * @description Field types, required fields, enums and patterns; null: values as the file has them
             * @default null
             */
            schema: {
                name: string;
                /** @enum {string} */
                type: "string" | "integer" | "number" | "boolean" | "date" | "datetime" | "json";
                /**
                 * @description false: a record without a value is rejected (a required field)
                 * @default true
                 */
                nullable: boolean;
                /** @description The values allowed (after conversion) */
                enum?: (string | number | boolean)[];
                /** @description A regular expression the whole text value must match */
                pattern?: string;
            }[] | null;
            /** @default [] */
            unique: string[][];
            /**
             * @description A JSON Schema every record must match (e.g. the target’s)
             * @default null
             */
            json_schema: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Every record must also match this event type’s JSON Schema (a type of the tenant’s, with a schema)
             * @default null
             */
            event_type: string | null;
            /**
             * @description stop: end at the first bad record, importing nothing; skip: import the good records (Partial Success), rejecting the rest with reasons; reject_file: check the whole file first and import nothing if any is bad
             * @default reject_file
             * @enum {string}
             */
            on_error: "stop" | "skip" | "reject_file";
            /**
             * @description Keep what the import changes so it can be undone (POST /v1/syncs/executions/{id}/undo). Into a database table this costs some write speed (about 15% on a first load); turn it off for a bulk load you will not undo
             * @default true
             */
            undoable: boolean;
            /**
             * @description A column the schema lacks: evolve (keep it), freeze (fail the import), discard_row (reject the record), discard_value (drop the column)
             * @default evolve
             * @enum {string}
             */
            new_columns: "evolve" | "freeze" | "discard_row" | "discard_value";
            /** @description One stream: its name (the model or table written), the target name and the primary key */
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        } | {
            /** @constant */
            kind: "storage";
            connection_id: string;
            /** @description The drive, bucket or container (an id from /v1/storage/…/roots) */
            root: string;
            /**
             * @description The folder read below (its id); the root’s top by default
             * @default
             */
            folder: string;
            /**
             * @description One stream: files
             * @default [
             *       {
             *         "name": "files"
             *       }
             *     ]
             */
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        };
        SyncSourceInput: {
            /** @enum {string} */
            kind: "connection" | "record_store";
            connection_id: string;
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        } | {
            /** @constant */
            kind: "file";
            file_id: string;
            /** @description How to read the file (see POST /v1/files/{id}/inspect for a detected one) */
            format: components["schemas"]["FileFormatInput"];
            /**
             * @description Field types, required fields, enums and patterns; null: values as the file has them
             * @default null
             */
            schema: {
                name: string;
                /** @enum {string} */
                type: "string" | "integer" | "number" | "boolean" | "date" | "datetime" | "json";
                /**
                 * @description false: a record without a value is rejected (a required field)
                 * @default true
                 */
                nullable: boolean;
                /** @description The values allowed (after conversion) */
                enum?: (string | number | boolean)[];
                /** @description A regular expression the whole text value must match */
                pattern?: string;
            }[] | null;
            /** @default [] */
            unique: string[][];
            /**
             * @description A JSON Schema every record must match (e.g. the target’s)
             * @default null
             */
            json_schema: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Every record must also match this event type’s JSON Schema (a type of the tenant’s, with a schema)
             * @default null
             */
            event_type: string | null;
            /**
             * @description stop: end at the first bad record, importing nothing; skip: import the good records (Partial Success), rejecting the rest with reasons; reject_file: check the whole file first and import nothing if any is bad
             * @default reject_file
             * @enum {string}
             */
            on_error: "stop" | "skip" | "reject_file";
            /**
             * @description Keep what the import changes so it can be undone (POST /v1/syncs/executions/{id}/undo). Into a database table this costs some write speed (about 15% on a first load); turn it off for a bulk load you will not undo
             * @default true
             */
            undoable: boolean;
            /**
             * @description A column the schema lacks: evolve (keep it), freeze (fail the import), discard_row (reject the record), discard_value (drop the column)
             * @default evolve
             * @enum {string}
             */
            new_columns: "evolve" | "freeze" | "discard_row" | "discard_value";
            /** @description One stream: its name (the model or table written), the target name and the primary key */
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        } | {
            /** @constant */
            kind: "storage";
            connection_id: string;
            /** @description The drive, bucket or container (an id from /v1/storage/…/roots) */
            root: string;
            /**
             * @description The folder read below (its id); the root’s top by default
             * @default
             */
            folder: string;
            /**
             * @description One stream: files
             * @default [
             *       {
             *         "name": "files"
             *       }
             *     ]
             */
            streams: {
                /** @description The stream (REST listing), table (schema.table) or record-store model read */
                name: string;
                /** @description The target table / model / stream it is written to; the stream name by default */
                target?: string;
                /** @description Overrides the stream’s incremental cursor field */
                cursor_field?: string;
                /** @description Overrides the primary key */
                primary_key?: string[];
            }[];
        };
        SyncStats: {
            configs: number;
            enabled: number;
            running: number;
            runs: number;
            succeeded: number;
            failed: number;
            success_rate: number | null;
            records: number;
            /** @description Two-way syncs: conflicts waiting in the inbox */
            open_conflicts: number;
            /** Format: date-time */
            since: string;
        };
        SyncStream: {
            name: string;
            primary_key: string[];
            cursor_field: string | null;
            supports: {
                full: boolean;
                incremental: boolean;
                delta: boolean;
            };
            fields: {
                name: string;
                type: string;
                nullable?: boolean;
            }[];
            description: string | null;
        };
        SyncStreamProgress: {
            processed: number;
            created: number;
            updated: number;
            deleted: number;
            failed: number;
            /** @enum {string} */
            status: "pending" | "running" | "complete" | "failed" | "cancelled";
            /** Format: date-time */
            started_at?: string;
            /** Format: date-time */
            finished_at?: string;
            error?: string;
            /** @description Two-way syncs: what the run did on each side */
            two_way?: {
                a: {
                    created: number;
                    updated: number;
                    deleted: number;
                };
                b: {
                    created: number;
                    updated: number;
                    deleted: number;
                };
                /** @description Changes that were our own writes coming back: not sent again */
                echoes: number;
                conflicts: number;
                /** @description Records with no counterpart: created on the other side */
                unmatched: number;
                /** @description Records the match key pairs with several others: left unlinked */
                ambiguous: number;
            };
        };
        SyncStreamState: {
            stream: string;
            state: {
                [key: string]: unknown;
            };
            execution_id: string | null;
            /** Format: date-time */
            updated_at: string;
        };
        SyncTarget: {
            /** @constant */
            kind: "record_store";
            /** @description The connection records are kept under: required for a file source, the source’s otherwise */
            connection_id?: string;
        } | {
            /** @constant */
            kind: "postgres";
            connection_id: string;
            /** @default public */
            schema: string;
        } | {
            /** @constant */
            kind: "pgvector";
            connection_id: string;
            /** @default public */
            schema: string;
            /** @description The length of every embedding (pgvector: at most 16,000) */
            dimensions: number;
            /** @description The field whose value is the row id; the stream’s primary key by default */
            id_field?: string;
            /**
             * @description The field holding the embedding
             * @default embedding
             */
            embedding_field: string;
            /** @description The fields kept in metadata (jsonb); every field but the id and the embedding by default */
            metadata_fields?: string[];
            /** @description An approximate-nearest-neighbour index on the embedding, built when the run finishes */
            index?: {
                /** @enum {string} */
                method: "hnsw" | "ivfflat";
                /**
                 * @default cosine
                 * @enum {string}
                 */
                distance: "cosine" | "l2" | "inner_product";
                /** @description ivfflat: lists (default rows / 1000) */
                lists?: number;
            };
        } | {
            /** @constant */
            kind: "mysql";
            /** @description A MySQL / MariaDB connection: tables in its database */
            connection_id: string;
        } | {
            /** @constant */
            kind: "sqlite";
            /** @description A SQLite connection: tables in its file */
            connection_id: string;
        } | {
            /** @constant */
            kind: "connection";
            /** @description Records are pushed to this connection’s stream endpoints */
            connection_id: string;
        } | {
            /** @constant */
            kind: "files";
            /**
             * @description The files store folder a storage source’s files are imported into (their folders follow them)
             * @default /imports
             */
            folder: string;
        };
        SyncTargetInput: {
            /** @constant */
            kind: "record_store";
            /** @description The connection records are kept under: required for a file source, the source’s otherwise */
            connection_id?: string;
        } | {
            /** @constant */
            kind: "postgres";
            connection_id: string;
            /** @default public */
            schema: string;
        } | {
            /** @constant */
            kind: "pgvector";
            connection_id: string;
            /** @default public */
            schema: string;
            /** @description The length of every embedding (pgvector: at most 16,000) */
            dimensions: number;
            /** @description The field whose value is the row id; the stream’s primary key by default */
            id_field?: string;
            /**
             * @description The field holding the embedding
             * @default embedding
             */
            embedding_field: string;
            /** @description The fields kept in metadata (jsonb); every field but the id and the embedding by default */
            metadata_fields?: string[];
            /** @description An approximate-nearest-neighbour index on the embedding, built when the run finishes */
            index?: {
                /** @enum {string} */
                method: "hnsw" | "ivfflat";
                /**
                 * @default cosine
                 * @enum {string}
                 */
                distance: "cosine" | "l2" | "inner_product";
                /** @description ivfflat: lists (default rows / 1000) */
                lists?: number;
            };
        } | {
            /** @constant */
            kind: "mysql";
            /** @description A MySQL / MariaDB connection: tables in its database */
            connection_id: string;
        } | {
            /** @constant */
            kind: "sqlite";
            /** @description A SQLite connection: tables in its file */
            connection_id: string;
        } | {
            /** @constant */
            kind: "connection";
            /** @description Records are pushed to this connection’s stream endpoints */
            connection_id: string;
        } | {
            /** @constant */
            kind: "files";
            /**
             * @description The files store folder a storage source’s files are imported into (their folders follow them)
             * @default /imports
             */
            folder: string;
        };
        SyncTwoWay: {
            fields: {
                /** @description The field on side A (the source) */
                a: string;
                /** @description The field on side B (the target) */
                b: string;
                /**
                 * @description both; a_to_b: never written back to A; b_to_a: never written to B
                 * @default both
                 * @enum {string}
                 */
                direction: "both" | "a_to_b" | "b_to_a";
                /**
                 * @description How values are compared: none, trim, lower, email (trim + lower case), phone (digits and a leading +)
                 * @default none
                 * @enum {string}
                 */
                normalize: "none" | "trim" | "lower" | "email" | "phone";
            }[];
            /**
             * @description How the first run pairs records both sides already have (e.g. by e-mail); null: it does not
             * @default null
             */
            match: {
                /** @description A field name or nested path: `email`, `properties.email` */
                a: string;
                /** @description A field name or nested path: `email`, `properties.email` */
                b: string;
                /**
                 * @description How values are compared: none, trim, lower, email (trim + lower case), phone (digits and a leading +)
                 * @default none
                 * @enum {string}
                 */
                normalize: "none" | "trim" | "lower" | "email" | "phone";
            } | null;
            /**
             * @description Each side’s record modification time, for the latest_timestamp policy
             * @default {}
             */
            timestamps: {
                /** @description A field name or nested path: `email`, `properties.email` */
                a?: string;
                /** @description A field name or nested path: `email`, `properties.email` */
                b?: string;
            };
            /**
             * @description Per side: what a delete there does to the other side
             * @default {
             *       "a": "propagate",
             *       "b": "propagate"
             *     }
             */
            deletes: {
                /**
                 * @description What a delete on this side does to the other: propagate (delete it, as that side deletes), soft (mark it deleted where that side can: the record store, a table; a vendor API is not asked to delete), ignore (keep it, unlinked)
                 * @default propagate
                 * @enum {string}
                 */
                a: "propagate" | "soft" | "ignore";
                /**
                 * @description What a delete on this side does to the other: propagate (delete it, as that side deletes), soft (mark it deleted where that side can: the record store, a table; a vendor API is not asked to delete), ignore (keep it, unlinked)
                 * @default propagate
                 * @enum {string}
                 */
                b: "propagate" | "soft" | "ignore";
            };
        };
        SyncTwoWayInput: {
            fields: {
                /** @description The field on side A (the source) */
                a: string;
                /** @description The field on side B (the target) */
                b: string;
                /**
                 * @description both; a_to_b: never written back to A; b_to_a: never written to B
                 * @default both
                 * @enum {string}
                 */
                direction: "both" | "a_to_b" | "b_to_a";
                /**
                 * @description How values are compared: none, trim, lower, email (trim + lower case), phone (digits and a leading +)
                 * @default none
                 * @enum {string}
                 */
                normalize: "none" | "trim" | "lower" | "email" | "phone";
            }[];
            /**
             * @description How the first run pairs records both sides already have (e.g. by e-mail); null: it does not
             * @default null
             */
            match: {
                /** @description A field name or nested path: `email`, `properties.email` */
                a: string;
                /** @description A field name or nested path: `email`, `properties.email` */
                b: string;
                /**
                 * @description How values are compared: none, trim, lower, email (trim + lower case), phone (digits and a leading +)
                 * @default none
                 * @enum {string}
                 */
                normalize: "none" | "trim" | "lower" | "email" | "phone";
            } | null;
            /**
             * @description Each side’s record modification time, for the latest_timestamp policy
             * @default {}
             */
            timestamps: {
                /** @description A field name or nested path: `email`, `properties.email` */
                a?: string;
                /** @description A field name or nested path: `email`, `properties.email` */
                b?: string;
            };
            /**
             * @description Per side: what a delete there does to the other side
             * @default {
             *       "a": "propagate",
             *       "b": "propagate"
             *     }
             */
            deletes: {
                /**
                 * @description What a delete on this side does to the other: propagate (delete it, as that side deletes), soft (mark it deleted where that side can: the record store, a table; a vendor API is not asked to delete), ignore (keep it, unlinked)
                 * @default propagate
                 * @enum {string}
                 */
                a: "propagate" | "soft" | "ignore";
                /**
                 * @description What a delete on this side does to the other: propagate (delete it, as that side deletes), soft (mark it deleted where that side can: the record store, a table; a vendor API is not asked to delete), ignore (keep it, unlinked)
                 * @default propagate
                 * @enum {string}
                 */
                b: "propagate" | "soft" | "ignore";
            };
        };
        /** @description The platform’s own credentials for a connector, used by tenants of a shared or hybrid connector */
        SystemConnection: {
            connector: string;
            /** @enum {string} */
            management: "shared" | "tenant_template" | "byop" | "hybrid";
            auth_method: string;
            /** @description Non-secret settings */
            config: {
                [key: string]: unknown;
            };
            /** @description The credential fields that hold a value (values are never returned) */
            credentials_set: string[];
            /** Format: date-time */
            updated_at: string;
            updated_by: string | null;
            warnings: string[];
        };
        Tenant: {
            id: string;
            name: string;
            slug: string;
            disabled: boolean;
            disabled_at: string | null;
            /** @description What the tenant’s subscription turns on */
            features: ("financial_data" | "provider_routing")[];
            /** @description Bytes the tenant’s files may hold; null: the configured default (SWITCHYARD_FILES_QUOTA_BYTES) */
            files_quota_bytes: number | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description What the connector’s test call found */
        TestOutcome: {
            /**
             * @description connected_limited: the credential works but the test call met a limit (a restricted key), `message` says what; unverified: the vendor cannot validate a credential, `message` says why. Both leave the connection active
             * @enum {string}
             */
            outcome: "connected" | "connected_limited" | "unverified" | "credential_expired" | "credential_revoked" | "scope_insufficient" | "vendor_error" | "network_error";
            account_id?: string | null;
            account_name?: string | null;
            status?: number | null;
            missing_scopes?: string[];
            vendor_code?: string | null;
            message?: string;
        };
        User: {
            id: string;
            email: string;
            name: string;
            role: string;
            superuser: boolean;
            disabled: boolean;
            last_login_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description One HTTP request of a delivery (the response body is in the detail). */
        WebhookAttempt: {
            id: string;
            attempt_number: number;
            /** @enum {string} */
            trigger: "scheduled" | "manual" | "replay";
            /** Format: date-time */
            started_at: string;
            /** @description null while in flight, and for an interrupted attempt */
            duration_ms: number | null;
            /** @description delivered, failed, throttled, gone, blocked or skipped; in_flight while the request is out; interrupted when the process sending it stopped before its outcome was recorded (the receiver may or may not have got it) */
            outcome: string;
            status_code: number | null;
            error: string | null;
            request_url: string;
            response_headers: {
                [key: string]: string;
            } | null;
            /** @description The stored response body was cut at 64 KiB */
            response_truncated: boolean;
        };
        WebhookAttemptDetail: {
            id: string;
            attempt_number: number;
            /** @enum {string} */
            trigger: "scheduled" | "manual" | "replay";
            /** Format: date-time */
            started_at: string;
            /** @description null while in flight, and for an interrupted attempt */
            duration_ms: number | null;
            /** @description delivered, failed, throttled, gone, blocked or skipped; in_flight while the request is out; interrupted when the process sending it stopped before its outcome was recorded (the receiver may or may not have got it) */
            outcome: string;
            status_code: number | null;
            error: string | null;
            request_url: string;
            response_headers: {
                [key: string]: string;
            } | null;
            /** @description The stored response body was cut at 64 KiB */
            response_truncated: boolean;
            delivery_id: string;
            /** @description The receiver’s response body, up to 64 KiB */
            response_body: string | null;
        };
        /** @description A failing attempt: what the receiver answered, or why not. */
        WebhookAttemptFailure: {
            attempt_id: string;
            delivery_id: string;
            endpoint_id: string;
            attempt_number: number;
            /** Format: date-time */
            started_at: string;
            outcome: string;
            status_code: number | null;
            error: string | null;
        };
        /** @description One event sent to one endpoint, over one or more attempts. */
        WebhookDelivery: {
            id: string;
            endpoint_id: string;
            event_id: string;
            event_type: string;
            /**
             * @description pending: waiting for its next attempt; dispatched: an attempt is in flight; delivered; failed: retries exhausted; skipped: endpoint disabled or payload filter excluded it
             * @enum {string}
             */
            status: "pending" | "dispatched" | "delivered" | "failed" | "skipped";
            attempt_count: number;
            /** @description When a pending delivery is next attempted */
            next_attempt_at: string | null;
            /**
             * @description What the next attempt is: the retry schedule, a manual retry or a replay
             * @enum {string}
             */
            next_trigger: "scheduled" | "manual" | "replay";
            last_status_code: number | null;
            last_error: string | null;
            skip_reason: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            delivered_at: string | null;
        };
        WebhookDeliveryDetail: {
            id: string;
            endpoint_id: string;
            event_id: string;
            event_type: string;
            /**
             * @description pending: waiting for its next attempt; dispatched: an attempt is in flight; delivered; failed: retries exhausted; skipped: endpoint disabled or payload filter excluded it
             * @enum {string}
             */
            status: "pending" | "dispatched" | "delivered" | "failed" | "skipped";
            attempt_count: number;
            /** @description When a pending delivery is next attempted */
            next_attempt_at: string | null;
            /**
             * @description What the next attempt is: the retry schedule, a manual retry or a replay
             * @enum {string}
             */
            next_trigger: "scheduled" | "manual" | "replay";
            last_status_code: number | null;
            last_error: string | null;
            skip_reason: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            delivered_at: string | null;
            /** @description Oldest first */
            attempts: components["schemas"]["WebhookAttempt"][];
            event: {
                id: string;
                type: string;
                data: {
                    [key: string]: unknown;
                };
                /** Format: date-time */
                created_at: string;
            };
        };
        /** @description An outbound webhook endpoint. */
        WebhookEndpoint: {
            id: string;
            url: string;
            description: string;
            /** @description Subscribed event types; empty means every type */
            event_types: string[];
            /** @description Custom headers sent with every delivery; their values are sealed and never returned */
            header_names: string[];
            rate_limit_per_second: number | null;
            /** @enum {string} */
            ordering: "none" | "endpoint" | "key";
            enabled: boolean;
            disabled_reason: string | null;
            /** @description The payload filter (SQL/JSON path condition); null: every event */
            filter: string | null;
            health: components["schemas"]["WebhookEndpointHealth"];
            /** @description The secrets it signs with (those not expired) */
            secrets: components["schemas"]["WebhookEndpointSecret"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description The new endpoint and its first signing secret (shown once). */
        WebhookEndpointCreated: {
            id: string;
            url: string;
            description: string;
            /** @description Subscribed event types; empty means every type */
            event_types: string[];
            /** @description Custom headers sent with every delivery; their values are sealed and never returned */
            header_names: string[];
            rate_limit_per_second: number | null;
            /** @enum {string} */
            ordering: "none" | "endpoint" | "key";
            enabled: boolean;
            disabled_reason: string | null;
            /** @description The payload filter (SQL/JSON path condition); null: every event */
            filter: string | null;
            health: components["schemas"]["WebhookEndpointHealth"];
            /** @description The secrets it signs with (those not expired) */
            secrets: components["schemas"]["WebhookEndpointSecret"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            signing_secret: components["schemas"]["WebhookEndpointNewSecret"];
        };
        WebhookEndpointHealth: {
            /**
             * @description open: deliveries wait until the breaker lets a probe through; half_open: a probe is due
             * @enum {string}
             */
            circuit: "closed" | "open" | "half_open";
            consecutive_failures: number;
            /** @description Start of the current run of failures; null after a success */
            failing_since: string | null;
            circuit_open_until: string | null;
        };
        WebhookEndpointNewSecret: {
            id: string;
            /** @enum {string} */
            kind: "hmac" | "ed25519";
            /** @description The whpk_ public key receivers verify ed25519 signatures with */
            public_key: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description Set by a rotation: the secret signs until then */
            expires_at: string | null;
            /** @description whsec_… (HMAC) or whsk_… (ed25519 private key). Shown once; store it now */
            secret: string;
        };
        WebhookEndpointRotated: {
            endpoint: components["schemas"]["WebhookEndpoint"];
            signing_secret: components["schemas"]["WebhookEndpointNewSecret"];
        };
        /** @description A signing secret, without its value. */
        WebhookEndpointSecret: {
            id: string;
            /** @enum {string} */
            kind: "hmac" | "ed25519";
            /** @description The whpk_ public key receivers verify ed25519 signatures with */
            public_key: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description Set by a rotation: the secret signs until then */
            expires_at: string | null;
        };
        WebhookReplayDryRun: {
            /** @description Names this replay in the activity log (the target of its entry) */
            id: string;
            /** @constant */
            dry_run: true;
            /** @description Existing deliveries a replay would send again */
            deliveries: number;
            /** @description Deliveries it would create (with include_missing) */
            missing: number;
            /** @description Matching deliveries left alone: their endpoint is disabled */
            skipped_disabled: number;
        };
        WebhookReplayResult: {
            /** @description Names this replay in the activity log (the target of its entry) */
            id: string;
            /** @constant */
            dry_run: false;
            requeued: number;
            created: number;
            skipped_disabled: number;
        };
        /** @description Delivery counters over deliveries created in [since, until); attempt counters and failures over attempts started in it. */
        WebhookStats: {
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            until: string;
            bucket_seconds: number;
            overall: {
                total: number;
                delivered: number;
                failed: number;
                /** @description Waiting for an attempt or with one in flight */
                pending: number;
                skipped: number;
                /** @description delivered / (delivered + failed); null when both are 0 */
                success_rate: number | null;
                /** @description From creation to delivery, over delivered deliveries */
                avg_delivery_ms: number | null;
                p95_delivery_ms: number | null;
                /** @description Duration of one attempt */
                avg_attempt_ms: number | null;
                p95_attempt_ms: number | null;
                /** @description Attempts beyond the first of each delivery */
                retries: number;
                /** @description Attempts started in the window, whatever their outcome */
                attempts: number;
                /** @description Attempts started in the window that were acknowledged with a 2xx */
                attempts_delivered: number;
                /** @description Attempts started in the window that were not: failed, throttled, gone, blocked or interrupted */
                attempts_failed: number;
                /** @description attempts_delivered / (attempts_delivered + attempts_failed); null when both are 0. Unlike success_rate, which counts a delivery failed only once its retries are spent, this drops as soon as the receiver fails */
                attempt_success_rate: number | null;
            };
            /** @description Endpoints with deliveries created or attempts started in the window, with their health now */
            per_endpoint: {
                endpoint_id: string;
                url: string;
                total: number;
                delivered: number;
                failed: number;
                /** @description Waiting for an attempt or with one in flight */
                pending: number;
                skipped: number;
                /** @description delivered / (delivered + failed); null when both are 0 */
                success_rate: number | null;
                /** @description From creation to delivery, over delivered deliveries */
                avg_delivery_ms: number | null;
                p95_delivery_ms: number | null;
                /** @description Duration of one attempt */
                avg_attempt_ms: number | null;
                p95_attempt_ms: number | null;
                /** @description Attempts beyond the first of each delivery */
                retries: number;
                /** @description Attempts started in the window, whatever their outcome */
                attempts: number;
                /** @description Attempts started in the window that were acknowledged with a 2xx */
                attempts_delivered: number;
                /** @description Attempts started in the window that were not: failed, throttled, gone, blocked or interrupted */
                attempts_failed: number;
                /** @description attempts_delivered / (attempts_delivered + attempts_failed); null when both are 0. Unlike success_rate, which counts a delivery failed only once its retries are spent, this drops as soon as the receiver fails */
                attempt_success_rate: number | null;
                /**
                 * @description The breaker now: open (deliveries wait for the cool-down), half_open (a probe is due), closed
                 * @enum {string}
                 */
                circuit: "closed" | "open" | "half_open";
                /** @description Now: failed attempts since its last success (0: not failing) */
                consecutive_failures: number;
                /** @description Now: start of the current run of failures */
                failing_since: string | null;
                /** @description Its latest failing attempt in the window */
                last_failure: components["schemas"]["WebhookAttemptFailure"] | null;
            }[];
            /** @description The latest 10 failing attempts in the window, newest first */
            recent_failures: components["schemas"]["WebhookAttemptFailure"][];
            series: {
                /** Format: date-time */
                start: string;
                delivered: number;
                failed: number;
                total: number;
            }[];
        };
        XmlFileOptions: {
            /**
             * @description The record element: `row` (any `row` element not inside another record), `rows/row` (a `row` inside a `rows`, at any depth) or `/feed/rows/row` (that path from the root). Empty: every child of the root
             * @default
             */
            record_element: string;
            /**
             * @description Read attributes as fields (writing: fields stay elements)
             * @default true
             */
            attributes: boolean;
            /**
             * @description Put before an attribute field name (`@` gives `@id`)
             * @default
             */
            attribute_prefix: string;
            /**
             * @description The field for an element’s text when it also has attributes or children
             * @default #text
             */
            text_field: string;
            /**
             * @description How element and attribute names read: strip: the local name (`title`); prefix: as written (`dc:title`); uri: `{http://purl.org/dc/elements/1.1/}title`. The record element path uses the same form
             * @default strip
             * @enum {string}
             */
            namespaces: "strip" | "prefix" | "uri";
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
        XmlFileOptionsInput: {
            /**
             * @description The record element: `row` (any `row` element not inside another record), `rows/row` (a `row` inside a `rows`, at any depth) or `/feed/rows/row` (that path from the root). Empty: every child of the root
             * @default
             */
            record_element: string;
            /**
             * @description Read attributes as fields (writing: fields stay elements)
             * @default true
             */
            attributes: boolean;
            /**
             * @description Put before an attribute field name (`@` gives `@id`)
             * @default
             */
            attribute_prefix: string;
            /**
             * @description The field for an element’s text when it also has attributes or children
             * @default #text
             */
            text_field: string;
            /**
             * @description How element and attribute names read: strip: the local name (`title`); prefix: as written (`dc:title`); uri: `{http://purl.org/dc/elements/1.1/}title`. The record element path uses the same form
             * @default strip
             * @enum {string}
             */
            namespaces: "strip" | "prefix" | "uri";
            /**
             * @default auto
             * @enum {string}
             */
            encoding: "auto" | "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "windows-1252";
        };
    };
    responses: never;
    parameters: {
        /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
        SwitchyardTenant: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    downloadSharedFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Download a file through an expiring link */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Success: Download a file through an expiring link */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `link_expired` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `range_not_satisfiable` */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Liveness: the process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    answerInboundHandshake: {
        parameters: {
            query?: {
                challenge?: string;
                validationToken?: string;
            };
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Answer a vendor’s check of a webhook URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveInboundWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        /** @description The sender’s payload, verified over its raw bytes */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description OK: Receive a webhook from an external system */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundProcessed"];
                };
            };
            /** @description Accepted: Receive a webhook from an external system */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundAccepted"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `body_empty`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `signature_invalid`, `timestamp_out_of_tolerance`, `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `ip_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_timeout` */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Prometheus metrics (text exposition format) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Readiness: the database answers and every migration is applied */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                        /** @enum {string} */
                        database: "embedded" | "postgres";
                        migration: number;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_ready` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                include_revoked?: "true" | "false";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List API keys, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description administrator, editor, viewer or a custom role id */
                    role: string;
                    /** Format: date-time */
                    expires_at?: string;
                    expires_in_days?: number;
                    rate_limit_per_minute?: number;
                    /**
                     * @description Superusers only
                     * @default false
                     */
                    superuser?: boolean;
                };
            };
        };
        responses: {
            /** @description Created: Create an API key; the token is in this response only */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get an API key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Revoke an API key (effective at once on every node) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Actor id (user or API key) */
                actor?: string;
                action?: string;
                target_type?: string;
                target_id?: string;
                outcome?: "success" | "failure" | "denied";
                /** @description Inclusive lower bound (ISO 8601) */
                since?: string;
                /** @description Exclusive upper bound (ISO 8601) */
                until?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List activity-log entries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEntry"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRoutingCapabilities: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List the capabilities routes can serve, with the connectors that serve each */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Capability"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectWithSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connector: string;
                    auth_method?: string;
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    credentials?: {
                        [key: string]: string | number | boolean;
                    };
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Created: Connect UI: connect an API-key, Basic or JWT account (tested first) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `oauth_flow_required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connect_session_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_test_failed`, `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reconnectWithSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credentials: {
                        [key: string]: string | number | boolean;
                    };
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Connect UI: renew the credentials of one of the end user’s connections (tested first) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `oauth_flow_required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connect_session_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_test_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    authorizeWithSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connector: string;
                    scopes?: string[];
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description Renew this connection of the end user */
                    connection_id?: string;
                };
            };
        };
        responses: {
            /** @description OK: Connect UI: start the OAuth consent for a connector (or to renew one of the end user’s connections) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        authorization_url: string;
                        flow_id: string;
                        /** Format: date-time */
                        state_expires_at: string;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connect_session_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `oauth_client_missing` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    readFlowWithSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Connect UI: where an OAuth consent the session started stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthFlow"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connect_session_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    readOwnConnectSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Connect UI: the session’s end user, branding, connectors (with their forms) and existing connections */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectSessionView"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connect_session_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConnectSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    end_user: components["schemas"]["EndUserInput"];
                    /** @description The connectors the end user may choose; every connectable one the session’s maker may create otherwise */
                    connectors?: {
                        connector: string;
                        /** @description OAuth: the scopes to ask for (the manifest’s defaults otherwise) */
                        scopes?: string[];
                        /** @description Config fields you set (the end user cannot change them). For OAuth, the fields that decide where the OAuth app’s secret is sent (a subdomain in the token URL) must be set here */
                        config?: {
                            [key: string]: string | number | boolean;
                        };
                    }[];
                    /** @description Put on the connection the session makes */
                    tags?: string[];
                    /** @description Put on the connection the session makes */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @description The origins of your pages that may embed the Connect UI (iframe) or open it (popup) */
                    allowed_origins: string[];
                    /**
                     * @description Seconds until the session ends (30 minutes by default, a day at most)
                     * @default 1800
                     */
                    expires_in?: number;
                    branding?: {
                        /** @description Your product’s name, shown to the end user */
                        name?: string;
                        /** Format: uri */
                        logo_url?: string;
                        primary_color?: string;
                    };
                    /** @description A connection (id or key) of this end user to renew: the UI opens on it */
                    reconnect?: string;
                };
            };
        };
        responses: {
            /** @description Created: Create a connect session: a short-lived link for one end user to connect their accounts */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "pending" | "used" | "expired";
                        end_user: {
                            [key: string]: unknown;
                        };
                        connectors: {
                            connector: string;
                            scopes?: string[];
                        }[];
                        tags: string[];
                        metadata: {
                            [key: string]: unknown;
                        };
                        allowed_origins: string[];
                        reconnect_connection_id: string | null;
                        /** @description The connection the session made or renewed */
                        connection_id: string | null;
                        /** Format: date-time */
                        expires_at: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description Shown once: the end user’s only credential; keep it out of logs */
                        token: string;
                        /** @description The hosted Connect UI for this session */
                        url: string;
                    };
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_unavailable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConnectSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a connect session: pending, used (with the connection) or expired */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectSession"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    endConnectSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: End a connect session now: its token stops working */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConnections: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                state?: "inactive" | "testing" | "active" | "paused" | "auth_expired" | "auth_revoked" | "error";
                connector?: string;
                /** @description Free text over name, description, connector and account id */
                q?: string;
                /** @description Only the connections of this end user */
                end_user_id?: string;
                /** @description Comma-separated: only connections carrying every one of these tags */
                tags?: string;
                sort?: "name" | "created_at" | "state" | "connector" | "last_test_at" | "-name" | "-created_at" | "-state" | "-connector" | "-last_test_at";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List connections (filter, search, sort, cursor pages) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connector: string;
                    name?: string;
                    description?: string;
                    /** @description An auth method type of the connector; its first by default */
                    auth_method?: string;
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    credentials?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description OAuth client-credentials methods: the scopes to request (the manifest’s defaults when omitted) */
                    scopes?: string[];
                    /** @default true */
                    validate?: boolean;
                    /** @description Your own id for the connection, unique in the tenant: every `/v1/connections/{id}` route takes it in place of the id. A create repeated with the same key answers the connection it made */
                    key?: string;
                    end_user?: components["schemas"]["EndUserInput"];
                    /** @description Labels to filter connections by (`?tags=`) */
                    tags?: string[];
                    /** @description Free-form JSON for your own use (at most 16 KiB); never secret, shown as written */
                    metadata?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Create a connection (tested first unless validate is false) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Created: Create a connection (tested first unless validate is false) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `oauth_flow_required`, `oauth_refused`, `secret_reference_invalid`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `connector_unavailable`, `connection_unusable`, `oauth_client_missing` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_test_failed`, `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `oauth_unavailable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    importConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connector: string;
                    name?: string;
                    description?: string;
                    /** @description An auth method type of the connector; its first by default */
                    auth_method?: string;
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description API-key, Basic or JWT methods: the method’s credential fields */
                    credentials?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description OAuth 2.0 methods: the tokens the other platform holds (an app-level connection) */
                    oauth?: {
                        access_token: string;
                        refresh_token?: string;
                        /** @default bearer */
                        token_type?: string;
                        /**
                         * Format: date-time
                         * @description When the access token expires; one past or within a minute is refreshed before the test
                         */
                        expires_at?: string;
                        /** @description The scopes the grant holds */
                        scopes?: string[];
                    };
                    /** @default true */
                    validate?: boolean;
                    /** @description Your own id for the connection, unique in the tenant: every `/v1/connections/{id}` route takes it in place of the id. A create repeated with the same key answers the connection it made */
                    key?: string;
                    end_user?: components["schemas"]["EndUserInput"];
                    tags?: string[];
                    /** @description Free-form JSON for your own use (at most 16 KiB); never secret, shown as written */
                    metadata?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Import a connection with credentials held elsewhere (OAuth tokens or an API key), tested first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Created: Import a connection with credentials held elsewhere (OAuth tokens or an API key), tested first */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `oauth_flow_required`, `oauth_refused`, `secret_reference_invalid`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `connector_unavailable`, `connection_unusable`, `oauth_client_missing`, `oauth_refresh_unconfirmed` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_test_failed`, `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `oauth_unavailable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    summarizeConnections: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Count connections by state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionSummary"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Disconnect: delete the connection and its credentials */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    credentials?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description Replaces the tags */
                    tags?: string[];
                    /** @description Replaces the metadata */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @default true */
                    validate?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Edit name, description or config, or rotate credentials (re-tested) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `oauth_flow_required`, `secret_reference_invalid`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_test_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectUserAccount: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Where the callback redirects afterwards (303, with `?connection_id=`): a path here or a URL on this server */
                    return_to?: string;
                } | null;
            };
        };
        responses: {
            /** @description OK: Connect your own account to a user-level OAuth connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthFlowStarted"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `oauth_client_missing` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConnectionHistory: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: State history of a connection, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            from: string | null;
                            to: string;
                            reason: string | null;
                            actor_type: string;
                            actor_id: string | null;
                            /** Format: date-time */
                            at: string;
                        }[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pauseConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Pause: no deliveries, no proxied calls; credentials kept */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_unusable`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_test_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyGet: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Send a GET request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyPut: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        /** @description Any body in any media type, forwarded as sent */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description OK: Send a PUT request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyPost: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        /** @description Any body in any media type, forwarded as sent */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description OK: Send a POST request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyDelete: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Send a DELETE request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyOptions: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Send a OPTIONS request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    proxyPatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                /** @description The vendor path, relative to the connection’s base URL; may contain slashes */
                "*": string;
            };
            cookie?: never;
        };
        /** @description Any body in any media type, forwarded as sent */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description OK: Send a PATCH request to the vendor through a connection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `scope_insufficient` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `rate_budget_exhausted` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `oauth_unavailable`, `upstream_unreachable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `upstream_timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reauthorizeConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    scopes?: string[];
                    /** @description Where the callback redirects afterwards (303, with `?connection_id=`): a path here or a URL on this server */
                    return_to?: string;
                } | null;
            };
        };
        responses: {
            /** @description OK: Re-authorize an OAuth connection (renewed consent, or a new scope set) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthFlowStarted"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `oauth_client_missing` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refreshConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Refresh an OAuth connection’s tokens now, then run its test call */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `connection_unusable`, `not_connected`, `oauth_refresh_unconfirmed` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `oauth_unavailable` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConnectionRequests: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Request log of a connection (proxied calls and tests), newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionRequest"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resumeConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Resume a paused connection (tested first; a failure leaves it in error) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_unusable`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_test_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Run the connector’s test call and record the outcome */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_unusable`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connection_test_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listConnectors: {
        parameters: {
            query?: {
                /** @description Words to find in the name, description, category or slug */
                q?: string;
                category?: "CRM" | "ERP" | "Communication" | "Storage" | "Analytics" | "Financial Data" | "Payments" | "Email" | "Database" | "Developer Tools" | "Productivity" | "AI" | "Generic";
                /** @description Only connectors offering this auth method */
                auth?: "api_key" | "basic" | "bearer" | "jwt" | "hmac" | "aws_sigv4" | "azure_shared_key" | "azure_sas" | "custom_headers" | "mtls" | "oauth2" | "connection_string" | "none";
                availability?: "active" | "coming_soon" | "deprecated" | "maintenance";
                /** @description Superusers only */
                include_retired?: "true" | "false";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Browse the connector library (search, filters, counts per category) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorLibrary"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConnector: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description A connector manifest as JSON, checked against connectors/manifest.schema.json like a manifest file */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Created: Add a custom connector to the registry (superuser) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDetail"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConnector: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a connector type with its configuration form */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDetail"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteConnector: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a custom connector that no connection uses (superuser) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `in_use` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateConnector: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    availability?: "active" | "coming_soon" | "deprecated" | "maintenance";
                    /** @enum {string} */
                    management?: "shared" | "tenant_template" | "byop" | "hybrid";
                    retired?: boolean;
                    /** @description How the entry presents itself in the library, built-in or custom: each value overrides the manifest’s and survives its updates; `null` goes back to the manifest’s */
                    presentation?: {
                        name?: string | null;
                        description?: string | null;
                        category?: ("CRM" | "ERP" | "Communication" | "Storage" | "Analytics" | "Financial Data" | "Payments" | "Email" | "Database" | "Developer Tools" | "Productivity" | "AI" | "Generic") | null;
                        complexity?: ("low" | "medium" | "high") | null;
                        /** @description 0–100; 80 and above: "Popular" */
                        popularity?: number | null;
                        features?: string[] | null;
                        data_types?: string[] | null;
                    };
                    /** @description Custom entries only: the new manifest (same slug) */
                    manifest?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Change a connector’s availability, management pattern, presentation or retirement (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorDetail"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSystemConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get the platform’s credentials for a connector: which are set, never their values (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemConnection"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setSystemConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An auth method of the connector (its id, which defaults to its type); its first by default */
                    auth_method?: string;
                    /** @default {} */
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @default {} */
                    credentials?: {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Attach (or replace) the platform’s credentials for a shared or hybrid connector (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemConnection"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSystemConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Remove the platform’s credentials for a connector (superuser) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEventTypes: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                include_archived?: "true" | "false";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List event types: the built-in platform types and the tenant’s own */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventType"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createEventType: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    /** @description A JSON Schema (draft 2020-12 keywords as ajv supports them) the event `data` must match */
                    schema?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Created: Define an event type (optionally with a JSON Schema for its payload) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `already_exists`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEventType: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get an event type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    archiveEventType: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Archive an event type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateEventType: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    /** @description null removes the schema */
                    schema?: {
                        [key: string]: unknown;
                    } | null;
                    archived?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Change an event type’s description or schema, or unarchive it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description One event type, or several separated by commas */
                type?: string;
                source?: "platform" | "api";
                /** @description Created at or after */
                since?: string;
                /** @description Created before */
                until?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List events, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Event"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    publishEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    type: string;
                    /** @description The payload; must match the type’s JSON Schema if it has one */
                    data: {
                        [key: string]: unknown;
                    };
                    /** @description Honoured for 24 hours: the same key and body answer the original event (200) */
                    idempotency_key?: string;
                    /** @description Endpoints with ordering "key" receive the events of one key in publish order, one at a time */
                    ordering_key?: string;
                };
            };
        };
        responses: {
            /** @description OK: Publish an event of one of the tenant’s event types */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description Created: Publish an event of one of the tenant’s event types */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `idempotency_conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `event_type_invalid`, `event_payload_invalid` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get an event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFiles: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Only the files directly in this folder */
                folder?: string;
                /** @description Only files whose name contains this (any case) */
                q?: string;
                /** @description Only files from this kind of source */
                source?: "upload" | "export" | "import";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List files, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["File"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadFile: {
        parameters: {
            query: {
                name: string;
                /** @description A folder path such as `/imports/2026`; `/` by default */
                folder?: string;
                /** @description When the folder holds a file of that name: add a version of it (default; nothing new for the same bytes), store under "name (2).ext", or answer 409 */
                if_exists?: "version" | "rename" | "fail";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Upload a file in one request: the body is its bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Created: Upload a file in one request: the body is its bytes */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `body_too_large`, `files_quota_exceeded` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFileFolders: {
        parameters: {
            query?: {
                /** @description A folder path such as `/imports/2026`; `/` by default */
                parent?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The subfolders of a folder, with the files and bytes under each */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        parent: string;
                        folders: components["schemas"]["FileFolder"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createFileUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description A folder path such as `/imports/2026`; `/` by default */
                    folder?: string;
                    media_type?: string;
                    /** @description The file’s size in bytes */
                    size: number;
                    /**
                     * @description When the folder holds a file of that name: add a version of it (default; nothing new for the same bytes), store under "name (2).ext", or answer 409
                     * @enum {string}
                     */
                    if_exists?: "version" | "rename" | "fail";
                };
            };
        };
        responses: {
            /** @description Created: Start a resumable upload: declare the name and size, then append the bytes */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileUpload"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `body_too_large`, `files_quota_exceeded` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFileUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read an upload’s offset (where to resume) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileUpload"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    abortFileUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Abandon an upload and drop its bytes */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    appendFileUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Append bytes to an upload at its offset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        folder: string;
                        media_type: string;
                        size: number;
                        /** @description Bytes received: the next append starts here */
                        offset: number;
                        /**
                         * @description When the folder holds a file of that name: add a version of it (default; nothing new for the same bytes), store under "name (2).ext", or answer 409
                         * @enum {string}
                         */
                        if_exists: "version" | "rename" | "fail";
                        /** @description The file made (or given a version) once the last byte arrived */
                        file_id: string | null;
                        /** Format: date-time */
                        expires_at: string;
                        file: components["schemas"]["File"] | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `upload_offset_mismatch`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `body_too_large`, `files_quota_exceeded` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFilesUsage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The tenant’s stored bytes against its quota */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilesUsage"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read a file’s details */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a file and its versions (their bytes go once no other file holds them) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    moveFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description A folder path such as `/imports/2026`; `/` by default */
                    folder?: string;
                };
            };
        };
        responses: {
            /** @description OK: Rename a file or move it to another folder */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Download a file (its current version), whole or one byte range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Success: Download a file (its current version), whole or one byte range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `range_not_satisfiable` */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createFileLink: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 3600 */
                    expires_in_seconds?: number;
                    version?: number;
                };
            };
        };
        responses: {
            /** @description Created: Make an expiring link to a file’s bytes, for anyone who has it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A path (`/files/shared/…`) under the server’s public URL */
                        url: string;
                        /** Format: date-time */
                        expires_at: string;
                        version: number;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFileVersions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: A file’s versions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["FileVersion"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadFileVersion: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Download one version of a file, whole or one byte range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Success: Download one version of a file, whole or one byte range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `range_not_satisfiable` */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    restoreFileVersion: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Make an earlier version current again (as a new version) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listImports: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: File imports, newest first, each with its file, latest check and latest import run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["FileImport"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    inspectImportFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    file_id: string;
                    format?: components["schemas"]["FileFormatInput"];
                    /**
                     * @description Records the schema is proposed from
                     * @default 1000
                     */
                    sample_size?: number;
                    /**
                     * @description Records shown as read
                     * @default 20
                     */
                    preview?: number;
                };
            };
        };
        responses: {
            /** @description OK: Detect a file’s format, propose a schema from a sample and show its first records */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        file: components["schemas"]["File"];
                        /** @description Why this format was detected; null when the format was given */
                        detection: {
                            confidence: number;
                            reasons: string[];
                            warnings: string[];
                        } | null;
                        format: components["schemas"]["FileFormat"];
                        schema: {
                            fields: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "datetime" | "json";
                                nullable: boolean;
                                confidence: number;
                                nulls: number;
                                examples: unknown[];
                                note?: string;
                            }[];
                            sampled: number;
                        };
                        sample: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `file_unreadable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInboundEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                source_id?: string;
                /** @description One status, or several separated by commas */
                status?: string;
                /** @description Event type, exact or a prefix ending in * */
                type?: string;
                /** @description Received at or after */
                since?: string;
                /** @description Received before */
                until?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The inbound event log, newest first, with a payload preview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InboundEvent"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInboundEvent: {
        parameters: {
            query?: {
                include_body?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: One inbound event: headers, rule results, and the payload (whole with include_body=true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundEventDetail"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replayInboundEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: Run one inbound event through its source’s rules again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "received";
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `inbound_event_not_replayable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replayInboundEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    since: string;
                    /** Format: date-time */
                    until: string;
                    source_id?: string;
                    /**
                     * @description Which outcomes to run again
                     * @default [
                     *       "processed",
                     *       "failed"
                     *     ]
                     */
                    status?: ("processed" | "failed" | "received")[];
                    /** @description Exact, or a prefix ending in * */
                    event_type?: string;
                    /**
                     * @description Only count what would be replayed
                     * @default false
                     */
                    dry_run?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Run the inbound events of a time range through their rules again (or count them) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundReplayResult"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `time_range_invalid`, `replay_too_large` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInboundSources: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                connection_id?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List inbound webhook sources, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InboundSource"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createInboundSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    /**
                     * @description A connection whose connector declares its webhook scheme: verification defaults to it
                     * @default null
                     */
                    connection_id?: string | null;
                    /** @description Defaults to the scheme the connection’s connector declares (so the source verifies by default); required without connection_id. `{ "type": "none" }` must be set explicitly to accept unauthenticated posts */
                    verification?: {
                        /** @enum {string} */
                        type: "standard_webhooks";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "stripe";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "github";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "slack";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "shopify";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "hubspot_v3";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "twilio";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "square";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "sendgrid";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "graph_client_state";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "google_channel";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "generic_hmac";
                        /** @enum {string} */
                        algorithm: "sha256" | "sha512";
                        /** @enum {string} */
                        encoding: "hex" | "base64";
                        header: string;
                        prefix?: string;
                        timestamp_header?: string;
                        /** @default {body} */
                        signed_content?: string;
                        tolerance_seconds?: number;
                        delivery_id_header?: string;
                        event_type_header?: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "basic_auth";
                        username?: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "api_key_header";
                        header: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "body_token";
                        /** @description Where the token is in the JSON body, e.g. $.token */
                        path: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "none";
                        ip_allow?: string[];
                    };
                    /** @description The signing secret, password or token the sender uses (e.g. Stripe’s whsec_…). Required when the vendor issues it (Stripe, Slack, Shopify, HubSpot, Twilio, Square) unless the connection holds it; otherwise generated and returned once when omitted */
                    secret?: string;
                    /** @description Where the provider delivery id is read when the scheme does not define one (webhook-id, X-GitHub-Delivery, Stripe event id and X-Shopify-Webhook-Id are built in) */
                    dedup_key?: {
                        /** @enum {string} */
                        from: "header" | "body";
                        /** @description Header name, or a JSON path such as $.event.id for the body */
                        path: string;
                    } | null;
                    /**
                     * @description How long a delivery id counts (≤ 72 h)
                     * @default 86400
                     */
                    dedup_window_seconds?: number;
                    /** @description Where the event type is read when the scheme does not say */
                    event_type_from?: {
                        /** @enum {string} */
                        from: "header" | "body";
                        /** @description Header name, or a JSON path such as $.event.id for the body */
                        path: string;
                    } | null;
                    /** @default 1048576 */
                    max_body_bytes?: number;
                    /** @description Accepted media types; *\/* accepts any. Defaults to the media types the connection’s connector says its vendor sends, else application/json. A vendor preset also accepts what its vendor can send (GitHub and Slack: forms; Shopify: XML) */
                    content_types?: string[];
                    /**
                     * @description async: 202 once stored; sync: wait for the rules and answer with their result
                     * @default async
                     * @enum {string}
                     */
                    response_mode?: "async" | "sync";
                    /** @default 10000 */
                    sync_timeout_ms?: number;
                    /** @default [] */
                    rules?: {
                        name: string;
                        /**
                         * @description Matches when the event type is one of these (a trailing * matches a prefix); empty matches every type
                         * @default []
                         */
                        event_types?: string[];
                        /**
                         * @description An SQL/JSON path condition over {"type", "headers", "payload"}, e.g. `$.payload.action == "opened"`; header names are lower case
                         * @default null
                         */
                        condition?: string | null;
                        actions: ({
                            /** @enum {string} */
                            type: "publish";
                            /** @description A tenant event type; outbound webhooks deliver it to subscribed endpoints */
                            event_type: string;
                        } | {
                            /** @enum {string} */
                            type: "forward";
                            /** @description Where the raw body is POSTed (through the SSRF guard) */
                            url: string;
                            /** @description Extra headers (values may be {{secrets.NAME}}); sealed, never returned. Omitted in an update, the headers of the same action (rule name, position, URL) are kept */
                            headers?: {
                                [key: string]: string;
                            };
                            /** @default 10000 */
                            timeout_ms?: number;
                        } | {
                            /** @enum {string} */
                            type: "run_sync";
                            /** @description The sync to run (queued behind a run in progress) */
                            sync_id: string;
                            /** @default false */
                            full_refresh?: boolean;
                        })[];
                        /**
                         * @description Also evaluate the rules after this one when it matches (by default the first match wins)
                         * @default false
                         */
                        continue?: boolean;
                    }[];
                    /** @default true */
                    enabled?: boolean;
                    /** @description Defaults to the connector’s when connection_id names one */
                    handshake?: ("challenge_query" | "validation_token" | "get_ok") | null;
                };
            };
        };
        responses: {
            /** @description Created: Create an inbound webhook source and its public URL */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundSourceCreated"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `secret_reference_invalid`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInboundSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get an inbound webhook source with its URL (never its secrets) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundSource"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteInboundSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete an inbound webhook source, its secrets and its event log */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateInboundSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    /** @description How requests are authenticated; secrets are set apart (secret, rotate-secret) */
                    verification?: {
                        /** @enum {string} */
                        type: "standard_webhooks";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "stripe";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "github";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "slack";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "shopify";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "hubspot_v3";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "twilio";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "square";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "sendgrid";
                        tolerance_seconds?: number;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "graph_client_state";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "google_channel";
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "generic_hmac";
                        /** @enum {string} */
                        algorithm: "sha256" | "sha512";
                        /** @enum {string} */
                        encoding: "hex" | "base64";
                        header: string;
                        prefix?: string;
                        timestamp_header?: string;
                        /** @default {body} */
                        signed_content?: string;
                        tolerance_seconds?: number;
                        delivery_id_header?: string;
                        event_type_header?: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "basic_auth";
                        username?: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "api_key_header";
                        header: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "body_token";
                        /** @description Where the token is in the JSON body, e.g. $.token */
                        path: string;
                        ip_allow?: string[];
                    } | {
                        /** @enum {string} */
                        type: "none";
                        ip_allow?: string[];
                    };
                    /** @description Where the provider delivery id is read when the scheme does not define one (webhook-id, X-GitHub-Delivery, Stripe event id and X-Shopify-Webhook-Id are built in) */
                    dedup_key?: {
                        /** @enum {string} */
                        from: "header" | "body";
                        /** @description Header name, or a JSON path such as $.event.id for the body */
                        path: string;
                    } | null;
                    /** @description How long a delivery id counts (≤ 72 h) */
                    dedup_window_seconds?: number;
                    /** @description Where the event type is read when the scheme does not say */
                    event_type_from?: {
                        /** @enum {string} */
                        from: "header" | "body";
                        /** @description Header name, or a JSON path such as $.event.id for the body */
                        path: string;
                    } | null;
                    max_body_bytes?: number;
                    /** @description Accepted media types; *\/* accepts any. A vendor preset also accepts what its vendor can send (GitHub and Slack: forms; Shopify: XML) */
                    content_types?: string[];
                    /**
                     * @description async: 202 once stored; sync: wait for the rules and answer with their result
                     * @enum {string}
                     */
                    response_mode?: "async" | "sync";
                    sync_timeout_ms?: number;
                    rules?: {
                        name: string;
                        /**
                         * @description Matches when the event type is one of these (a trailing * matches a prefix); empty matches every type
                         * @default []
                         */
                        event_types?: string[];
                        /**
                         * @description An SQL/JSON path condition over {"type", "headers", "payload"}, e.g. `$.payload.action == "opened"`; header names are lower case
                         * @default null
                         */
                        condition?: string | null;
                        actions: ({
                            /** @enum {string} */
                            type: "publish";
                            /** @description A tenant event type; outbound webhooks deliver it to subscribed endpoints */
                            event_type: string;
                        } | {
                            /** @enum {string} */
                            type: "forward";
                            /** @description Where the raw body is POSTed (through the SSRF guard) */
                            url: string;
                            /** @description Extra headers (values may be {{secrets.NAME}}); sealed, never returned. Omitted in an update, the headers of the same action (rule name, position, URL) are kept */
                            headers?: {
                                [key: string]: string;
                            };
                            /** @default 10000 */
                            timeout_ms?: number;
                        } | {
                            /** @enum {string} */
                            type: "run_sync";
                            /** @description The sync to run (queued behind a run in progress) */
                            sync_id: string;
                            /** @default false */
                            full_refresh?: boolean;
                        })[];
                        /**
                         * @description Also evaluate the rules after this one when it matches (by default the first match wins)
                         * @default false
                         */
                        continue?: boolean;
                    }[];
                    enabled?: boolean;
                    /** @description A URL check the vendor makes before sending: challenge_query answers GET ?challenge=… with it (Dropbox), validation_token answers ?validationToken=… with it (Microsoft Graph: Teams, OneDrive), get_ok answers a GET, or a POST without a body, with 200 (Mailchimp). Slack’s url_verification needs none: a slack source always answers it once signed */
                    handshake?: ("challenge_query" | "validation_token" | "get_ok") | null;
                };
            };
        };
        responses: {
            /** @description OK: Change an inbound webhook source: verification, limits, rules, enable / disable */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundSource"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `secret_reference_invalid`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateInboundSourceSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The signing secret, password or token the sender uses (e.g. Stripe’s whsec_…). Required when the vendor issues it (Stripe, Slack, Shopify, HubSpot, Twilio, Square) unless the connection holds it; otherwise generated and returned once when omitted */
                    secret?: string;
                    /**
                     * @description How long the current secrets stay valid; 0 retires them at once
                     * @default 86400
                     */
                    overlap_seconds?: number;
                };
            };
        };
        responses: {
            /** @description OK: Add a verification secret; the current ones are accepted until the overlap ends */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundSourceSecretRotated"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateInboundSourceToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description How long the old URL is still accepted; 0 retires it at once
                     * @default 86400
                     */
                    grace_seconds?: number;
                };
            };
        };
        responses: {
            /** @description OK: Give a source a new URL; the old one keeps working for a grace period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundSource"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Who am I: identity, role, capabilities and tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startOAuthAuthorization: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connector: string;
                    name?: string;
                    description?: string;
                    config?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description The manifest’s default scopes when omitted */
                    scopes?: string[];
                    /**
                     * @description Among the connector’s levels; its first by default
                     * @enum {string}
                     */
                    level?: "app" | "user";
                    /** @description Where the callback redirects afterwards (303, with `?connection_id=`): a path here or a URL on this server */
                    return_to?: string;
                    /** @description Your own id for the connection, unique in the tenant: every `/v1/connections/{id}` route takes it in place of the id. A create repeated with the same key answers the connection it made */
                    key?: string;
                    end_user?: components["schemas"]["EndUserInput"];
                    tags?: string[];
                    /** @description Free-form JSON for your own use (at most 16 KiB); never secret, shown as written */
                    metadata?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Start connecting an OAuth connector: get the vendor’s authorization URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthFlowStarted"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json`, `secret_reference_invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `oauth_client_missing`, `connector_unavailable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `connector_maintenance` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOAuthClient: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                connector: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The OAuth app the tenant’s connections to a connector use (never its secret) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthClient"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putOAuthClient: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                connector: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    client_id: string;
                    client_secret?: string | null;
                };
            };
        };
        responses: {
            /** @description OK: Register (or replace) the tenant’s own OAuth app for a connector */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthClient"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteOAuthClient: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                connector: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Remove the tenant’s own OAuth app for a connector */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `in_use` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOAuthFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: See where an authorization flow stands: waiting, connected (with the connection) or failed (why) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthFlow"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRecords: {
        parameters: {
            query: {
                /** @description The connection whose records to read */
                connection_id: string;
                /** @description The model (the stream name a sync wrote the records under) */
                model: string;
                /** @description Read the changes after this one: a `next_cursor`, or the `cursor` of the last record applied */
                cursor?: string;
                limit?: number;
                /** @description Only records last changed after this time */
                modified_after?: string;
                /** @description Only these changes: added, updated, deleted (comma-separated) */
                filter?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read the records a sync stored, as a change feed (added, updated, deleted) after a cursor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoredRecordPage"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportRecords: {
        parameters: {
            query: {
                connection_id: string;
                model: string;
                format?: "csv" | "tsv" | "json" | "ndjson" | "xml";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Download a model’s live records as CSV, TSV, JSON, NDJSON or XML, streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportRecordsToFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connection_id: string;
                    model: string;
                    /**
                     * @default csv
                     * @enum {string}
                     */
                    format?: "csv" | "tsv" | "json" | "ndjson" | "xml";
                    name?: string;
                    /** @default /exports */
                    folder?: string;
                };
            };
        };
        responses: {
            /** @description Created: Write a model’s live records to the files store as CSV, TSV, JSON, NDJSON or XML */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["File"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRecordModels: {
        parameters: {
            query: {
                connection_id: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The models a connection has stored records of, with counts and the last change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StoredRecordModel"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRoles: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List the built-in and custom roles with their capabilities */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Role"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    capabilities: ("list_connections" | "browse_connector_library" | "create_connection" | "edit_connection" | "edit_scopes" | "refresh_credentials" | "test_connection" | "pause_resume" | "disconnect" | "browse_delivery_log" | "retry_failed_delivery" | "manage_payment_credentials" | "use_proxy" | "create_connect_session" | "import_connections" | "view_webhooks" | "manage_webhooks" | "publish_events" | "view_inbound" | "manage_inbound" | "view_syncs" | "manage_syncs" | "run_syncs" | "view_routes" | "manage_routes" | "query_routes" | "view_files" | "manage_files" | "browse_storage" | "view_secrets" | "manage_secrets" | "view_api_keys" | "manage_api_keys" | "view_users" | "manage_users" | "view_roles" | "manage_roles" | "view_audit" | "view_metrics")[];
                };
            };
        };
        responses: {
            /** @description Created: Create a custom role */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCapabilities: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List every capability a role can hold */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            name: string;
                            description: string;
                            superuser_only: boolean;
                        }[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a role */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a custom role that no user or active key holds */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `in_use` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    capabilities?: ("list_connections" | "browse_connector_library" | "create_connection" | "edit_connection" | "edit_scopes" | "refresh_credentials" | "test_connection" | "pause_resume" | "disconnect" | "browse_delivery_log" | "retry_failed_delivery" | "manage_payment_credentials" | "use_proxy" | "create_connect_session" | "import_connections" | "view_webhooks" | "manage_webhooks" | "publish_events" | "view_inbound" | "manage_inbound" | "view_syncs" | "manage_syncs" | "run_syncs" | "view_routes" | "manage_routes" | "query_routes" | "view_files" | "manage_files" | "browse_storage" | "view_secrets" | "manage_secrets" | "view_api_keys" | "manage_api_keys" | "view_users" | "manage_users" | "view_roles" | "manage_roles" | "view_audit" | "view_metrics")[];
                };
            };
        };
        responses: {
            /** @description OK: Change a custom role (takes effect at once for its users and keys) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `conflict`, `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRoutes: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                capability?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List provider routes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Route"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewRouteInput"];
            };
        };
        responses: {
            /** @description Created: Create a provider route */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Route"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRouteRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: A queued route request: still waiting, or served (with the answer), failed or expired */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteRequest"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a provider route */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Route"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a provider route (its queued requests and call log go with it) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoutePatchInput"];
            };
        };
        responses: {
            /** @description OK: Change a provider route */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Route"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRouteCalls: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                outcome?: "ok" | "fallback" | "fused" | "rate_limited" | "queued" | "expired" | "failed" | "no_data";
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The route’s call log: provider, outcome, reason, latency and attempts, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RouteCall"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    explainRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default {} */
                    query?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Which provider would answer a query now, and why */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteExplanation"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRouteHealth: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Each provider’s circuit breaker, quota and rate-limit state, and the queue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteHealth"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resetRouteProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
                connection_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Close a provider’s circuit breaker and clear its rate-limit mark */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteProviderHealth"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    queryRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The capability’s query, e.g. {"symbol": "AAPL"} */
                    query: {
                        [key: string]: unknown;
                    };
                    /**
                     * @description Say which provider would answer now, and why, without calling any
                     * @default false
                     */
                    dry_run?: boolean;
                    /** @description The longest this call may wait in the queue (at most the route’s queue.max_wait_seconds) */
                    deadline_ms?: number;
                    /**
                     * @description When queued, answer 202 at once with the request id to poll
                     * @default false
                     */
                    async?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Query a capability through a route */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteQueryAnswer"];
                };
            };
            /** @description Accepted: Query a capability through a route */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request_id: string;
                        /** @enum {string} */
                        state: "queued";
                        /** Format: date-time */
                        not_before: string;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `not_found`, `no_data` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `provider_rate_limited`, `queue_deadline_exceeded` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRouteStats: {
        parameters: {
            query?: {
                hours?: number;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Per-provider statistics and calls per hour by outcome */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteStats"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `feature_not_enabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSecrets: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List secrets (names and versions only) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Secret"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    value: string;
                    /** @default  */
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created: Create a secret (version 1) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a secret’s metadata and version history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretDetail"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    value: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description OK: Rotate a secret: store a new value as the next version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a secret and every version of it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    /** @default false */
                    return_token?: boolean;
                };
            };
        };
        responses: {
            /** @description Created: Sign in with email and password */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Sign out (ends the current session) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageConnections: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List the connections whose drives or buckets can be browsed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            id: string;
                            name: string;
                            connector: string;
                            connector_name: string;
                            state: string;
                            adapter: string;
                            roots: string;
                            search: boolean;
                            changes: string;
                            hashes: ("quickxor" | "dropbox" | "sha256" | "sha1" | "md5" | "crc32c")[];
                            upload: boolean;
                        }[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStorageItem: {
        parameters: {
            query: {
                /** @description A root’s id, from …/roots */
                root: string;
                item: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read one file or folder as the vendor lists it now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageItem"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_not_supported` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `storage_throttled` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_vendor_error` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageItems: {
        parameters: {
            query: {
                /** @description A root’s id, from …/roots */
                root: string;
                /** @description A folder’s id from an earlier listing */
                folder?: string;
                q?: string;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List a folder’s files and folders, or search by name (one vendor page at a time) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_not_supported` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `storage_throttled` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_vendor_error` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageRoots: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List what a connection can browse: drives and sites, shared drives, buckets or containers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageRoot"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_not_supported` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `storage_throttled` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_vendor_error` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageExports: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                connection_id?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List exports from and to cloud storage, newest first (the export history) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageTransfer"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createStorageExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connection_id: string;
                    /** @description A root’s id, from …/roots */
                    root: string;
                    /**
                     * @description The vendor folder written into: a path below the root (`/reports/2026`), made where missing
                     * @default
                     */
                    folder?: string;
                    file_ids: string[];
                };
            };
        };
        responses: {
            /** @description Created: Write files of the files store to a folder of a connection’s drive or bucket */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_not_supported` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStorageExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read an export: its state and per-state file counts and bytes (its progress) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelStorageExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Cancel an export: queued files at once, running ones at their next checkpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageExportFiles: {
        parameters: {
            query?: {
                state?: "queued" | "running" | "stored" | "skipped" | "failed" | "cancelled";
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List an export’s files with their state, bytes, verification and error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageTransferItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryStorageExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Run an ended export’s failed and cancelled files again (the others stay as they are) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageImports: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                connection_id?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List imports from and to cloud storage, newest first (the import history) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageTransfer"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createStorageImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    connection_id: string;
                    /** @description A root’s id, from …/roots */
                    root: string;
                    /** @description Ids of the files and folders picked (from a listing) */
                    items: string[];
                    /**
                     * @description The files store folder to import into
                     * @default /imports
                     */
                    folder?: string;
                };
            };
        };
        responses: {
            /** @description Created: Import files and folders (recursively) from a connection’s drive or bucket into the files store */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_not_supported` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `rate_limited`, `storage_throttled` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `storage_vendor_error` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStorageImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Read an import: its state and per-state file counts and bytes (its progress) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelStorageImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Cancel an import: queued files at once, running ones at their next checkpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStorageImportFiles: {
        parameters: {
            query?: {
                state?: "queued" | "running" | "stored" | "skipped" | "failed" | "cancelled";
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List an import’s files with their state, bytes, verification and error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StorageTransferItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryStorageImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Run an ended import’s failed and cancelled files again (the others stay as they are) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageTransfer"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncs: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Syncs reading from or writing to this connection */
                connection_id?: string;
                search?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List sync configurations with their last run and next scheduled run, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncConfig"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    source: components["schemas"]["SyncSourceInput"];
                    target?: components["schemas"]["SyncTargetInput"];
                    /**
                     * @default incremental
                     * @enum {string}
                     */
                    type?: "full" | "incremental" | "delta";
                    /**
                     * @default inbound
                     * @enum {string}
                     */
                    direction?: "inbound" | "outbound" | "bidirectional";
                    /**
                     * @description Bidirectional syncs only: which side wins a conflict
                     * @default source_wins
                     * @enum {string}
                     */
                    conflict_policy?: "source_wins" | "target_wins" | "latest_timestamp" | "manual";
                    /**
                     * @description Bidirectional syncs: the field pairs, match key, timestamps and deletes
                     * @default null
                     */
                    two_way?: components["schemas"]["SyncTwoWayInput"] | null;
                    mappings?: components["schemas"]["SyncMappingInput"];
                    /**
                     * @description null: runs only by hand, by webhook rule or by event
                     * @default null
                     */
                    schedule?: components["schemas"]["SyncScheduleInput"] | null;
                    /**
                     * @description Event types (platform or the tenant’s) whose publication starts a run
                     * @default []
                     */
                    trigger_event_types?: string[];
                    /** @default true */
                    enabled?: boolean;
                    deletion?: components["schemas"]["SyncDeletionPolicyInput"];
                    /**
                     * @description Incremental reads re-read this far before the saved cursor (late commits), deduplicated by key
                     * @default 0
                     */
                    lookback_seconds?: number;
                    /** @default 5000 */
                    batch_size?: number;
                };
            };
        };
        responses: {
            /** @description Created: Create a sync configuration (checked against the source’s streams and fields) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncConfig"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `schedule_invalid`, `mapping_invalid`, `stream_unknown`, `source_unavailable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncConflicts: {
        parameters: {
            query?: {
                sync_id?: string;
                state?: "open" | "resolved" | "applied";
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The two-way conflicts inbox, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncConflict"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSyncConflict: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: One conflict: each field’s value on both sides and at the last sync */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncConflict"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resolveSyncConflict: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    take: "a" | "b" | "values";
                    /** @description take: values — the value of each conflicting field */
                    values?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Resolve a conflict: take side A’s values, side B’s, or the values given; the next run writes them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncConflict"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    discoverSyncStreams: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description connection: read the connection itself (its API or database); record_store: what syncs stored for it
                     * @default connection
                     * @enum {string}
                     */
                    kind?: "connection" | "record_store";
                    connection_id: string;
                };
            };
        };
        responses: {
            /** @description OK: The streams (API listings, tables, models) a sync could read from a connection, with their fields */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        streams: components["schemas"]["SyncStream"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `source_unavailable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncExecutions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                sync_id?: string;
                /** @description One status, or several separated by commas */
                status?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List sync runs, newest first, with counts and duration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncExecution"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSyncExecution: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a sync run with its per-stream progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncExecution"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelSyncExecution: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: Cancel a sync run: a waiting run at once, a running one after the batch in hand */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncExecution"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadSyncErrorsFile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The records a run rejected, as CSV with the reason in a last column, to fix and import again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncExecutionLogs: {
        parameters: {
            query?: {
                /** @description Entries after this id (the `next_after` of the last page) */
                after?: string;
                limit?: number;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: A sync run’s log, oldest first; follow it by asking again with `after` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncLogEntry"][];
                        next_after: string | null;
                        finished: boolean;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSyncRejectedRecords: {
        parameters: {
            query?: {
                /** @description Entries after this id (the `next_after` of the last page) */
                after?: string;
                limit?: number;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The records a sync run rejected (a mapping or the target refused them), with the reasons */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncRejectedRecord"][];
                        next_after: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    undoSyncExecution: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Undo an import: remove the records it created and restore the ones it changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncExecution"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `import_not_undoable`, `connection_paused`, `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `source_unavailable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewSyncMapping: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description connection: read the connection itself (its API or database); record_store: what syncs stored for it
                     * @default connection
                     * @enum {string}
                     */
                    kind?: "connection" | "record_store";
                    connection_id: string;
                    stream: string;
                    mappings: components["schemas"]["SyncMappingInput"];
                    /** @default 5 */
                    limit?: number;
                } | {
                    /**
                     * @description A file of the files store, read as an import would read it
                     * @enum {string}
                     */
                    kind: "file";
                    file_id: string;
                    format: components["schemas"]["FileFormatInput"];
                    /**
                     * @description Field types, required fields, enums and patterns; null: values as the file has them
                     * @default null
                     */
                    schema?: {
                        name: string;
                        /** @enum {string} */
                        type: "string" | "integer" | "number" | "boolean" | "date" | "datetime" | "json";
                        /**
                         * @description false: a record without a value is rejected (a required field)
                         * @default true
                         */
                        nullable?: boolean;
                        /** @description The values allowed (after conversion) */
                        enum?: (string | number | boolean)[];
                        /** @description A regular expression the whole text value must match */
                        pattern?: string;
                    }[] | null;
                    stream: string;
                    /** @description The import’s primary key; none: records are keyed by their number in the file (`_record`) */
                    primary_key?: string[];
                    mappings: components["schemas"]["SyncMappingInput"];
                    /** @default 5 */
                    limit?: number;
                };
            };
        };
        responses: {
            /** @description OK: Run field mappings on sample records read from the source, before the sync is activated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        problems: {
                            path: string;
                            message: string;
                        }[];
                        samples: {
                            input: {
                                [key: string]: unknown;
                            };
                            output: {
                                [key: string]: unknown;
                            } | null;
                            error: string | null;
                        }[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `mapping_invalid`, `stream_unknown`, `source_unavailable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewSyncSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Five fields (minute hour day month weekday), or six with seconds first; @daily, @hourly … too */
                    cron: string;
                    /**
                     * @description An IANA time zone, e.g. Europe/Berlin
                     * @default UTC
                     */
                    timezone?: string;
                    /**
                     * @description Instants missed while no node ran: skip them, or run once for all of them
                     * @default skip
                     * @enum {string}
                     */
                    misfire?: "skip" | "run_once";
                    /**
                     * @description A due instant while a run is going: skip it, queue one run behind it, or cancel the running one
                     * @default skip
                     * @enum {string}
                     */
                    overlap?: "skip" | "queue_one" | "cancel_running";
                    /** @default 5 */
                    count?: number;
                };
            };
        };
        responses: {
            /** @description OK: The next instants a cron schedule fires in its time zone (DST-correct) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next_runs: string[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `schedule_invalid` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSyncStats: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The Sync Management dashboard figures: configurations, running, success rate, records moved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStats"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a sync configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncConfig"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a sync configuration, its runs and checkpoints (records it stored stay) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    source?: components["schemas"]["SyncSourceInput"];
                    target?: components["schemas"]["SyncTargetInput"];
                    /** @enum {string} */
                    type?: "full" | "incremental" | "delta";
                    /** @enum {string} */
                    direction?: "inbound" | "outbound" | "bidirectional";
                    /**
                     * @description Bidirectional syncs only: which side wins a conflict
                     * @enum {string}
                     */
                    conflict_policy?: "source_wins" | "target_wins" | "latest_timestamp" | "manual";
                    /** @description Bidirectional syncs: the field pairs, match key, timestamps and deletes */
                    two_way?: components["schemas"]["SyncTwoWayInput"] | null;
                    mappings?: components["schemas"]["SyncMappingInput"];
                    /** @description null: runs only by hand, by webhook rule or by event */
                    schedule?: components["schemas"]["SyncScheduleInput"] | null;
                    /** @description Event types (platform or the tenant’s) whose publication starts a run */
                    trigger_event_types?: string[];
                    enabled?: boolean;
                    deletion?: components["schemas"]["SyncDeletionPolicyInput"];
                    /** @description Incremental reads re-read this far before the saved cursor (late commits), deduplicated by key */
                    lookback_seconds?: number;
                    batch_size?: number;
                };
            };
        };
        responses: {
            /** @description OK: Change a sync configuration, or enable / disable it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncConfig"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `connection_paused`, `connection_unusable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `schedule_invalid`, `mapping_invalid`, `stream_unknown`, `source_unavailable` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resetSyncState: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description All when empty
                     * @default []
                     */
                    streams?: string[];
                };
            };
        };
        responses: {
            /** @description OK: Reset the checkpoints of some streams, or all: their next run reads everything (records stay) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reset: string[];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `sync_running` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `stream_unknown` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    runSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Only these streams; all by default
                     * @default []
                     */
                    streams?: string[];
                    /**
                     * @description Read everything again (the target is swapped on success, never emptied while it runs); for a file import: replace, deleting records of the model the file no longer has (under the deletion policy)
                     * @default false
                     */
                    full_refresh?: boolean;
                    /**
                     * @description Check and count every record as the run would, writing nothing (an import’s check before it runs)
                     * @default false
                     */
                    dry_run?: boolean;
                };
            };
        };
        responses: {
            /** @description Accepted: Run a sync now (queued behind a run in progress; a second ask while one waits answers the waiting one) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "started" | "queued" | "existing";
                        execution: components["schemas"]["SyncExecution"];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `sync_disabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `stream_unknown` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSyncState: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The per-stream checkpoints of a sync (where the next incremental read starts) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SyncStreamState"][];
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setSyncStreamState: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                stream: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    state: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK: Set (edit or rewind) a stream’s checkpoint; audited with the old and new values */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStreamState"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `sync_running` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `stream_unknown` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMasterKeyStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Which master keys wrap the data keys (fingerprints only; superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MasterKeyStatus"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateMasterKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Rotate the master key online (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MasterKeyRotation"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List tenants (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Tenant"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    slug: string;
                };
            };
        };
        responses: {
            /** @description Created: Create a tenant (superuser) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a tenant by id or slug (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    disabled?: boolean;
                    features?: ("financial_data" | "provider_routing")[];
                    files_quota_bytes?: number | null;
                };
            };
        };
        responses: {
            /** @description OK: Rename, disable or re-enable a tenant, or set its features or files quota (superuser) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List users, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["User"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    /** @default  */
                    name?: string;
                    role: string;
                    password: string;
                    /**
                     * @description Superusers only
                     * @default false
                     */
                    superuser?: boolean;
                };
            };
        };
        responses: {
            /** @description Created: Create a console user */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Remove a user (their sessions end at once) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    role?: string;
                    password?: string;
                    disabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Change a user’s name, role or password, or disable them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed`, `privilege_escalation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                endpoint_id?: string;
                /** @description One event type, or several separated by commas */
                event_type?: string;
                /** @description One status, or several separated by commas */
                status?: string;
                /** @description Created at or after */
                since?: string;
                /** @description Created before */
                until?: string;
                /** @description An event id or its prefix, or a delivery id */
                q?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: The delivery log, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookDelivery"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookDelivery: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: A delivery with its attempts (without response bodies) and the event it sends */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDetail"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookAttempt: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
                attemptId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: One attempt of a delivery, with the receiver’s response headers and body (up to 64 KiB) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAttemptDetail"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: Send a delivery again now (a new attempt is appended; earlier attempts are kept) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `delivery_in_flight`, `endpoint_disabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: List webhook endpoints, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookEndpoint"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                    /** @default  */
                    description?: string;
                    /**
                     * @description Event types to receive; empty (the default) means all
                     * @default []
                     */
                    event_types?: string[];
                    /**
                     * @description Custom headers sent with every delivery (not hop-by-hop, not webhook-*)
                     * @default {}
                     */
                    headers?: {
                        [key: string]: string;
                    };
                    /**
                     * @description null: no limit
                     * @default null
                     */
                    rate_limit_per_second?: number | null;
                    /**
                     * @description FIFO delivery: none, per endpoint, or per ordering key of the event
                     * @default none
                     * @enum {string}
                     */
                    ordering?: "none" | "endpoint" | "key";
                    /** @default true */
                    enabled?: boolean;
                    /**
                     * @description Deliver only events for which this SQL/JSON path condition over {"type", "data"} holds, e.g. `$.data.amount > 100`; others are skipped. null: every event
                     * @default null
                     */
                    filter?: string | null;
                    /**
                     * @description hmac (whsec_) or ed25519 (whsk_/whpk_)
                     * @default hmac
                     * @enum {string}
                     */
                    signing?: "hmac" | "ed25519";
                };
            };
        };
        responses: {
            /** @description Created: Create a webhook endpoint; its signing secret is in this response only */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointCreated"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Get a webhook endpoint (its secrets by id, never their values) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: Delete a webhook endpoint and its secrets */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    description?: string;
                    /** @description Event types to receive; empty (the default) means all */
                    event_types?: string[];
                    /** @description Custom headers sent with every delivery (not hop-by-hop, not webhook-*) */
                    headers?: {
                        [key: string]: string;
                    };
                    /** @description null: no limit */
                    rate_limit_per_second?: number | null;
                    /**
                     * @description FIFO delivery: none, per endpoint, or per ordering key of the event
                     * @enum {string}
                     */
                    ordering?: "none" | "endpoint" | "key";
                    enabled?: boolean;
                    /** @description Deliver only events for which this SQL/JSON path condition over {"type", "data"} holds, e.g. `$.data.amount > 100`; others are skipped. null: every event */
                    filter?: string | null;
                    /** @description Why it was disabled (with enabled: false) */
                    disabled_reason?: string;
                };
            };
        };
        responses: {
            /** @description OK: Change a webhook endpoint, or enable / disable it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `destination_blocked` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookEndpointSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 86400 */
                    expire_old_in_seconds?: number;
                    /**
                     * @description Default: the kind of the newest secret
                     * @enum {string}
                     */
                    signing?: "hmac" | "ed25519";
                };
            };
        };
        responses: {
            /** @description OK: Add a new signing secret (shown once) and expire the current ones after a grace period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointRotated"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replayWebhookDeliveries: {
        parameters: {
            query?: never;
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Events created at or after
                     */
                    since: string;
                    /**
                     * Format: date-time
                     * @description Events created before (default: now)
                     */
                    until?: string;
                    /** @description Only this endpoint */
                    endpoint_id?: string;
                    /** @description Only these event types */
                    event_types?: string[];
                    /**
                     * @description Existing deliveries in these statuses are sent again (default: failed)
                     * @default [
                     *       "failed"
                     *     ]
                     */
                    statuses?: ("pending" | "delivered" | "failed" | "skipped")[];
                    /**
                     * @description Also create deliveries for events in the range that have none for a subscribed endpoint
                     * @default false
                     */
                    include_missing?: boolean;
                    /**
                     * @description Count what a replay would do, change nothing
                     * @default false
                     */
                    dry_run?: boolean;
                };
            };
        };
        responses: {
            /** @description OK: Send the deliveries of a time range again (failed ones by default), optionally creating missing ones */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookReplayDryRun"];
                };
            };
            /** @description Accepted: Send the deliveries of a time range again (failed ones by default), optionally creating missing ones */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookReplayResult"];
                };
            };
            /** @description Problem details; `code` is one of `validation_failed`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled`, `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `body_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `time_range_invalid`, `replay_too_large` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookStats: {
        parameters: {
            query?: {
                /** @description Default: 24 hours before until */
                since?: string;
                /** @description Default: now */
                until?: string;
                endpoint_id?: string;
                /** @description Series bucket length, e.g. 5m or 1h */
                bucket?: string;
            };
            header?: {
                /** @description Superusers only: act in this tenant (id or slug) instead of their own. */
                "Switchyard-Tenant"?: components["parameters"]["SwitchyardTenant"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK: Delivery statistics: totals, success rates, latencies, retries, what is failing now, per endpoint and over time */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookStats"];
                };
            };
            /** @description Problem details; `code` is `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `unauthenticated`, `invalid_credentials`, `token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is one of `forbidden`, `tenant_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `time_range_invalid` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details; `code` is `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
