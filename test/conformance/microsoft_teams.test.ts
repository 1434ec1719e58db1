import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { startConformance, type Conformance } from './harness.js';
import { expectGraphHandshake, graphNoRevocationTest } from './microsoft.js';

// Microsoft Teams' shipped manifest against a fake that answers as Microsoft Graph documents. Every answer cites its
// page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('microsoft_teams');
});
afterAll(() => c.close());

// Microsoft identity platform tokens (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow).
const tokens = () => ({
  access_token: `eyJ0eXAiOiJKV1Qi.${Math.random().toString(36).slice(2)}`,
  refresh_token: `0.AXEA${Math.random().toString(36).slice(2)}`,
  token_type: 'Bearer',
  expires_at: new Date(Date.now() + 3600_000),
  scope: ['offline_access', 'User.Read'],
  extra: {},
});

// https://learn.microsoft.com/en-us/graph/api/user-get (GET /me?$select=…)
const me = {
  status: 200,
  json: {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,displayName)/$entity',
    id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
    userPrincipalName: 'AdeleV@contoso.com',
    displayName: 'Adele Vance',
  },
};

// https://learn.microsoft.com/en-us/graph/errors: {"error": {code, message, innerError: {date, request-id, …}}}.
const graphError = (status: number, code: string, message: string): VendorReply => ({
  status,
  json: {
    error: {
      code,
      message,
      innerError: { date: '2026-12-05T10:00:00', 'request-id': '1c6d2b3a-0000-4000-8000-000000000002' },
    },
  },
});

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(tokens());
  const { res } = await c.retest(id, me);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('microsoft_teams conformance', () => {
  it('sign-in defaults to the organizations tenant: Teams APIs refuse personal Microsoft accounts', () => {
    // https://learn.microsoft.com/en-us/graph/api/channel-list-messages: "Delegated (personal Microsoft account): Not
    // supported".
    expect(c.shipped.config.find((f) => f.key === 'tenant')?.default).toBe('organizations');
  });

  it('test call: GET /me?$select=id,userPrincipalName,displayName; connected as the user', async () => {
    const t = tokens();
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, me);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(new URL(sent.url, c.vendor.url).searchParams.get('$select')).toBe('id,userPrincipalName,displayName');
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      vendor_account_name: 'AdeleV@contoso.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // https://learn.microsoft.com/en-us/graph/errors (401 InvalidAuthenticationToken)
    [
      graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
      'credential_expired',
    ],
    [
      graphError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).'),
      'credential_revoked',
    ],
    // https://learn.microsoft.com/en-us/graph/errors (403 Authorization_RequestDenied)
    [
      graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
      'scope_insufficient',
    ],
    [graphError(500, 'generalException', 'An unspecified error has occurred.'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    // A mid-life token without a refresh token: the answer is read as the manifest maps it (a token issued moments
    // ago that Graph calls expired would be read as missing consent).
    const { id } = await c.oauthConnection({ ...tokens(), refresh_token: undefined });
    await c.ageToken(id);
    const { res } = await c.retest(id, reply);
    expect(res.data.state).not.toBe('active');
    expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
    if (outcome === 'vendor_error')
      expect(res.data.last_test_outcome).toMatchObject({ vendor_code: 'generalException' });
  });

  it('rate limit: a 429 TooManyRequests with Retry-After is retried through the proxy after the wait', async () => {
    const id = await connected();
    // https://learn.microsoft.com/en-us/graph/throttling: 429 with Retry-After in seconds (1 s here, not the
    // documented example's 10, so the test does not wait).
    const limited = { ...graphError(429, 'TooManyRequests', 'Too many requests'), headers: { 'retry-after': '1' } };
    const { res, attempts } = await c.rateLimited(id, '/me/chats', { limited, ok: { json: { value: [] } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: one page of every stream; children read per parent and keyed with it', async () => {
    const id = await connected();
    const teamId = 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b';
    const channelId = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2';
    const chatId = '19:8b081ef6-4792-4def-b2c9-c363a1bf41d5_877192bd-9183-47d3-a74c-8aa0426716cf@unq.gbl.spaces';
    // https://learn.microsoft.com/en-us/graph/api/user-list-joinedteams (not paged)
    const teams = await c.streamPage(id, 'teams', {
      json: { value: [{ id: teamId, displayName: 'Contoso Team', description: 'Sales' }] },
    });
    expect(teams.records.map((r) => r.id)).toEqual([teamId]);
    expect([...teams.query.keys()]).toEqual([]);
    // https://learn.microsoft.com/en-us/graph/api/channel-list
    const channels = await c.streamPage(
      id,
      'channels',
      { json: { value: [{ id: channelId, displayName: 'General', membershipType: 'standard' }] } },
      { parent: { id: teamId } },
    );
    expect(channels.sent.url.split('?')[0]).toBe(`/v1.0/teams/${teamId}/channels`);
    expect(channels.stream.primary_key).toEqual(['teamId', 'id']);
    // https://learn.microsoft.com/en-us/graph/api/chatmessage-delta: $top ≤ 50, @odata.nextLink then
    // @odata.deltaLink; deleted messages carry deletedDateTime.
    const nextLink = `${c.vendor.url}/v1.0/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages/delta?$skiptoken=c3RhcnRUaW1l`;
    const messages = await c.streamPage(
      id,
      'channel_messages',
      {
        json: {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(chatMessage)',
          '@odata.nextLink': nextLink,
          value: [
            {
              id: '1616990032035',
              replyToId: null,
              messageType: 'message',
              createdDateTime: '2026-12-02T03:53:52.035Z',
              lastModifiedDateTime: '2026-12-02T03:53:52.035Z',
              deletedDateTime: null,
              from: { user: { id: '8ea0e38b-efb3-4757-924a-5f94061cf8c2', displayName: 'Robin Kline' } },
              body: { contentType: 'text', content: 'Test' },
            },
          ],
        },
      },
      { parent: { id: channelId, teamId } },
    );
    expect(messages.sent.url.split('?')[0]).toBe(
      `/v1.0/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages/delta`,
    );
    expect(messages.query.get('$top')).toBe('50');
    expect(messages.nextCursor).toBe(nextLink);
    expect(messages.stream.primary_key).toEqual(['channelId', 'id']);
    // https://learn.microsoft.com/en-us/graph/api/chat-list
    const chats = await c.streamPage(id, 'chats', {
      json: { value: [{ id: chatId, chatType: 'oneOnOne', lastUpdatedDateTime: '2026-12-01T10:00:00Z' }] },
    });
    expect(chats.records.map((r) => r.id)).toEqual([chatId]);
    // https://learn.microsoft.com/en-us/graph/api/chat-list-messages ($top ≤ 50)
    const chatMessages = await c.streamPage(
      id,
      'chat_messages',
      {
        json: {
          value: [{ id: '1616964509832', messageType: 'message', lastModifiedDateTime: '2026-12-01T10:00:00Z' }],
        },
      },
      { parent: { id: chatId } },
    );
    expect(chatMessages.sent.url.split('?')[0]).toBe(`/v1.0/chats/${encodeURIComponent(chatId)}/messages`);
    expect(chatMessages.stream.primary_key).toEqual(['chatId', 'id']);
    // https://learn.microsoft.com/en-us/graph/api/team-list-members
    const members = await c.streamPage(
      id,
      'members',
      {
        json: {
          value: [
            {
              '@odata.type': '#microsoft.graph.aadUserConversationMember',
              id: 'ZmMxOGUxNjEtN2Y3Zi00YjJiLWE5ZDgtMzhlZGE2YmYzNjAx',
              roles: ['owner'],
              displayName: 'Adele Vance',
              userId: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
            },
          ],
        },
      },
      { parent: { id: teamId } },
    );
    expect(members.stream.primary_key).toEqual(['teamId', 'id']);
  });

  graphNoRevocationTest(() => c, tokens);

  it('webhooks: the validationToken handshake is echoed; every notification must carry the clientState', async () => {
    const id = await connected();
    const secret = 'teams-client-state-0123456789abcdef';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'graph_client_state' } });
    await expectGraphHandshake(
      c,
      path as string,
      'Validation: Testing client application reachability for subscription Request-Id: 2d7e3c4b',
    );
    // https://learn.microsoft.com/en-us/graph/api/resources/changenotification: a batch in value[]; each item carries
    // the subscription's clientState, so one forged item refuses the batch.
    const note = (clientState: string) => ({
      subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
      subscriptionExpirationDateTime: '2026-12-05T11:00:00Z',
      changeType: 'created',
      resource: "teams('fbe2')/channels('19:4a95')/messages('1616990032035')",
      resourceData: { '@odata.type': '#Microsoft.Graph.chatMessage', id: '1616990032035' },
      clientState,
      tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
    });
    const accepted = await c.deliver(path as string, JSON.stringify({ value: [note(secret), note(secret)] }), {});
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, JSON.stringify({ value: [note(secret), note('guess')] }), {});
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
