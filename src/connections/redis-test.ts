import { ErrorReply } from '@redis/client';
import { runDriverTest, type DriverTestOptions } from './db-test.js';
import { createRedisClient, pinRedisTarget } from './redis-target.js';
import type { TestInput, TestOutcome, TestRun } from './test-call.js';

/**
 * The Redis test call: connect to the checked address (redis-target.ts), authenticate (AUTH, as the URL or the
 * method's `username` and `password` fields say), select the database and run the manifest's command (PING). A
 * method with `username`/`password` fields sends those instead of the URL's, so a password never has to be written
 * URL-encoded into a form.
 */
export async function testRedis(input: TestInput, options: DriverTestOptions): Promise<TestRun> {
  return runDriverTest(input, options.query, {
    async run(url, credentials) {
      const target = await pinRedisTarget(url, {
        allow: options.allow,
        ...(options.lookup ? { lookup: options.lookup } : {}),
        ...(credentials.username ? { username: credentials.username } : {}),
        ...(credentials.password ? { password: credentials.password } : {}),
      });
      const client = createRedisClient(target, options.timeoutMs);
      // A dropped connection must not crash the process: connect() and the command fail with the reason.
      client.on('error', () => {});
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          client.destroy();
          reject(new Error(`No answer from the Redis server within ${options.timeoutMs} ms.`));
        }, options.timeoutMs);
      });
      try {
        await Promise.race([
          (async () => {
            await client.connect();
            await client.sendCommand(options.query.split(/\s+/).filter(Boolean));
          })(),
          timeout,
        ]);
        return { accountId: target.accountId, name: `db${target.database}` };
      } finally {
        clearTimeout(timer);
        if (client.isOpen) client.destroy();
      }
    },
    classify: classifyRedisError,
  });
}

/**
 * Redis error replies start with a code word (https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors):
 * WRONGPASS (a wrong user or password, or a disabled user), NOAUTH (the server wants a password none was given),
 * NOPERM (the ACL user may not run the command), ERR … (the rest: a database index out of range, AUTH sent to a server
 * without a password). Anything that is not a reply (refused, reset, TLS, timeout) is the network.
 */
function classifyRedisError(error: unknown): TestOutcome {
  const message = (error as Error).message;
  if (!(error instanceof ErrorReply)) return { outcome: 'network_error', message };
  const code = /^[A-Z]+/.exec(message)?.[0] ?? null;
  if (code === 'WRONGPASS' || /^ERR invalid password/.test(message))
    return { outcome: 'credential_revoked', status: 401, message };
  if (code === 'NOAUTH')
    return { outcome: 'credential_revoked', status: 401, message: `The server asks for a password. (${message})` };
  if (code === 'NOPERM') return { outcome: 'scope_insufficient', status: 403, missing_scopes: [], message };
  return { outcome: 'vendor_error', status: null, vendor_code: code, message };
}
