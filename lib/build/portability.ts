/**
 * Syntax DuckDB accepts but Athena (Trino) refuses. Validation binds build SQL in DuckDB, so without this a
 * DuckDB-only shorthand would pass every local check and fail the first deployed run.
 */
import { quotedRanges } from './placeholders';

interface NotPortable {
  readonly pattern: RegExp;
  readonly what: string;
  readonly instead: string;
}

const NOT_PORTABLE: readonly NotPortable[] = [
  { pattern: /::/, what: 'the :: cast', instead: 'CAST(x AS type)' },
  { pattern: /\bilike\b/i, what: 'ILIKE', instead: 'lower(x) LIKE lower(pattern)' },
  { pattern: /\bqualify\b/i, what: 'QUALIFY', instead: 'a subquery filtered on the window function in WHERE' },
  {
    pattern: /\b(group|order)\s+by\s+all\b(?!\s*[a-z_("])/i,
    what: 'GROUP BY ALL / ORDER BY ALL',
    instead: 'the columns themselves, or their positions (GROUP BY 1, 2)',
  },
  { pattern: /\*\s*(exclude|replace)\s*\(/i, what: 'SELECT * EXCLUDE/REPLACE', instead: 'the columns by name' },
];

/** What in the SQL Athena would refuse, one message each (string literals and comments are not read). */
export function checkPortableSql(sql: string): string[] {
  const chars = sql.split('');
  for (const range of quotedRanges(sql)) {
    if (range.kind === 'identifier') continue;
    for (let i = range.start; i <= range.end; i++) if (chars[i] !== '\n') chars[i] = ' ';
  }
  const code = chars.join('');
  return NOT_PORTABLE.filter((n) => n.pattern.test(code)).map(
    (n) => `${n.what} runs in DuckDB but not on Athena (Trino), where the build is deployed; write ${n.instead}`,
  );
}
