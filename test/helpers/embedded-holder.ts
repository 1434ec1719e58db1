import { startEmbeddedPostgres } from '../../src/core/db/embedded-postgres.js';

// Starts the embedded server on the directory given and holds it until killed (src/core/db/embedded-postgres.test.ts
// kills this process with SIGKILL, so that it cannot stop the server itself).
const server = await startEmbeddedPostgres({ dir: process.argv[2] as string });
process.stdout.write(`ready ${JSON.stringify(server.connection)}\n`);
setInterval(() => {}, 60_000);
