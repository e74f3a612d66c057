import type { ConcurrentInserts } from './compound-write';
import type { ConcurrentLookups } from './key-lookup';

/**
 * The SQL the repositories run, written once with `?` placeholders for both dialects and
 * executed without a query builder: the hot paths of the API are a handful of fixed statements,
 * and preparing them once is most of the difference between a fast API and a slow one.
 */
/** What the caller knows of a statement that the executor may use. */
export interface StatementOptions {
  /**
   * The text is one of a small fixed set, and one plan serves every value it is given (an id, a
   * cursor position; not a LIKE pattern or a date range whose best index depends on the value):
   * PostgreSQL keeps it prepared under a name on each connection instead of parsing and planning
   * it on every call. SQLite prepares every statement anyway.
   */
  readonly reusable?: boolean;
}

export interface SqlSession {
  /** Rows of a SELECT (or of a statement with RETURNING), as objects keyed by column name. */
  all<Row>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<Row[]>;
  /**
   * Rows as arrays of column values in select-list order. The read paths of the API use this:
   * a driver builds an array much faster than an object keyed by column names (measured: a
   * 21-row timeline on better-sqlite3 in 89 µs instead of 118 µs), and the row is mapped to a
   * domain object anyway.
   */
  values(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<unknown[][]>;
  /** The first row of values(), or undefined; SQLite stops stepping after it. */
  firstValues(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<unknown[] | undefined>;
  /** Executes a write; resolves with the number of rows changed. */
  run(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<number>;
  /**
   * Runs work so that its statements apply all or none: in a transaction of its own from the
   * executor, as part of the open transaction from a transaction's session.
   */
  atomically<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Present outside transactions on a database that writes concurrent inserts together. */
  readonly concurrentInserts?: ConcurrentInserts;
  /** Present outside transactions on a database that reads concurrent lookups by key together. */
  readonly concurrentLookups?: ConcurrentLookups;
}

/** What the caller knows of a transaction that the executor may use. */
export interface TransactionOptions {
  /**
   * A long transaction (an import's thousands of rows). SQLite commits it on its own, not with
   * the writes queued beside it (group commit), so their answers never wait for its end.
   */
  readonly long?: boolean;
}

export interface SqlExecutor extends SqlSession {
  /** Runs work in one transaction on one connection: all of it commits, or none. */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
