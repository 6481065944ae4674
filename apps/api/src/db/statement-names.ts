// Names for prepared statements, so that PostgreSQL parses and plans each of the app's queries
// once per connection instead of on every execution (adapter-pg's `statementNameGenerator`).
// Measured on a refresh (issue 12): parse + bind (planning) took ~1 ms of the server's time per
// query, longer than running it. The name is a digest of the SQL text, so one text always maps to
// one name (pg refuses a name reused for another text). Values are never part of the text: they
// travel as bind parameters, so the number of distinct texts is the number of query shapes the
// code has; the cap only guards against shapes that grow with their input (e.g. IN lists).
import { createHash } from 'node:crypto';

/** Distinct statements a connection keeps prepared at most; later shapes run unnamed. */
export const MAX_NAMED_STATEMENTS = 500;

export function statementNames(max = MAX_NAMED_STATEMENTS): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= max) return ''; // pg runs a statement with an empty name unnamed
      name = `s_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
      names.set(sql, name);
    }
    return name;
  };
}
