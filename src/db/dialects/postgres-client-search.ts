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
