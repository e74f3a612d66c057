import type { Knex } from 'knex';
import { runStatements, type Migration, type MigrationDriver } from './migration';

/**
 * SQLite: FTS5 with the trigram tokenizer over the folded search_text, so a substring search of
 * 3+ characters reads the index instead of every client. FTS5 needs a stable integer rowid,
 * which clients (uuid primary key) lack: client_search maps each client to one (INTEGER PRIMARY
 * KEY survives VACUUM) and keeps a copy of search_text as the index's external content; triggers
 * keep both in step with clients. case_sensitive 1 because search_text is already folded: the
 * index then matches exactly the substrings LIKE would.
 */
const SQLITE_UP = [
  'CREATE TABLE client_search (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL UNIQUE, search_text TEXT NOT NULL)',
  "CREATE VIRTUAL TABLE client_search_fts USING fts5(search_text, content='client_search', content_rowid='id', tokenize='trigram case_sensitive 1')",
  `CREATE TRIGGER client_search_after_insert AFTER INSERT ON client_search BEGIN
     INSERT INTO client_search_fts (rowid, search_text) VALUES (new.id, new.search_text); END`,
  `CREATE TRIGGER client_search_after_delete AFTER DELETE ON client_search BEGIN
     INSERT INTO client_search_fts (client_search_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END`,
  `CREATE TRIGGER client_search_after_update AFTER UPDATE ON client_search BEGIN
     INSERT INTO client_search_fts (client_search_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
     INSERT INTO client_search_fts (rowid, search_text) VALUES (new.id, new.search_text); END`,
  `CREATE TRIGGER clients_search_after_insert AFTER INSERT ON clients BEGIN
     INSERT INTO client_search (client_id, search_text) VALUES (new.id, new.search_text); END`,
  `CREATE TRIGGER clients_search_after_update AFTER UPDATE OF search_text ON clients BEGIN
     UPDATE client_search SET search_text = new.search_text WHERE client_id = new.id; END`,
  `CREATE TRIGGER clients_search_after_delete AFTER DELETE ON clients BEGIN
     DELETE FROM client_search WHERE client_id = old.id; END`,
  'INSERT INTO client_search (client_id, search_text) SELECT id, search_text FROM clients',
];

const SQLITE_DOWN = [
  'DROP TRIGGER IF EXISTS clients_search_after_insert',
  'DROP TRIGGER IF EXISTS clients_search_after_update',
  'DROP TRIGGER IF EXISTS clients_search_after_delete',
  'DROP TABLE IF EXISTS client_search_fts',
  'DROP TABLE IF EXISTS client_search',
];

/**
 * PostgreSQL: a pg_trgm GIN index over the folded search_text, which the planner uses for
 * LIKE '%term%' with 3+ characters. The query is the plain LIKE either way, so results are the
 * unindexed definition by construction. Where the extension cannot be created (no privilege,
 * not installed) the step goes on without the index: search stays correct, only slower.
 */
const TRGM_INDEX = 'clients_search_text_trgm_idx';

async function createTrigramIndex(knex: Knex): Promise<void> {
  try {
    // A savepoint: a refused CREATE EXTENSION must not abort the migration's transaction.
    await knex.transaction(async (savepoint) => {
      await savepoint.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await savepoint.raw(`CREATE INDEX ${TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)`);
    });
  } catch {
    // Search without the index: see above.
  }
}

export const clientSearchIndex: Migration = {
  name: '0004_client_search_index',
  up: (knex: Knex, driver: MigrationDriver) => (driver === 'postgres' ? createTrigramIndex(knex) : runStatements(knex, SQLITE_UP)),
  down: (knex: Knex, driver: MigrationDriver) =>
    runStatements(knex, driver === 'postgres' ? [`DROP INDEX IF EXISTS ${TRGM_INDEX}`] : SQLITE_DOWN),
};
