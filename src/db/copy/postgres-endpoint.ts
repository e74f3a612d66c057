import type pg from 'pg';
import type { CanonicalValue } from './canonical-row';
import type { TableReader, WriteSession } from './copy-endpoint';
import { quoteIdentifier as q } from '../sql/quote-identifier';
import { DatabaseEndpoint } from './database-endpoint';
import { PostgresBulkLoad } from './postgres-bulk-load';
import { copyOut, PostgresCopyIn } from './postgres-copy-stream';
import { batchOfLines, type RowBatch } from './row-batch';
import { primaryKeyPositions, type ColumnSpec, type TableSpec } from './table-specs';

// Fixed renderings for the text above, whatever the server's or the role's defaults.
const SESSION_SETTINGS = ["SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, YMD'"];

/** PostgreSQL side of a copy: a pg client borrowed from the database's pool for one transaction. */
export class PostgresEndpoint extends DatabaseEndpoint {
  readonly driver = 'postgres' as const;

  async withSnapshot<T>(fn: (reader: TableReader) => Promise<T>): Promise<T> {
    const { connection, release } = await this.acquire('postgres');
    try {
      // REPEATABLE READ: every batch sees the database as of the first statement, however long
      // the copy takes and whatever commits meanwhile.
      await connection.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      for (const statement of SESSION_SETTINGS) await connection.query(statement);
      // SET takes no snapshot; this does, so the view is fixed before fn runs, not at its first read.
      await connection.query('SELECT 1');
      return await fn(new PostgresTableReader(connection));
    } finally {
      await connection.query('ROLLBACK').catch(() => undefined);
      await release();
    }
  }

  async beginWrite(): Promise<WriteSession> {
    const { connection, release } = await this.acquire('postgres');
    try {
      await connection.query('BEGIN');
      for (const statement of SESSION_SETTINGS) await connection.query(statement);
      // Index builds at the end of the load sort in memory rather than on disk.
      await connection.query("SET LOCAL maintenance_work_mem = '256MB'");
    } catch (error) {
      await release();
      throw error;
    }
    return new PostgresWriteSession(connection, release);
  }
}

class PostgresTableReader implements TableReader {
  constructor(protected readonly client: pg.Client) {}

  async count(table: TableSpec): Promise<number> {
    const result = await this.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${q(table.name)}`);
    return Number(result.rows[0]?.n ?? 0);
  }

  /**
   * PostgreSQL writes the canonical lines itself (COPY TO in text format, timestamps formatted
   * explicitly), so Node only hashes bytes. The next keyset batch is asked for before this one is
   * handed on: the server prepares it while Node hashes or writes the current one.
   */
  async *batches(table: TableSpec, batchSize: number): AsyncIterable<RowBatch> {
    const kinds = table.columns.map((column) => column.kind);
    const keyPositions = primaryKeyPositions(table);
    const keyColumns = table.primaryKey.map((name) => orderExpression(table, name));
    const query = (after: CanonicalValue[] | null) =>
      `SELECT ${table.columns.map(canonicalExpression).join(', ')} FROM ${q(table.name)}` +
      (after ? ` WHERE (${keyColumns.join(', ')}) > (${after.map((value) => this.client.escapeLiteral(String(value))).join(', ')})` : '') +
      ` ORDER BY ${keyColumns.join(', ')} LIMIT ${batchSize}`;
    let pending = prefetch(copyOut(this.client, query(null)));
    for (;;) {
      const bytes = await pending;
      if (bytes.length === 0) return;
      const batch = batchOfLines(bytes, kinds, keyPositions);
      const more = batch.count >= batchSize;
      if (more) pending = prefetch(copyOut(this.client, query(batch.lastKey())));
      yield batch;
      if (!more) return;
    }
  }
}

/** A query started ahead of need: if nobody comes for it (an error upstream), it must not crash the process. */
function prefetch<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The column as its canonical text: ISO-8601 UTC with milliseconds for timestamps, as is otherwise. */
function canonicalExpression(column: ColumnSpec): string {
  return column.kind === 'timestamp' ? `to_char(${q(column.name)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : q(column.name);
}

/**
 * Text keys are ordered byte by byte ("C"), as SQLite's BINARY collation orders them, so both
 * sides walk a table in the same order and their checksums can be compared; uuid order is
 * already byte order.
 */
function orderExpression(table: TableSpec, name: string): string {
  const column = table.columns.find((candidate) => candidate.name === name) as ColumnSpec;
  return column.kind === 'text' ? `${q(name)} COLLATE "C"` : q(name);
}

class PostgresWriteSession extends PostgresTableReader implements WriteSession {
  private readonly bulkLoad: PostgresBulkLoad;
  private copy: { table: string; stream: PostgresCopyIn } | null = null;
  private ended = false;

  constructor(
    client: pg.Client,
    private readonly release: () => Promise<void>,
  ) {
    super(client);
    this.bulkLoad = new PostgresBulkLoad(client);
  }

  async truncate(tables: readonly TableSpec[]): Promise<void> {
    await this.client.query(`TRUNCATE ${tables.map((table) => q(table.name)).join(', ')}`);
  }

  beginLoad(tables: readonly TableSpec[]): Promise<void> {
    return this.bulkLoad.setAside(tables.map((table) => table.name));
  }

  async write(table: TableSpec, batch: RowBatch): Promise<void> {
    if (this.copy?.table !== table.name) {
      if (this.copy) await this.copy.stream.end();
      this.copy = { table: table.name, stream: new PostgresCopyIn(this.client, table) };
    }
    await this.copy.stream.write(batch);
  }

  async endTable(table: TableSpec): Promise<void> {
    if (this.copy?.table !== table.name) return;
    const { stream } = this.copy;
    this.copy = null;
    await stream.end();
  }

  finishLoad(): Promise<void> {
    return this.bulkLoad.putBack();
  }

  async commit(): Promise<void> {
    if (this.ended) throw new Error('the copy session has already ended');
    this.ended = true;
    try {
      await this.client.query('COMMIT');
    } finally {
      await this.release();
    }
  }

  /** Ends the transaction without keeping anything; a no-op once the session has ended. */
  async rollback(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      await this.client.query('ROLLBACK');
    } catch {
      // A broken connection has rolled back by itself (the server ends its transaction).
    } finally {
      await this.release();
    }
  }
}
