import type { RecordedRequest, VendorHandler, VendorReply } from '../helpers/fake-vendor.js';

/**
 * The test-call endpoints of five vector databases, answering as each vendor documents: the credential is checked
 * where the vendor reads it (its header and scheme), a wrong or missing one gets the vendor's own status and body,
 * and a right one the documented success shape. Sources are in each manifest's `verified.test` and quoted here.
 */

const header = (req: RecordedRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Pinecone, GET /indexes (db_control_2026-04.oas.yaml, list_indexes): the Api-Key header; 401 UNAUTHENTICATED.
 */
export function pineconeListIndexes(key: string): VendorHandler {
  return (req) => {
    if (header(req, 'api-key') !== key)
      return { status: 401, json: { error: { code: 'UNAUTHENTICATED', message: 'Invalid API key.' }, status: 401 } };
    return {
      json: {
        indexes: [
          {
            name: 'movie-embeddings',
            dimension: 1536,
            metric: 'cosine',
            host: 'movie-embeddings-c01b5b5.svc.us-east1-gcp.pinecone.io',
            spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
            status: { ready: true, state: 'Ready' },
            vector_type: 'dense',
          },
        ],
      },
    };
  };
}

/**
 * Qdrant, GET /collections (api-reference get-collections; src/common/auth/mod.rs): the api-key header (or
 * Authorization: Bearer); plain-text refusals from the auth middleware.
 */
export function qdrantCollections(key: string): VendorHandler {
  return (req) => {
    const sent = header(req, 'api-key') ?? header(req, 'authorization')?.replace(/^Bearer /, '');
    if (sent === undefined) return { status: 401, body: 'Must provide an API key or an Authorization bearer token' };
    if (sent !== key) return { status: 401, body: 'Invalid API key or JWT' };
    return { json: { result: { collections: [{ name: 'documents' }] }, status: 'ok', time: 0.000012 } };
  };
}

/**
 * Weaviate, GET /v1/meta (config-refs/meta; usecases/auth/authentication/apikey/client.go): a bearer API key; go-openapi
 * errors {"code": 401, "message": ...}.
 */
export function weaviateMeta(key: string): VendorHandler {
  return (req) => {
    const auth = header(req, 'authorization');
    if (!auth)
      return {
        status: 401,
        json: {
          code: 401,
          message: 'anonymous access not enabled. Please authenticate through one of the enabled schemes: [API-keys]',
        },
      };
    if (auth !== `Bearer ${key}`)
      return { status: 401, json: { code: 401, message: 'invalid api key, please provide a valid api key' } };
    return { json: { hostname: 'http://[::]:8080', modules: {}, version: '1.33.0' } };
  };
}

/**
 * Milvus RESTful v2, POST /v2/vectordb/collections/list (About.md; httpserver checkAuthorization): a bearer token,
 * "user:password" or an API key; errors in the body as {"code", "message"}. `legacyStatus` answers them with HTTP 200
 * as servers before the status mapping did.
 */
export function milvusListCollections(token: string, options: { legacyStatus?: boolean } = {}): VendorHandler {
  return (req) => {
    const auth = header(req, 'authorization');
    if (auth !== `Bearer ${token}`) {
      const body = { code: 1800, message: "user hasn't authenticated" };
      return { status: options.legacyStatus ? 200 : 401, json: body };
    }
    const dbName = (JSON.parse(req.body.toString() || '{}') as { dbName?: string }).dbName;
    if (dbName !== undefined && dbName !== 'default')
      return { json: { code: 800, message: `database not found[database=${dbName}]` } };
    return { json: { code: 0, data: ['quick_setup', 'documents'] } };
  };
}

/**
 * Chroma, GET /api/v2/auth/identity (get-user-identity; rust/frontend auth and errors): the x-chroma-token header;
 * errors {"error": "ChromaError", "message": ...} with the auth error's status.
 */
export function chromaIdentity(key: string, identity = { user_id: 'user-1', tenant: 'acme', databases: ['prod'] }) {
  const handler: VendorHandler = (req): VendorReply => {
    if (header(req, 'x-chroma-token') !== key)
      return { status: 401, json: { error: 'ChromaError', message: 'Permission denied.' } };
    return { json: identity };
  };
  return handler;
}
