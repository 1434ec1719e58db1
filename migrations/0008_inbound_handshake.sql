-- Inbound sources answer a vendor's URL handshake when told to: challenge_query (GET ?challenge=… echoed, Dropbox),
-- validation_token (?validationToken=… echoed, Microsoft Graph), get_ok (a GET answered 200, Mailchimp). Slack's
-- url_verification needs no column: a source with the slack scheme always answers it once the signature verifies.
alter table inbound_sources add column handshake text
  check (handshake is null or handshake in ('challenge_query', 'validation_token', 'get_ok'));
