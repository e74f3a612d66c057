import { containsPattern } from '../sql/like-pattern';
import type { SqlSession } from '../sql/sql-executor';

/**
 * Search on SQLite reads the FTS5 trigram index over the folded search_text (client_search_fts,
 * built by migration 0004) for a rare term, and walks the newest clients through the
 * (created_at, id, search_text) index (migration 0005) for a common one.
 */

// Trigrams need three characters; shorter terms scan (still correct, and rarely selective).
const MIN_INDEXED_LENGTH = 3;
/**
 * When is a term common? Walking a time-ordered index and testing each client costs about
 * 0.25 µs a client walked (the scan index above), and a page of 21 needs 21 * N / m of them for
 * m matches among N clients; the FTS index costs about 5 µs a match, all of them collected and
 * sorted. The two meet near m = sqrt(N): 100 matches at 10,000 clients, 1,000 at 1,000,000.
 * Capped, so the probe that counts the matches stays bounded at any size, and floored, as
 * tiny tables are cheap either way. Both plans return exactly the same rows.
 */
const COMMON_TERM_MATCHES = 2000;
const COMMON_TERM_MIN_MATCHES = 64;

export function commonTermThreshold(clientCount: number): number {
  return Math.min(COMMON_TERM_MATCHES, Math.max(COMMON_TERM_MIN_MATCHES, Math.ceil(Math.sqrt(clientCount))));
}

const LIKE_CONDITION = "search_text LIKE ? ESCAPE '\\'";

export async function sqliteClientSearchCondition(
  sql: SqlSession,
  term: string,
  sortColumn: string,
): Promise<{ sql: string; params: unknown[] }> {
  const scan = { sql: LIKE_CONDITION, params: [containsPattern(term)] };
  if ([...term].length < MIN_INDEXED_LENGTH) return scan;
  // A quoted FTS5 string is a phrase: with trigrams, exactly "contains this substring".
  const phrase = `"${term.replace(/"/g, '""')}"`;
  const indexed = {
    sql: `id IN (SELECT client_search.client_id FROM client_search_fts
                 JOIN client_search ON client_search.id = client_search_fts.rowid
                 WHERE client_search_fts MATCH ?)`,
    params: [phrase],
  };
  // Names that match a term sit together in name order (all the "François" at F), so walking
  // the name index is not dense there: only time orders spread the matches evenly.
  if (sortColumn === 'sort_name') return indexed;
  return (await isCommonTerm(sql, phrase)) ? scan : indexed;
}

const PROBE_SQL = 'SELECT count(*) AS n FROM (SELECT 1 FROM client_search_fts WHERE client_search_fts MATCH ? LIMIT ?)';
// The highest client_search rowid: the number of clients ever indexed, read off the b-tree's
// last page instead of counting every row; deletions make it an overestimate, which is fine.
const CLIENT_ESTIMATE_SQL = 'SELECT coalesce(max(id), 0) AS n FROM client_search';
/** How long a probe's answer is reused, and for how many terms per connection. */
const PROBE_TTL_MS = 60_000;
const PROBED_TERMS = 256;
const probed = new WeakMap<SqlSession, Map<string, { common: boolean; until: number }>>();

/**
 * Whether the term has commonTermThreshold() matches or more. The answer only picks a plan
 * (both plans return exactly the same rows), so it may be a minute old: a search box sends the
 * same term page after page, and the probe costs as much as a rare term's whole search. Kept
 * per session (the app's shared reader), bounded, oldest term out first.
 */
async function isCommonTerm(sql: SqlSession, phrase: string): Promise<boolean> {
  let terms = probed.get(sql);
  if (!terms) probed.set(sql, (terms = new Map()));
  const now = Date.now();
  const known = terms.get(phrase);
  if (known && known.until > now) return known.common;
  const [estimate] = await sql.all<{ n: number }>(CLIENT_ESTIMATE_SQL);
  const threshold = commonTermThreshold(estimate?.n ?? 0);
  const [probe] = await sql.all<{ n: number }>(PROBE_SQL, [phrase, threshold]);
  const common = (probe?.n ?? 0) >= threshold;
  terms.delete(phrase);
  if (terms.size >= PROBED_TERMS) terms.delete(terms.keys().next().value as string);
  terms.set(phrase, { common, until: now + PROBE_TTL_MS });
  return common;
}
