import Database from 'better-sqlite3';
import { serveBaseline } from './baseline-http';
import type { BaselineStore, ClientRow, ExchangeRow, HistoryRow } from './baseline-store';
import { CLIENT_COLUMNS, EXCHANGE_COLUMNS, probeSession, searchCondition } from './search-sql';

/**
 * Bare baseline on SQLite: better-sqlite3 prepared once, WAL, the synchronous level the app is
 * given (SQLITE_SYNCHRONOUS), foreign keys on. Started by bench/run.ts with SQLITE_PATH and PORT.
 */
const path = process.env.SQLITE_PATH;
if (!path) throw new Error('SQLITE_PATH is required');
const synchronous = process.env.SQLITE_SYNCHRONOUS ?? 'FULL';
if (!/^(FULL|NORMAL|EXTRA|OFF)$/.test(synchronous)) throw new Error(`bad SQLITE_SYNCHRONOUS ${synchronous}`);

const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const listClients = db.prepare<[number], ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients ORDER BY created_at DESC, id DESC LIMIT ?`);
// The benchmark searches one term, so one statement; its text comes from the app's dialect.
const searchStatements = new Map<string, Database.Statement<unknown[], ClientRow>>();
const probe = probeSession((sql, params) => db.prepare(sql).all(...params));
async function searchClients(term: string, limit: number): Promise<ClientRow[]> {
  const { sql, params } = await searchCondition('sqlite', probe, term);
  let statement = searchStatements.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], ClientRow>(
      `SELECT ${CLIENT_COLUMNS} FROM clients WHERE ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
    );
    searchStatements.set(sql, statement);
  }
  return statement.all(...params, limit);
}
const clientById = db.prepare<[string], ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = ?`);
const timeline = db.prepare<[string, number], ExchangeRow>(
  `SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE client_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?`,
);
const insertClient = db.prepare<ClientRow>(
  `INSERT INTO clients (id, name, email, phone, company, status, tags, notes, search_text, sort_name, email_key, phone_key, name_key, created_at, updated_at, version)
   VALUES (@id, @name, @email, @phone, @company, @status, @tags, @notes, @search_text, @sort_name, @email_key, @phone_key, @name_key, @created_at, @updated_at, @version)`,
);
const insertTag = db.prepare<[string, string]>('INSERT INTO client_tags (client_id, tag) VALUES (?, ?)');
const insertExchange = db.prepare<ExchangeRow>(
  `INSERT INTO exchanges (id, client_id, kind, direction, subject, body, occurred_at, follow_up_at, created_at, updated_at, version)
   VALUES (@id, @client_id, @kind, @direction, @subject, @body, @occurred_at, @follow_up_at, @created_at, @updated_at, @version)`,
);
const insertHistory = db.prepare<HistoryRow>(
  `INSERT INTO history (record_id, version, record_type, action, at, actor, changes)
   VALUES (@record_id, @version, @record_type, @action, @at, @actor, @changes)`,
);
const createClient = db.transaction((row: ClientRow, tags: readonly string[], history: HistoryRow) => {
  insertClient.run(row);
  for (const tag of tags) insertTag.run(row.id, tag);
  insertHistory.run(history);
});
const createExchange = db.transaction((row: ExchangeRow, history: HistoryRow) => {
  insertExchange.run(row);
  insertHistory.run(history);
});

const store: BaselineStore = {
  listClients: (limit, search) => (search ? searchClients(search, limit + 1) : listClients.all(limit + 1)),
  getClient: (id) => clientById.get(id),
  insertClient: (row, tags, history) => createClient(row, tags, history),
  timeline: (clientId, limit) => timeline.all(clientId, limit + 1),
  insertExchange(row, history) {
    try {
      createExchange(row, history);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return false;
      throw error;
    }
  },
  ping: () => undefined,
  close() {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  },
};

serveBaseline(store, (iso) => iso);
