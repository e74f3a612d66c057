import type { Knex } from 'knex';

/** The part of a better-sqlite3 connection this module uses. */
interface SqliteConnection {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  pragma(source: string): unknown;
}
type Statement = ReturnType<SqliteConnection['prepare']>;

// SQLite (since 3.32) accepts 32,766 bound values per statement. Fewer, wider statements amortise
// the per-statement cost; past a few hundred rows the gain flattens, so stay well below the cap.
const MAX_VALUES_PER_STATEMENT = 8000;

// A prepared statement is reused for every full chunk of the same shape: preparing is the
// expensive part when a million rows go through.
const statementCache = new WeakMap<SqliteConnection, Map<string, Statement>>();

// A bulk load updates index pages all over the file (exchanges by client, say); with SQLite's
// default 2 MB page cache they are read back from the OS again and again. 64 MB cut the system
// time of seeding a million exchanges by half. Only connections that bulk-load (crm commands) get it.
const BULK_CACHE_KIB = 65536;
const enlarged = new WeakSet<SqliteConnection>();

/**
 * Multi-row INSERTs through better-sqlite3's prepared statements, on the connection `knex` (or the
 * transaction it is) already holds, so the rows belong to the caller's transaction.
 */
export async function sqliteBulkInsert(knex: Knex, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const rowsPerStatement = Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / columns.length));
  const client = knex.client as { acquireConnection(): Promise<SqliteConnection>; releaseConnection(c: SqliteConnection): Promise<void> };
  const connection = await client.acquireConnection();
  if (!enlarged.has(connection)) {
    connection.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    enlarged.add(connection);
  }
  try {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      const values: unknown[] = [];
      for (const row of chunk) for (const column of columns) values.push(row[column]);
      statementFor(connection, table, columns, chunk.length).run(values);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

function statementFor(connection: SqliteConnection, table: string, columns: string[], rowCount: number): Statement {
  let cache = statementCache.get(connection);
  if (!cache) statementCache.set(connection, (cache = new Map()));
  const key = `${table}(${columns.join(',')})x${rowCount}`;
  let statement = cache.get(key);
  if (!statement) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const sql = `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) VALUES ${Array(rowCount).fill(tuple).join(',')}`;
    statement = connection.prepare(sql);
    cache.set(key, statement);
  }
  return statement;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
