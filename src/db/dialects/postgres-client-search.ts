import { containsPattern } from '../sql/like-pattern';
import type { SqlSession } from '../sql/sql-executor';
import { isCommonTerm, MIN_TRIGRAM_TERM_LENGTH, SEARCH_TEXT_CONTAINS, type TermProbe } from './common-terms';
import type { SearchCondition } from './dialect';

/**
 * Search on PostgreSQL is one condition, `search_text LIKE`, which the planner serves from the
 * pg_trgm index (migration 0004) for a rare term and by walking the sort index for a common one.
 * Planning it is most of a search's cost on the server (pg_trgm weighs the pattern against
 * wide statistics: about a millisecond), so a common term's search is kept prepared: its best
 * plan, the walk, is the same for every common term, and it is what PostgreSQL's generic plan
 * for the statement does. A rare term is planned per call: a generic plan knows nothing of the
 * term and would walk every client looking for one that is not there.
 */
const PROBE: TermProbe = {
  // The planner's own row count from the last ANALYZE (-1 before any: then the floor applies).
  estimateSql: "SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = 'clients'::regclass",
  countSql: `SELECT count(*) AS n FROM (SELECT 1 FROM clients WHERE ${SEARCH_TEXT_CONTAINS} LIMIT ?) AS matches`,
};

export async function postgresClientSearchCondition(sql: SqlSession, term: string, sortColumn: string): Promise<SearchCondition> {
  const pattern = containsPattern(term);
  const perCall = { sql: SEARCH_TEXT_CONTAINS, params: [pattern], reusable: false };
  // A short term is left to the planner every time; name order bunches the matches of a term
  // together, so no walk of it is dense enough to share a plan.
  if ([...term].length < MIN_TRIGRAM_TERM_LENGTH || sortColumn === 'sort_name') return perCall;
  return (await isCommonTerm(sql, PROBE, pattern)) ? { ...perCall, reusable: true } : perCall;
}
