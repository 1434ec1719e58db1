import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import mysql from 'mysql2/promise';

/** The MariaDB server the run shares (test/global-setup.ts): `mysql://switchyard:…@127.0.0.1:port/`. */
export const testMariadbUrl = (): URL => new URL(inject('mariadbUrl'));

export type TestMariadbDatabase = {
  /** A database of its own, created for the test file. */
  database: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** A connection as the tests' user, in that database (multiple statements allowed, for fixtures). */
  admin: mysql.Connection;
  drop(): Promise<void>;
};

/** A fresh database on the run's MariaDB server; `drop()` removes it and closes the admin connection. */
export async function createTestMariadbDatabase(): Promise<TestMariadbDatabase> {
  const url = testMariadbUrl();
  const database = `t_${randomBytes(6).toString('hex')}`;
  const options = {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const admin = await mysql.createConnection({
    ...options,
    multipleStatements: true,
    dateStrings: true,
    jsonStrings: true,
  });
  await admin.query(`create database \`${database}\` character set utf8mb4 collate utf8mb4_bin`);
  await admin.query(`use \`${database}\``);
  await admin.query("set time_zone = '+00:00'");
  return {
    database,
    ...options,
    admin,
    async drop() {
      await admin.query(`drop database if exists \`${database}\``).catch(() => {});
      await admin.end().catch(() => {});
    },
  };
}
