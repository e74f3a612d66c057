import type { SqlSession } from '../sql/sql-executor';

/** The search condition both dialects share: the folded term as a substring of search_text. */
export const SEARCH_TEXT_CONTAINS = "search_text LIKE ? ESCAPE '\\'";
/** Trigram indexes need three characters: a shorter term is never served by one. */
export const MIN_TRIGRAM_TERM_LENGTH = 3;

/**
 * When is a search term common? Walking a time-ordered index and testing each client costs
 * about 0.25 µs a client walked, and a page of 21 needs 21 * N / m of them for m matches among
 * N clients; a trigram index costs about 5 µs a match, all of them collected and sorted. The
 * two meet near m = sqrt(N): 100 matches at 10,000 clients, 1,000 at 1,000,000. Capped, so the
 * probe that counts the matches stays bounded at any size, and floored, as tiny tables are
 * cheap either way. Both plans return exactly the same rows.
 */
const COMMON_TERM_MATCHES = 2000;
const COMMON_TERM_MIN_MATCHES = 64;

export function commonTermThreshold(clientCount: number): number {
  return Math.min(COMMON_TERM_MATCHES, Math.max(COMMON_TERM_MIN_MATCHES, Math.ceil(Math.sqrt(clientCount))));
}

/** The two reads a dialect answers "is this term common?" with. */
export interface TermProbe {
  /** A cheap estimate of the number of clients (an overestimate is fine). */
  readonly estimateSql: string;
  /** Counts the term's matches, up to the limit given as its second parameter. */
  readonly countSql: string;
}

/** How long a probe's answer is reused, and for how many terms per session. */
const PROBE_TTL_MS = 60_000;
const PROBED_TERMS = 256;
const probed = new WeakMap<SqlSession, Map<string, { common: boolean; until: number }>>();

/**
 * Whether the term has commonTermThreshold() matches or more. The answer only picks a plan
 * (both plans return exactly the same rows), so it may be a minute old: a search box sends the
 * same term page after page, and the probe costs as much as a rare term's whole search. Kept
 * per session (the app's shared reader or pool), bounded, oldest term out first.
 */
export async function isCommonTerm(sql: SqlSession, probe: TermProbe, term: unknown): Promise<boolean> {
  const key = String(term);
  let terms = probed.get(sql);
  if (!terms) probed.set(sql, (terms = new Map()));
  const now = Date.now();
  const known = terms.get(key);
  if (known && known.until > now) return known.common;
  const [estimate] = await sql.all<{ n: number | string }>(probe.estimateSql);
  const threshold = commonTermThreshold(Number(estimate?.n ?? 0));
  const [count] = await sql.all<{ n: number | string }>(probe.countSql, [term, threshold]);
  const common = Number(count?.n ?? 0) >= threshold;
  terms.delete(key);
  if (terms.size >= PROBED_TERMS) terms.delete(terms.keys().next().value as string);
  terms.set(key, { common, until: now + PROBE_TTL_MS });
  return common;
}
