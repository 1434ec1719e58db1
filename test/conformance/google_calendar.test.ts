import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  google429,
  googleChannelHeaders,
  googleRevocationTests,
  googleScope403,
  googleTestAnswers,
  googleTokens,
} from './google.js';
import { startConformance, type Conformance } from './harness.js';

// Google Calendar's shipped manifest against a fake that answers as Google documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('google_calendar');
});
afterAll(() => c.close());

const SCOPE = 'https://www.googleapis.com/auth/calendar.readonly';

// https://developers.google.com/workspace/calendar/api/v3/reference/calendars/get: a Calendars resource; the primary
// calendar's id is the user's email address.
const primary = {
  status: 200,
  json: {
    kind: 'calendar#calendar',
    etag: '"p33k9lxo1pe0g0"',
    id: 'ada@example.com',
    summary: 'Ada Lovelace',
    timeZone: 'Europe/London',
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(googleTokens(SCOPE));
  const { res } = await c.retest(id, primary);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('google_calendar conformance', () => {
  it('test call: GET /calendars/primary with the access token; connected as the primary calendar', async () => {
    const t = googleTokens(SCOPE);
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, primary);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'ada@example.com',
      vendor_account_name: 'Ada Lovelace',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each(googleTestAnswers(SCOPE, 'calendar-json.googleapis.com'))(
    'test call: answer %# maps to its outcome',
    async (reply, outcome, code) => {
      const { id } = await c.oauthConnection(googleTokens(SCOPE));
      const { res } = await c.retest(id, reply);
      expect(res.data.state).not.toBe('active');
      expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
      if (code) expect(res.data.last_test_outcome).toMatchObject({ vendor_code: code });
    },
  );

  it('test call: an insufficient-scope answer names the scope the call needs', async () => {
    const { id } = await c.oauthConnection(googleTokens(SCOPE));
    const { res } = await c.retest(id, googleScope403(SCOPE, 'calendar-json.googleapis.com'));
    expect(res.data.last_test_outcome).toMatchObject({ outcome: 'scope_insufficient', missing_scopes: [SCOPE] });
  });

  it('rate limit: a 429 (no Retry-After documented) is retried through the proxy with backoff', async () => {
    // https://developers.google.com/workspace/calendar/api/guides/errors#429_too_many_requests: 429 rateLimitExceeded,
    // back off exponentially (no rate-limit headers are documented).
    const id = await connected();
    const { res, attempts } = await c.rateLimited(id, '/users/me/settings', {
      limited: google429,
      ok: { json: { kind: 'calendar#settings', items: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: calendars and settings, one page each, under $.items, maxResults 250 and pageToken', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/calendar/api/v3/reference/calendarList/list (maxResults ≤ 250)
    const calendars = await c.streamPage(id, 'calendars', {
      json: {
        kind: 'calendar#calendarList',
        etag: '"p32g9ab"',
        nextPageToken: 'EjYKKzEyMzQ1',
        items: [
          { id: 'ada@example.com', summary: 'Ada', primary: true, accessRole: 'owner' },
          { id: 'en.uk#holiday@group.v.calendar.google.com', summary: 'Holidays', accessRole: 'reader' },
        ],
      },
    });
    expect(calendars.query.get('maxResults')).toBe('250');
    expect(calendars.records.map((r) => r.id)).toEqual([
      'ada@example.com',
      'en.uk#holiday@group.v.calendar.google.com',
    ]);
    expect(calendars.nextCursor).toBe('EjYKKzEyMzQ1');
    const next = await c.streamPage(id, 'calendars', { json: { items: [] } }, { cursor: 'EjYKKzEyMzQ1' });
    expect(next.query.get('pageToken')).toBe('EjYKKzEyMzQ1');

    // https://developers.google.com/workspace/calendar/api/v3/reference/settings/list
    const settings = await c.streamPage(id, 'settings', {
      json: {
        kind: 'calendar#settings',
        items: [
          { id: 'timezone', value: 'Europe/London' },
          { id: 'weekStart', value: '1' },
        ],
        nextSyncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=',
      },
    });
    expect(settings.records.map((r) => r.id)).toEqual(['timezone', 'weekStart']);
    expect(settings.nextCursor).toBeUndefined();
  });

  it('streams: events per calendar — cancelled ones included, 2500 a page, keyed by calendar and id', async () => {
    const id = await connected();
    const calendarId = 'en.uk#holiday@group.v.calendar.google.com';
    // https://developers.google.com/workspace/calendar/api/v3/reference/events/list (maxResults ≤ 2500,
    // showDeleted) and https://developers.google.com/workspace/calendar/api/guides/sync: nextPageToken on every page
    // but the last, nextSyncToken on the last.
    const middle = await c.streamPage(
      id,
      'events',
      {
        json: {
          kind: 'calendar#events',
          summary: 'Holidays',
          updated: '2026-12-01T09:00:00.000Z',
          timeZone: 'Europe/London',
          nextPageToken: 'CigKGmV2ZW50',
          items: [
            {
              id: '7q3c1v0d2s8e',
              status: 'confirmed',
              updated: '2026-11-30T10:00:00.000Z',
              summary: 'Standup',
              start: { dateTime: '2026-12-07T09:00:00Z' },
              end: { dateTime: '2026-12-07T09:15:00Z' },
              iCalUID: '7q3c1v0d2s8e@google.com',
            },
          ],
        },
      },
      { parent: { id: calendarId } },
    );
    expect(middle.sent.url.split('?')[0]).toBe(
      `${new URL(c.manifest.base_url as string).pathname}/calendars/${encodeURIComponent(calendarId)}/events`,
    );
    expect(middle.query.get('showDeleted')).toBe('true');
    expect(middle.query.get('maxResults')).toBe('2500');
    expect(middle.nextCursor).toBe('CigKGmV2ZW50');
    expect(middle.stream.primary_key).toEqual(['calendarId', 'id']);
    expect(middle.stream.parent).toMatchObject({ stream: 'calendars', as: 'calendarId' });

    const last = await c.streamPage(
      id,
      'events',
      {
        json: {
          kind: 'calendar#events',
          items: [{ id: 'old123', status: 'cancelled' }],
          nextSyncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=',
        },
      },
      { parent: { id: calendarId }, cursor: 'CigKGmV2ZW50' },
    );
    expect(last.query.get('pageToken')).toBe('CigKGmV2ZW50');
    expect(last.records).toEqual([{ id: 'old123', status: 'cancelled' }]);
    expect(last.nextCursor).toBeUndefined();
  });

  it('streams: a sync token no longer valid answers 410 Gone, passed on (full sync)', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/calendar/api/guides/sync#full_sync_required_by_server
    c.vendor.on(c.routeOf('GET', '/calendars/primary/events'), {
      status: 410,
      json: {
        error: {
          errors: [
            {
              domain: 'global',
              reason: 'fullSyncRequired',
              message: 'Sync token is no longer valid, a full sync is required.',
            },
          ],
          code: 410,
          message: 'Sync token is no longer valid, a full sync is required.',
        },
      },
    });
    const res = await c.proxyGet(id, '/calendars/primary/events', { syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=' });
    expect(res.statusCode).toBe(410);
  });

  it('streams: access rules per calendar', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/calendar/api/v3/reference/acl/list
    const acl = await c.streamPage(
      id,
      'acl',
      {
        json: {
          kind: 'calendar#acl',
          items: [{ id: 'user:ada@example.com', role: 'owner', scope: { type: 'user', value: 'ada@example.com' } }],
          nextSyncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=',
        },
      },
      { parent: { id: 'ada@example.com' } },
    );
    expect(acl.records.map((r) => r.id)).toEqual(['user:ada@example.com']);
    expect(acl.query.get('maxResults')).toBe('250');
    expect(acl.stream.primary_key).toEqual(['calendarId', 'id']);
  });

  googleRevocationTests(() => c, SCOPE);

  it('webhooks: a push-channel notification with the channel token is accepted, another token refused', async () => {
    const id = await connected();
    const secret = 'calendar-channel-token-0123456789abcdef';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'google_channel' } });
    // https://developers.google.com/workspace/calendar/api/guides/push: an empty POST; X-Goog-Channel-Token carries
    // the token given to events.watch; the first message's state is sync, later ones exists / not_exists.
    const uri = 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json';
    const accepted = await c.deliver(path as string, '', googleChannelHeaders(secret, uri, 'exists'), {
      contentType: null,
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, '', googleChannelHeaders('someone-else', uri, 'exists'), {
      contentType: null,
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
