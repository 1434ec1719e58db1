import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * A PostgreSQL server with the real pgvector extension, for tests: Debian 12 packages no pgvector for its
 * PostgreSQL 15, but PGlite (PostgreSQL 17 in WebAssembly) ships it as `@electric-sql/pglite-pgvector`, and
 * `@electric-sql/pglite-socket` serves PGlite over the PostgreSQL wire protocol on a loopback port. A target then
 * connects with an ordinary connection string, through the SSRF guard and node-postgres, as it would to any server.
 *
 * PGlite is one session: every connection shares it (temporary tables, the open transaction), and the server runs
 * their queries one at a time. Tests use one connection at a time. It trusts every login (no password is checked).
 */
export type PgvectorServer = { url: string; stop(): Promise<void> };

export async function startPgvectorServer(): Promise<PgvectorServer> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres:unchecked@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
