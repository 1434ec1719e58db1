import type { Queryable } from '../../core/db/port.js';

export type SessionRow = {
  id: string;
  user_id: string;
  csrf_hash: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
};

export async function insertSession(
  q: Queryable,
  session: { id: string; token_hash: string; csrf_hash: string; user_id: string; expires_at: Date },
): Promise<void> {
  await q.query('insert into sessions (id, token_hash, csrf_hash, user_id, expires_at) values ($1, $2, $3, $4, $5)', [
    session.id,
    session.token_hash,
    session.csrf_hash,
    session.user_id,
    session.expires_at,
  ]);
}

export async function findSessionByTokenHash(q: Queryable, tokenHash: string): Promise<SessionRow | undefined> {
  const { rows } = await q.query<SessionRow>(
    'select id, user_id, csrf_hash, created_at, expires_at, last_seen_at from sessions where token_hash = $1',
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.query('delete from sessions where id = $1', [id]);
}

export async function deleteSessionsOfUser(q: Queryable, userId: string): Promise<void> {
  await q.query('delete from sessions where user_id = $1', [userId]);
}

export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  const { rowCount } = await q.query('delete from sessions where expires_at < $1', [now]);
  return rowCount;
}
