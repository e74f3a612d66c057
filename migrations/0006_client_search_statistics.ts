import { sqlMigration } from './migration';

/**
 * PostgreSQL only. The planner estimates how many clients contain a term by testing it on the
 * search_text histogram, 100 sampled values by default. A term in 2% of clients then finds no
 * sample in about one ANALYZE in seven: the estimate falls to the 0.01% floor, and the planner
 * collects every match through the trigram index and sorts them instead of walking the newest
 * clients (at 1,000,000 clients, "dupont" took 134 ms instead of 1). With 500 values such a miss
 * is about one ANALYZE in 20,000; planning a search costs about 0.2 ms more, ANALYZE about 2.5 s
 * more. SQLite keeps no statistics on search_text: the app picks its search plan itself.
 */
export const SEARCH_TEXT_STATISTICS_TARGET = 500;

export const clientSearchStatistics = sqlMigration(
  '0006_client_search_statistics',
  {
    sqlite: [],
    // ANALYZE now, rather than at autovacuum's next pass over the table.
    postgres: [`ALTER TABLE clients ALTER COLUMN search_text SET STATISTICS ${SEARCH_TEXT_STATISTICS_TARGET}`, 'ANALYZE clients'],
  },
  { sqlite: [], postgres: ['ALTER TABLE clients ALTER COLUMN search_text SET STATISTICS -1', 'ANALYZE clients'] },
);
