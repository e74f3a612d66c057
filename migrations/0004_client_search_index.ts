import { dialectMigration } from './migration';

/** Index-backed search: FTS5 trigram on SQLite, pg_trgm on PostgreSQL (see the dialects). */
export const clientSearchIndex = dialectMigration('0004_client_search_index', 'createClientSearchIndex', 'dropClientSearchIndex');
