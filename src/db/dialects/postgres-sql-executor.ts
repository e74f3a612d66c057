import pg from 'pg';
import type { SqlExecutor, SqlSession, StatementOptions } from '../sql/sql-executor';
import { PostgresInsertBatcher } from './postgres-insert-batcher';
import { PostgresKeyLookups } from './postgres-key-lookups';
import { queryOn } from './postgres-statements';

/** Runs one query on some client: a connection of the pool for a statement, or the transaction's own. */
type OnClient = <T>(use: (client: pg.ClientBase) => Promise<T>) => Promise<T>;

/** A session over onClient; `atomically` is the executor's transaction, or work itself inside one. */
function sessionOn(onClient: OnClient, atomically: SqlSession['atomically']): SqlSession {
  const query = (sql: string, params: readonly unknown[], options: StatementOptions | undefined) =>
    onClient((client) => client.query(queryOn(client, sql, params, options, undefined)));
  const queryArrays = (sql: string, params: readonly unknown[], options: StatementOptions | undefined) =>
    onClient((client) => client.query(queryOn(client, sql, params, options, 'array')) as Promise<pg.QueryArrayResult>);
  return {
    async all<Row>(sql: string, params: readonly unknown[] = [], options?: StatementOptions) {
      return (await query(sql, params, options)).rows as Row[];
    },
    async values(sql, params = [], options) {
      return (await queryArrays(sql, params, options)).rows;
    },
    async firstValues(sql, params = [], options) {
      return (await queryArrays(sql, params, options)).rows[0];
    },
    async run(sql, params = [], options) {
      return (await query(sql, params, options)).rowCount ?? 0;
    },
    atomically,
  };
}

/**
 * A pooled connection for one statement, as pool.query would take, except that an error the
 * server reported (a constraint, a bad value) leaves the connection in the pool with its
 * prepared statements; only a broken connection is discarded.
 */
function pooled(pool: pg.Pool): OnClient {
  return async (use) => {
    const client = await pool.connect();
    try {
      const result = await use(client);
      client.release();
      return result;
    } catch (error) {
      client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
      throw error;
    }
  };
}

/**
 * The API's statements go straight to a pg Pool: a network round trip dominates each query,
 * and Knex's query runner (kept for migrations and tools) would add as much again. The pool
 * belongs to the connection factory, which closes it.
 */
export function createPostgresSqlExecutor(pool: pg.Pool): SqlExecutor {
  async function transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const session: SqlSession = sessionOn(
        (use) => use(client),
        (inner) => inner(session),
      );
      const result = await work(session);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is discarded, not returned to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }
  const outside = sessionOn(pooled(pool), transaction);
  // Creates and reads by id outside a transaction share statements when they come together; a
  // transaction's own session sends each as it comes.
  return {
    ...outside,
    concurrentInserts: new PostgresInsertBatcher(outside),
    concurrentLookups: new PostgresKeyLookups(outside),
    transaction,
    close: async () => undefined,
  };
}
