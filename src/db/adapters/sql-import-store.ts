import type { Client } from '../../domain/client';
import type { HistoryEntry } from '../../domain/history';
import type { ImportedClientRepository, ImportSession, ImportStore, KeyedClient } from '../../repositories/import-store';
import type { Dialect, DialectTools } from '../dialects';
import { eventRow, subscriptionQuery } from '../sql/outbox';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';
import { clientTagRows } from '../tables/client-tags.table';
import { CLIENT_READ_COLUMNS, clientToRow, valuesToClient } from '../tables/clients.table';
import { historyRow } from '../tables/history.table';
import { boundedBulkInsert } from './bounded-bulk-insert';
import { SqlClientRepository } from './sql-client.repository';
import { SqlImportJobRepository } from './sql-import-jobs.repository';

/**
 * Keys per lookup. Each key is matched by its own index probe (a correlated subquery), whatever
 * the planner believes of the table: inside an import's transaction PostgreSQL has no statistics
 * for the rows the import added, and judged an IN list of a few hundred keys cheaper as a
 * sequential scan, which made each batch's lookup cost grow with the table (50 s of a 100,000-row
 * commit). Few enough keys that the statement's estimated cost stays below PostgreSQL's JIT
 * threshold (compiling it cost more than running it). Padded with NULLs (equal to nothing), so
 * there is one statement text, prepared once.
 */
const KEYS_PER_LOOKUP = 100;
const KEY_LIST = Array(KEYS_PER_LOOKUP).fill('(?)').join(', ');
const MATCH_SQL = {
  email_key: `SELECT k.column1, (SELECT min(CAST(c.id AS TEXT)) FROM clients c WHERE c.email_key = k.column1) FROM (VALUES ${KEY_LIST}) AS k`,
  phone_key: `SELECT k.column1, (SELECT min(CAST(c.id AS TEXT)) FROM clients c WHERE c.phone_key = k.column1) FROM (VALUES ${KEY_LIST}) AS k`,
};
const BY_IDS_SQL = `SELECT ${CLIENT_READ_COLUMNS.join(', ')} FROM clients WHERE id IN (${Array(KEYS_PER_LOOKUP).fill('?').join(', ')})`;
const CREATED_WANTED = subscriptionQuery('client.created');

function padded(values: readonly string[]): (string | null)[] {
  return [...values, ...Array<null>(KEYS_PER_LOOKUP - values.length).fill(null)];
}

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
      const matches = await this.sql.values(MATCH_SQL[column], padded(keys.slice(start, start + KEYS_PER_LOOKUP)));
      const keyOf = new Map(matches.filter(([key, id]) => key !== null && id !== null).map(([key, id]) => [id as string, key as string]));
      if (keyOf.size === 0) continue;
      for (const values of await this.sql.values(BY_IDS_SQL, padded([...keyOf.keys()]))) {
        const client = valuesToClient(values, this.dialect);
        found.push({ key: keyOf.get(client.id)!, client });
      }
    }
    return found;
  }

  async insertMany(clients: readonly Client[], entries: readonly HistoryEntry[]): Promise<void> {
    if (clients.length === 0) return;
    await boundedBulkInsert(
      this.tools,
      this.sql,
      'clients',
      clients.map((client) => clientToRow(client, this.dialect)),
    );
    await boundedBulkInsert(this.tools, this.sql, 'client_tags', clients.flatMap(clientTagRows));
    await boundedBulkInsert(
      this.tools,
      this.sql,
      'history',
      entries.map((entry) => historyRow(entry, this.dialect)),
    );
    // Their webhook events, in the same transaction, if a subscription asks for new clients.
    if (await this.sql.firstValues(CREATED_WANTED)) {
      const byId = new Map(clients.map((client) => [client.id, client]));
      const events = entries.flatMap((entry) => {
        const client = byId.get(entry.recordId);
        const row = client ? eventRow(entry, client, this.dialect) : null;
        return row ? [row] : [];
      });
      await boundedBulkInsert(this.tools, this.sql, 'webhook_events', events);
    }
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
    // Thousands of rows: committed on its own, so the writes queued beside it are answered first.
    return this.sql.transaction((session) => work(sessionOn(session, this.dialect, this.tools)), { long: true });
  }
}
