import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import { defineRoute, type RouteDef } from '../core/http/route.js';
import { idParams, timestamp } from '../core/http/schemas.js';
import { downloadDescription, sendBytes } from './http.js';
import type { LinkSigner } from './links.js';
import type { FileStore } from './store.js';

/**
 * Expiring links to a file's bytes (links.ts): made by someone who may read the file, followed by anyone who has the
 * URL, until it expires — the way an S3 presigned URL is shared.
 */
const DAY = 86_400;

export function linkRoutes(deps: { store: FileStore; links: LinkSigner; clock: Clock }): RouteDef[] {
  const { store, links, clock } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/files/:id/links',
      operationId: 'createFileLink',
      summary: 'Make an expiring link to a file’s bytes, for anyone who has it',
      description:
        'The link names one version (the current one unless `version` is given) and works without credentials ' +
        'until `expires_at` (60 seconds to 7 days; 1 hour by default), then answers 410 `link_expired`. It cannot ' +
        'be revoked one by one: deleting the file ends it.',
      tags: ['Files'],
      // A link hands the bytes to anyone who has it: sharing outside is for those who manage files.
      access: { capability: 'manage_files' },
      audit: { action: 'file.link', targetType: 'file' },
      errors: ['not_found'],
      status: 201,
      schema: {
        params: idParams,
        body: z.strictObject({
          expires_in_seconds: z
            .number()
            .int()
            .min(60)
            .max(7 * DAY)
            .default(3600),
          version: z.number().int().min(1).optional(),
        }),
        response: {
          201: z.object({
            url: z.string().describe('A path (`/files/shared/…`) under the server’s public URL'),
            expires_at: timestamp,
            version: z.number().int(),
          }),
        },
      },
      async handler({ params, body, tenantId, audit, transaction }) {
        const file = await store.get(tenantId, params.id);
        const version = body.version ?? file.version;
        if (body.version !== undefined) await store.getVersion(tenantId, file.id, version);
        const expiresAt = new Date(Math.floor(clock.now().getTime() / 1000 + body.expires_in_seconds) * 1000);
        const url = links.sign({ tenantId, fileId: file.id, version, expiresAt });
        audit.target(file.id, { version, expires_at: expiresAt.toISOString() });
        await transaction(async () => {});
        return { url, expires_at: expiresAt.toISOString(), version };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/files/shared/:token',
      operationId: 'downloadSharedFile',
      summary: 'Download a file through an expiring link',
      description: `${downloadDescription} An expired link answers 410 \`link_expired\`; a link not signed by this server (or whose file is gone) answers 404.`,
      tags: ['Files'],
      access: 'public',
      publicReason: 'Shared links are for people without Switchyard credentials; the signed token is the credential.',
      errors: ['not_found', 'link_expired', 'range_not_satisfiable'],
      responseType: '*/*',
      status: 200,
      schema: {
        params: z.object({ token: z.string().max(1000) }),
        response: { 200: z.string().describe('The bytes'), 206: z.string() },
      },
      async handler(call) {
        const link = links.parse(call.params.token);
        const gone = () => new ApiError('not_found', 'No shared file has this link.');
        // The file names the tenant the signature covers (a deleted file ends its links).
        const file = await store.findById(link.fileId);
        if (!file) throw gone();
        links.verify(link, file.tenant_id);
        const v = await store.getVersion(file.tenant_id, file.id, link.version).catch(() => {
          throw gone();
        });
        call.reply.header('cache-control', 'private, no-store');
        return sendBytes(call, { ...v, name: file.name }, (range) =>
          store.read({ tenant_id: file.tenant_id, sha256: v.sha256 }, range),
        );
      },
    }),
  ];
}
