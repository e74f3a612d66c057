import type { Knex } from 'knex';

/**
 * PostgreSQL search index: a pg_trgm GIN index over the folded search_text, which the planner
 * uses for LIKE '%term%' with 3+ characters. The query is the plain LIKE either way, so results
 * are the unindexed definition by construction. Where the extension cannot be created (no
 * privilege, not installed) the migration goes on without the index: search stays correct,
 * only slower, and `crm doctor` can tell.
 */
export const TRGM_INDEX = 'clients_search_text_trgm_idx';

export async function createPostgresClientSearchIndex(knex: Knex): Promise<void> {
  try {
    // A savepoint: a refused CREATE EXTENSION must not abort the migration's transaction.
    await knex.transaction(async (savepoint) => {
      await savepoint.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await savepoint.raw(`CREATE INDEX ${TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)`);
    });
  } catch {
    // Fallback documented above.
  }
}

export async function dropPostgresClientSearchIndex(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS ${TRGM_INDEX}`);
}

/**
 * The planner estimates how many clients contain a term by testing it on the search_text
 * histogram, 100 sampled values by default. A term in 2% of clients then finds no sample in about one
 * ANALYZE in seven: the estimate falls to the 0.01% floor, and the planner collects every match
 * through the trigram index and sorts them instead of walking the newest clients (at
 * 1,000,000 clients, "dupont" took 134 ms instead of 1). With 500 values such a miss is about one
 * ANALYZE in 20,000; planning a search costs about 0.2 ms more, ANALYZE about 2.5 s more.
 */
export const SEARCH_TEXT_STATISTICS_TARGET = 500;

export async function raisePostgresSearchTextStatistics(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE clients ALTER COLUMN search_text SET STATISTICS ${SEARCH_TEXT_STATISTICS_TARGET}`);
  // Now, rather than at autovacuum's next pass over the table.
  await knex.raw('ANALYZE clients');
}

export async function resetPostgresSearchTextStatistics(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE clients ALTER COLUMN search_text SET STATISTICS -1');
  await knex.raw('ANALYZE clients');
}
