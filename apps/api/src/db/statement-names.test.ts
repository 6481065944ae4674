import { describe, expect, it } from 'vitest';
import { statementNames } from './statement-names.js';

describe('prepared statement names', () => {
  it('give one text one name, and different texts different names (pg refuses a name reused for another text)', () => {
    const name = statementNames();
    const a = name({ sql: 'SELECT 1 WHERE $1 = 1' });
    expect(name({ sql: 'SELECT 1 WHERE $1 = 1' })).toBe(a);
    expect(name({ sql: 'SELECT 2 WHERE $1 = 1' })).not.toBe(a);
    expect(a).toMatch(/^s_[0-9a-f]{32}$/);
  });

  it('stop naming past the cap: later shapes run unnamed, earlier ones keep their names', () => {
    const name = statementNames(2);
    const first = name({ sql: 'a' });
    name({ sql: 'b' });
    expect(name({ sql: 'c' })).toBe('');
    expect(name({ sql: 'a' })).toBe(first);
  });
});
