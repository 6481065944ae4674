// Plain SQL on the very pool Prisma uses, for the statements of the hot path: a refresh's read and
// rotation, a sign-in's new session (auth/refresh-token-store.ts, ADR 0017). WHY not Prisma's
// $queryRaw: measured on this machine, it adds ~300 µs per query over pg's own `query` (its query
// interpreter, argument mapping and result conversion); a refresh is two queries, and at ~1.7 ms
// of CPU per refresh that was a third of it.
import type pg from 'pg';
import { statementNames } from './statement-names.js';

declare const madeBySql: unique symbol;

/**
 * A statement: its text with placeholders $1…$n, and the values bound to them, in order. Branded:
 * only `sql` below makes one, so a hand-built `{ text, values }` (a value spliced into the text) is
 * a compile error, as it was with Prisma.sql.
 */
export type Statement = { readonly text: string; readonly values: readonly SqlValue[]; readonly [madeBySql]: true };

/** What a statement binds. A nested statement or any other object is a compile error, not a JSON parameter. */
export type SqlValue = string | number | bigint | boolean | Date | Buffer | null;

export type SqlClient = {
  /** Runs `statement` (written with `sql` below) and returns its rows, as pg parses them. */
  rows<Row>(statement: Statement): Promise<Row[]>;
};

/** Each call site's text, built once: a template's strings array is the same object at every call. */
const texts = new WeakMap<TemplateStringsArray, string>();

/**
 * sql`… ${value} …`: every interpolated value is a bind parameter ($1, $2, … in order), never part
 * of the text (OWASP SQL Injection Prevention CS, option 1: parameterized queries). The text is
 * made of the template's literal parts only, so one call site always has one text.
 *
 * WHY not Prisma.sql, which these statements were written with before: it builds its text anew on
 * every call. A new string has no hash yet, so the prepared-statement name's lookup (./statement-
 * names.ts) hashed the whole text of every statement, every time, and pg compared it in full with
 * the text it had prepared: ~45,000 of the ~2.2 million main-thread instructions our API spends
 * on a signed-in page's request (issue 12, thirtieth pass, counted by callgrind). ECMAScript gives
 * each template literal one frozen strings array, whatever the values (GetTemplateObject), so
 * here the text is built and hashed once per call site.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Statement {
  let text = texts.get(strings);
  if (text === undefined) {
    // Once per call site: only a template literal's own strings array (frozen, with `raw`), whose
    // cached text can never change afterwards.
    if (!Object.isFrozen(strings) || !Array.isArray(strings.raw) || strings.some((part) => typeof part !== 'string')) {
      throw new TypeError('sql must be used as the tag of a template literal');
    }
    text = strings.reduce((built, part, i) => `${built}$${i}${part}`);
    texts.set(strings, text);
  }
  // As Prisma.sql did: as many values as placeholders, or nothing runs.
  if (values.length !== strings.length - 1) throw new TypeError('sql: the values do not match the template');
  return { text, values } as unknown as Statement;
}

/**
 * `prepare`: run statements as named prepared statements (real PostgreSQL), or unnamed (PGlite,
 * one session for all connections: see database.ts).
 */
export function sqlClient(pool: pg.Pool, options: { prepare: boolean }): SqlClient {
  const nameOf = statementNames();
  return {
    async rows<Row>(statement: Statement): Promise<Row[]> {
      const { text } = statement;
      const result = await pool.query({
        text,
        values: statement.values as SqlValue[],
        ...(options.prepare ? { name: nameOf({ sql: text }) } : {}),
      });
      return result.rows as Row[];
    },
  };
}
