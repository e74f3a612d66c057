import type BetterSqlite3 from 'better-sqlite3';
import { rowCanonicaliser } from './canonical-row';
import type { TableReader, WriteSession } from './copy-endpoint';
import { multiRowInsertSql, rowsPerInsert } from '../sql/multi-row-insert';
import { quoteIdentifier as q } from '../sql/quote-identifier';
import { DatabaseEndpoint } from './database-endpoint';
import { batchOfRows, type RowBatch } from './row-batch';
import { primaryKeyPositions, type TableSpec } from './table-specs';

type Connection = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

// A bulk load touches index pages all over the file; a larger page cache keeps them in memory.
const LOAD_CACHE_KIB = 65536;

/** SQLite side of a copy: a better-sqlite3 connection of its own per snapshot or session. */
export class SqliteEndpoint extends DatabaseEndpoint {
  readonly driver = 'sqlite' as const;

  async withSnapshot<T>(fn: (reader: TableReader) => Promise<T>): Promise<T> {
    const { connection, release } = await this.acquire('sqlite');
    try {
      // query_only: a source is never written to, whatever goes wrong below.
      connection.pragma('query_only = ON');
      connection.exec('BEGIN');
      // In WAL mode the first read fixes the transaction's snapshot: from here on, commits by the
      // running server are invisible to this connection until the transaction ends.
      connection.prepare('SELECT count(*) FROM sqlite_master').get();
      return await fn(new SqliteTableReader(connection));
    } finally {
      if (connection.inTransaction) connection.exec('ROLLBACK');
      await release();
    }
  }

  async beginWrite(): Promise<WriteSession> {
    const { connection, release } = await this.acquire('sqlite');
    try {
      connection.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
      // IMMEDIATE: take the write lock now rather than fail on the first insert.
      connection.exec('BEGIN IMMEDIATE');
    } catch (error) {
      await release();
      throw error;
    }
    return new SqliteWriteSession(connection, release);
  }
}

class SqliteTableReader implements TableReader {
  constructor(protected readonly connection: Connection) {}

  async count(table: TableSpec): Promise<number> {
    const row = this.connection.prepare(`SELECT count(*) AS n FROM ${q(table.name)}`).get() as { n: number };
    return row.n;
  }

  async *batches(table: TableSpec, batchSize: number): AsyncIterable<RowBatch> {
    const columns = table.columns.map((column) => q(column.name)).join(', ');
    const key = table.primaryKey.map(q).join(', ');
    const select = `SELECT ${columns} FROM ${q(table.name)}`;
    // Keyset on the primary key (BINARY collation: UTF-8 byte order, as PostgreSQL's "C").
    const first = this.connection.prepare(`${select} ORDER BY ${key} LIMIT ?`).raw(true);
    const next = this.connection
      .prepare(`${select} WHERE (${key}) > (${table.primaryKey.map(() => '?').join(', ')}) ORDER BY ${key} LIMIT ?`)
      .raw(true);
    const keyPositions = primaryKeyPositions(table);
    const canonical = rowCanonicaliser(table.columns.map((column) => column.kind));
    let rows = first.all(batchSize) as unknown[][];
    while (rows.length > 0) {
      const batch = batchOfRows(rows.map(canonical), keyPositions);
      yield batch;
      if (rows.length < batchSize) return;
      rows = next.all(...batch.lastKey(), batchSize) as unknown[][];
    }
  }
}

class SqliteWriteSession extends SqliteTableReader implements WriteSession {
  private readonly inserts = new Map<string, Statement>();
  private rebuild: string[] = [];
  private ended = false;

  constructor(
    connection: Connection,
    private readonly release: () => Promise<void>,
  ) {
    super(connection);
  }

  async truncate(tables: readonly TableSpec[]): Promise<void> {
    for (const table of [...tables].reverse()) this.connection.prepare(`DELETE FROM ${q(table.name)}`).run();
  }

  /**
   * Secondary indexes are dropped for the load and rebuilt once at the end, inside the same
   * transaction (SQLite DDL is transactional, so a killed copy restores them): one sort per index
   * instead of a million random B-tree inserts. Primary keys and foreign keys stay in force.
   */
  async beginLoad(tables: readonly TableSpec[]): Promise<void> {
    const names = tables.map((table) => table.name);
    const indexes = this.connection
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${names.map(() => '?').join(', ')})`,
      )
      .all(...names) as Array<{ name: string; sql: string }>;
    for (const index of indexes) this.connection.exec(`DROP INDEX ${q(index.name)}`);
    this.rebuild = indexes.map((index) => index.sql);
  }

  async write(table: TableSpec, batch: RowBatch): Promise<void> {
    const rows = batch.rows();
    const perStatement = rowsPerInsert(table.columns.length);
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      // Canonical values are what this app stores on SQLite (timestamps as ISO text).
      this.insertFor(table, chunk.length).run(chunk.flat());
    }
  }

  async endTable(): Promise<void> {}

  async finishLoad(): Promise<void> {
    for (const sql of this.rebuild.splice(0)) this.connection.exec(sql);
  }

  async commit(): Promise<void> {
    if (this.ended) throw new Error('the copy session has already ended');
    try {
      this.connection.exec('COMMIT');
    } finally {
      await this.end();
    }
  }

  /** Ends the transaction without keeping anything; a no-op once the session has ended. */
  async rollback(): Promise<void> {
    if (this.ended) return;
    try {
      if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
    } finally {
      await this.end();
    }
  }

  private async end(): Promise<void> {
    this.ended = true;
    this.inserts.clear();
    await this.release();
  }

  private insertFor(table: TableSpec, rowCount: number): Statement {
    const cacheKey = `${table.name}x${rowCount}`;
    let statement = this.inserts.get(cacheKey);
    if (!statement) {
      statement = this.connection.prepare(
        multiRowInsertSql(
          table.name,
          table.columns.map((column) => column.name),
          rowCount,
        ),
      );
      this.inserts.set(cacheKey, statement);
    }
    return statement;
  }
}
