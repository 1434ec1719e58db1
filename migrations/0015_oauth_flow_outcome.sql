-- How an authorization flow ended, for whoever waits on it (`GET /v1/oauth/flows/{id}`: the CLI's connections
-- connect, a page that opened the popup): the connection it made or renewed, or the error the callback page showed.
alter table oauth_flows
  add column outcome text check (outcome in ('connected', 'failed')),
  add column result_connection_id text,
  add column error_code text,
  add column error_message text,
  add column finished_at timestamptz;
