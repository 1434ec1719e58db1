-- A refresh-token request that left this server and whose answer was not recorded: the vendor may have rotated the
-- refresh token (and, with reuse detection, revokes the whole grant when the old one is presented again). Set under
-- the refresh lease just before the request is sent, cleared when an answer is stored; while it is set, only an
-- explicit refresh (POST /v1/connections/{id}/refresh) or a re-authorization sends the refresh token again.
alter table connection_credentials add column refresh_sent_at timestamptz;
