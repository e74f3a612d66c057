import type { Client } from '../../domain/client';
import type { HistoryEntry } from '../../domain/history';
import type { ImportedClientRepository, ImportSession, ImportStore, KeyedClient } from '../../repositories/import-store';
import type { Dialect, DialectTools } from '../dialects';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';
import { clientTagRows } from '../tables/client-tags.table';
import { CLIENT_READ_COLUMNS, clientToRow, valuesToClient } from '../tables/clients.table';
import { historyRow } from '../tables/history.table';
import { SqlClientRepository } from './sql-client.repository';
import { SqlImportJobRepository } from './sql-import-jobs.repository';

/** Keys per lookup: one IN list, far below both engines' limits on bound values. */
const KEYS_PER_LOOKUP = 500;

const LOOKUP_SQL = Object.fromEntries(
  (['email_key', 'phone_key'] as const).map((column) => [
    column,
    `SELECT ${column}, ${CLIENT_READ_COLUMNS.join(', ')} FROM clients
      WHERE ${column} IN (${Array(KEYS_PER_LOOKUP).fill('?').join(', ')}) ORDER BY created_at, id`,
  ]),
) as Record<'email_key' | 'phone_key', string>;

/**
 * The one place an import writes new clients: rows, tags and history entries, each table in
 * multi-row statements (the dialect's bulk insert), inside the commit's transaction.
 */
class SqlImportedClientRepository implements ImportedClientRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
    private readonly tools: DialectTools,
  ) {}

  async findLiveByKeys(column: 'email_key' | 'phone_key', keys: readonly string[]): Promise<KeyedClient[]> {
    const found: KeyedClient[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_LOOKUP) {
      // Padded with NULLs (equal to nothing): one statement text, prepared once, whatever the count.
      const chunk = [...keys.slice(start, start + KEYS_PER_LOOKUP)];
      while (chunk.length < KEYS_PER_LOOKUP) chunk.push(null as unknown as string);
      for (const values of await this.sql.values(LOOKUP_SQL[column], chunk)) {
        found.push({ key: values[0] as string, client: valuesToClient(values.slice(1), this.dialect) });
      }
    }
    return found;
  }

  async insertMany(clients: readonly Client[], entries: readonly HistoryEntry[]): Promise<void> {
    if (clients.length === 0) return;
    await this.tools.bulkInsert(
      this.sql,
      'clients',
      clients.map((client) => clientToRow(client, this.dialect)),
    );
    await this.tools.bulkInsert(this.sql, 'client_tags', clients.flatMap(clientTagRows));
    await this.tools.bulkInsert(
      this.sql,
      'history',
      entries.map((entry) => historyRow(entry, this.dialect)),
    );
  }
}

function sessionOn(sql: SqlSession, dialect: Dialect, tools: DialectTools): ImportSession {
  return {
    jobs: new SqlImportJobRepository(sql, dialect, tools),
    importedClients: new SqlImportedClientRepository(sql, dialect, tools),
    clients: new SqlClientRepository(sql, dialect),
  };
}

/** Import jobs and the import's client writes over the SQL executor. */
export class SqlImportStore implements ImportStore {
  readonly jobs;
  readonly importedClients;
  readonly clients;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly dialect: Dialect,
    private readonly tools: DialectTools,
  ) {
    ({ jobs: this.jobs, importedClients: this.importedClients, clients: this.clients } = sessionOn(sql, dialect, tools));
  }

  transaction<T>(work: (session: ImportSession) => Promise<T>): Promise<T> {
    return this.sql.transaction((session) => work(sessionOn(session, this.dialect, this.tools)));
  }
}
