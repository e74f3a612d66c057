import type Database from 'better-sqlite3';
import { openSqliteConnection, type SqliteSettings } from '../connections/sqlite-connection';
import type { SqlExecutor, SqlSession, TransactionOptions } from '../sql/sql-executor';
import { GroupCommitWriter } from './sqlite-group-commit';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * One connection and its prepared statements, compiled once per distinct SQL text and row
 * shape: raw (array) mode is a flag of a better-sqlite3 statement, so each mode has its own.
 */
class PreparedConnection implements SqlSession {
  private readonly statements = new Map<string, Statement>();
  private readonly rawStatements = new Map<string, Statement>();
  constructor(readonly db: Database.Database) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private prepareRaw(sql: string): Statement {
    let statement = this.rawStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, statement);
    }
    return statement;
  }

  async all<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.prepare(sql).all(...params) as Row[];
  }

  async values(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    return this.prepareRaw(sql).all(...params) as unknown[][];
  }

  async firstValues(sql: string, params: readonly unknown[] = []): Promise<unknown[] | undefined> {
    return this.prepareRaw(sql).get(...params) as unknown[] | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const statement = this.prepare(sql);
    // RETURNING makes a write a reader; better-sqlite3 wants .all() for those.
    if (statement.reader) return statement.all(...params).length;
    return statement.run(...params).changes;
  }

  /** The session of an open transaction: work is part of it. */
  atomically<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/**
 * A writer and a reader connection. WAL lets the reader see every committed write and never an
 * uncommitted one, so reads need no lock and never wait behind a transaction; writes and
 * transactions take turns on the writer, and those that queue together commit together
 * (GroupCommitWriter).
 */
export function createSqliteSqlExecutor(path: string, settings: SqliteSettings): SqlExecutor {
  // The writer first: it creates the file and the WAL the read-only connection relies on.
  const writer = new PreparedConnection(openSqliteConnection(path, settings));
  const reader = new PreparedConnection(openSqliteConnection(path, settings, true));
  const writes = new GroupCommitWriter(writer.db, writer);
  const transaction = <T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T> =>
    writes.submit(work, options?.long === true);

  return {
    all: (sql, params) => reader.all(sql, params),
    values: (sql, params) => reader.values(sql, params),
    firstValues: (sql, params) => reader.firstValues(sql, params),
    run: (sql, params) => writes.submit((session) => session.run(sql, params)),
    transaction,
    atomically: (work) => transaction(work),
    async close() {
      // Every write queued before this one is committed first; nothing runs in the batch after it.
      await writes.submit(async () => undefined);
      reader.db.close();
      writer.db.pragma('wal_checkpoint(TRUNCATE)');
      writer.db.close();
    },
  };
}
