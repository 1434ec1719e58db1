import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { google429, googleChannelHeaders, googleRevocationTests, googleTestAnswers, googleTokens } from './google.js';
import { startConformance, type Conformance } from './harness.js';

// Google Drive's shipped manifest against a fake that answers as Google documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('google_drive');
});
afterAll(() => c.close());

const SCOPE = 'https://www.googleapis.com/auth/drive.file';

// https://developers.google.com/workspace/drive/api/reference/rest/v3/about/get (fields=user): the About resource's
// user; permissionId is "the user's ID as visible in Permission resources".
const about = {
  status: 200,
  json: {
    user: {
      kind: 'drive#user',
      displayName: 'Ada Lovelace',
      me: true,
      permissionId: '00112233445566778899',
      emailAddress: 'ada@example.com',
      photoLink: 'https://lh3.googleusercontent.com/a/x',
    },
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(googleTokens(SCOPE));
  const { res } = await c.retest(id, about);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('google_drive conformance', () => {
  it('the default scope is drive.file (non-sensitive), not the restricted drive.metadata.readonly', () => {
    // https://developers.google.com/workspace/drive/api/guides/api-specific-auth and
    // https://support.google.com/cloud/answer/13464325 (drive.metadata.readonly is restricted).
    // (The shipped manifest: the copy installed for the fake has every absolute URL, scope names too, on the fake.)
    const auth = c.shipped.auth[0];
    expect(auth?.type === 'oauth2' && auth.scopes.default).toEqual([SCOPE]);
  });

  it('test call: GET /about?fields=user; connected as the user’s permission id and address', async () => {
    const t = googleTokens(SCOPE);
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, about);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(new URL(sent.url, c.vendor.url).searchParams.get('fields')).toBe('user');
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '00112233445566778899',
      vendor_account_name: 'ada@example.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    ...googleTestAnswers(SCOPE, 'drive.googleapis.com'),
    // https://developers.google.com/drive/api/guides/handle-errors#resolve_a_403_error_insufficient_permissions_for_file:
    // a per-file ACL refusal is the vendor's error, not a missing scope.
    [
      {
        status: 403,
        json: {
          error: {
            errors: [
              {
                domain: 'global',
                reason: 'insufficientFilePermissions',
                message: 'The user does not have sufficient permissions for file 1AbC.',
              },
            ],
            code: 403,
            message: 'The user does not have sufficient permissions for file 1AbC.',
          },
        },
      },
      'vendor_error',
      'insufficientFilePermissions',
    ] as const,
  ])('test call: answer %# maps to its outcome', async (reply, outcome, code) => {
    const { id } = await c.oauthConnection(googleTokens(SCOPE));
    const { res } = await c.retest(id, reply);
    expect(res.data.state).not.toBe('active');
    expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
    if (code) expect(res.data.last_test_outcome).toMatchObject({ vendor_code: code });
  });

  it('rate limit: a 429 rateLimitExceeded (no Retry-After documented) is retried through the proxy', async () => {
    // https://developers.google.com/workspace/drive/api/guides/limits: exponential backoff; 429 from backend checks.
    const id = await connected();
    const { res, attempts } = await c.rateLimited(id, '/drives', {
      limited: google429,
      ok: { json: { drives: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: files, changes and shared drives, each under its own key with its fields and page size', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list (pageSize ≤ 1000;
    // supportsAllDrives / includeItemsFromAllDrives for shared-drive items; fields names what comes back)
    const files = await c.streamPage(id, 'files', {
      json: {
        nextPageToken: '~!!~AI9FV7Tabc',
        incompleteSearch: false,
        files: [
          {
            id: '1AbC',
            name: 'Q3.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            parents: ['0AFolder'],
            modifiedTime: '2026-11-30T09:12:00.000Z',
            trashed: false,
          },
        ],
      },
    });
    expect(files.records.map((r) => r.id)).toEqual(['1AbC']);
    expect(files.query.get('pageSize')).toBe('1000');
    expect(files.query.get('supportsAllDrives')).toBe('true');
    expect(files.query.get('includeItemsFromAllDrives')).toBe('true');
    expect(files.query.get('fields')).toContain('modifiedTime');
    expect(files.nextCursor).toBe('~!!~AI9FV7Tabc');
    const next = await c.streamPage(id, 'files', { json: { files: [] } }, { cursor: '~!!~AI9FV7Tabc' });
    expect(next.query.get('pageToken')).toBe('~!!~AI9FV7Tabc');

    // https://developers.google.com/workspace/drive/api/reference/rest/v3/changes/list: pageToken required,
    // nextPageToken on a middle page, newStartPageToken on the last; removed: true for a deleted file.
    const changes = await c.streamPage(
      id,
      'changes',
      {
        json: {
          nextPageToken: '4521',
          changes: [
            {
              changeType: 'file',
              removed: false,
              fileId: '1AbC',
              time: '2026-12-01T08:00:00.000Z',
              file: { id: '1AbC', name: 'Q3.xlsx', trashed: false },
            },
            { changeType: 'file', removed: true, fileId: '1Del', time: '2026-12-01T08:01:00.000Z' },
          ],
        },
      },
      { cursor: '4510' },
    );
    expect(changes.query.get('pageToken')).toBe('4510');
    expect(changes.query.get('fields')).toContain('newStartPageToken');
    expect(changes.records.map((r) => r.fileId)).toEqual(['1AbC', '1Del']);
    expect(changes.nextCursor).toBe('4521');
    const lastChanges = await c.streamPage(
      id,
      'changes',
      { json: { newStartPageToken: '4530', changes: [] } },
      { cursor: '4521' },
    );
    expect(lastChanges.nextCursor).toBeUndefined();

    // https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/list (pageSize ≤ 100)
    const drives = await c.streamPage(id, 'shared_drives', {
      json: { nextPageToken: 'drv2', drives: [{ id: '0ADrive', name: 'Finance' }] },
    });
    expect(drives.query.get('pageSize')).toBe('100');
    expect(drives.records.map((r) => r.id)).toEqual(['0ADrive']);
    expect(drives.nextCursor).toBe('drv2');
  });

  it('streams: permissions, revisions and comments per file, keyed by file and id', async () => {
    const id = await connected();
    const parent = { id: '1AbC' };
    // https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/list (pageSize ≤ 100)
    const permissions = await c.streamPage(
      id,
      'permissions',
      {
        json: {
          permissions: [
            { id: '00112233445566778899', type: 'user', role: 'writer', emailAddress: 'ada@example.com' },
            { id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
          ],
        },
      },
      { parent },
    );
    expect(permissions.sent.url).toContain('/files/1AbC/permissions?');
    expect(permissions.query.get('pageSize')).toBe('100');
    expect(permissions.records.map((r) => r.id)).toEqual(['00112233445566778899', 'anyoneWithLink']);
    expect(permissions.stream.primary_key).toEqual(['fileId', 'id']);

    // https://developers.google.com/workspace/drive/api/reference/rest/v3/revisions/list (pageSize ≤ 1000)
    const revisions = await c.streamPage(
      id,
      'revisions',
      {
        json: {
          revisions: [
            { id: '1', modifiedTime: '2026-11-01T10:00:00.000Z', mimeType: 'application/pdf', keepForever: false },
          ],
        },
      },
      { parent },
    );
    expect(revisions.query.get('pageSize')).toBe('1000');
    expect(revisions.records.map((r) => r.id)).toEqual(['1']);
    expect(revisions.stream.primary_key).toEqual(['fileId', 'id']);

    // https://developers.google.com/workspace/drive/api/reference/rest/v3/comments/list: "The fields parameter
    // must be set"; includeDeleted for deleted comments; pageSize ≤ 100.
    const comments = await c.streamPage(
      id,
      'comments',
      {
        json: {
          nextPageToken: 'cmt2',
          comments: [
            {
              id: 'AAAA1',
              content: 'Check row 4',
              createdTime: '2026-11-02T09:00:00.000Z',
              modifiedTime: '2026-11-02T10:00:00.000Z',
              resolved: false,
              deleted: false,
              author: { displayName: 'Ada' },
            },
          ],
        },
      },
      { parent },
    );
    expect(comments.query.get('fields')).toMatch(/^nextPageToken,comments\(/);
    expect(comments.query.get('includeDeleted')).toBe('true');
    expect(comments.query.get('pageSize')).toBe('100');
    expect(comments.records.map((r) => r.id)).toEqual(['AAAA1']);
    expect(comments.nextCursor).toBe('cmt2');
    expect(comments.stream.primary_key).toEqual(['fileId', 'id']);
  });

  googleRevocationTests(() => c, SCOPE);

  it('webhooks: a push-channel notification with the channel token is accepted, another token refused', async () => {
    const id = await connected();
    const secret = 'drive-channel-token-0123456789abcdef';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'google_channel' } });
    // https://developers.google.com/drive/api/guides/push: an empty POST; X-Goog-Channel-Token carries the token given
    // to changes.watch, X-Goog-Resource-State the state (sync first, then change for changes.watch).
    const uri = 'https://www.googleapis.com/drive/v3/changes?pageToken=4521';
    const accepted = await c.deliver(path as string, '', googleChannelHeaders(secret, uri, 'change'), {
      contentType: null,
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, '', googleChannelHeaders('someone-else', uri, 'change'), {
      contentType: null,
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
