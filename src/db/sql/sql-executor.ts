/**
 * The SQL the repositories run, written once with `?` placeholders for both dialects and
 * executed without a query builder: the hot paths of the API are a handful of fixed statements,
 * and preparing them once is most of the difference between a fast API and a slow one.
 */
export interface SqlSession {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  all<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Executes a write; resolves with the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface SqlExecutor extends SqlSession {
  /** Runs work in one transaction on one connection: all of it commits, or none. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
