import { containsPattern } from '../sql/like-pattern';
import type { SqlSession } from '../sql/sql-executor';
import { isCommonTerm, MIN_TRIGRAM_TERM_LENGTH, SEARCH_TEXT_CONTAINS, type TermProbe } from './common-terms';
import type { SearchCondition } from './dialect';

/**
 * Search on SQLite reads the FTS5 trigram index over the folded search_text (client_search_fts,
 * built by migration 0004) for a rare term, and walks the newest clients through the
 * (created_at, id, search_text) index (migration 0005) for a common one.
 */

const PROBE: TermProbe = {
  // The highest client_search rowid: the number of clients ever indexed, read off the b-tree's
  // last page instead of counting every row; deletions make it an overestimate, which is fine.
  estimateSql: 'SELECT coalesce(max(id), 0) AS n FROM client_search',
  countSql: 'SELECT count(*) AS n FROM (SELECT 1 FROM client_search_fts WHERE client_search_fts MATCH ? LIMIT ?)',
};

export async function sqliteClientSearchCondition(sql: SqlSession, term: string, sortColumn: string): Promise<SearchCondition> {
  // SQLite prepares every statement whatever it is told, so neither condition asks to be reused.
  const scan = { sql: SEARCH_TEXT_CONTAINS, params: [containsPattern(term)], reusable: false };
  // Too short for the trigram index: scan (still correct, and rarely selective).
  if ([...term].length < MIN_TRIGRAM_TERM_LENGTH) return scan;
  // A quoted FTS5 string is a phrase: with trigrams, exactly "contains this substring".
  const phrase = `"${term.replace(/"/g, '""')}"`;
  const indexed = {
    sql: `id IN (SELECT client_search.client_id FROM client_search_fts
                 JOIN client_search ON client_search.id = client_search_fts.rowid
                 WHERE client_search_fts MATCH ?)`,
    params: [phrase],
    reusable: false,
  };
  // Names that match a term sit together in name order (all the "François" at F), so walking
  // the name index is not dense there: only time orders spread the matches evenly.
  if (sortColumn === 'sort_name') return indexed;
  return (await isCommonTerm(sql, PROBE, phrase)) ? scan : indexed;
}
