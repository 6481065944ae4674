// Plain SQL on the very pool Prisma uses, for the statements of the hot path: a refresh's read and
// rotation, a sign-in's new session (auth/refresh-token-store.ts, ADR 0017). WHY not Prisma's
// $queryRaw: measured on this machine, it adds ~300 µs per query over pg's own `query` (its query
// interpreter, argument mapping and result conversion); a refresh is two queries, and at ~1.7 ms
// of CPU per refresh that was a third of it. Statements are still written as Prisma.sql tagged
// templates, so every value is a bind parameter and never part of the text.
import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import { statementNames } from './statement-names.js';

export type SqlClient = {
  /** Runs `statement` (a Prisma.sql template) and returns its rows, as pg parses them. */
  rows<Row>(statement: Prisma.Sql): Promise<Row[]>;
};

/**
 * `prepare`: run statements as named prepared statements (real PostgreSQL), or unnamed (PGlite,
 * one session for all connections: see database.ts).
 */
export function sqlClient(pool: pg.Pool, options: { prepare: boolean }): SqlClient {
  const nameOf = statementNames();
  return {
    async rows<Row>(statement: Prisma.Sql): Promise<Row[]> {
      const text = statement.text;
      const result = await pool.query({ text, values: statement.values, ...(options.prepare ? { name: nameOf({ sql: text }) } : {}) });
      return result.rows as Row[];
    },
  };
}
