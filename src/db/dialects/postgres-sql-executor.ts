import pg from 'pg';
import type { SqlExecutor, SqlSession, StatementOptions } from '../sql/sql-executor';
import { queryOn } from './postgres-statements';

/** Runs one query on some client: a connection of the pool for a statement, or the transaction's own. */
type OnClient = <T>(use: (client: pg.ClientBase) => Promise<T>) => Promise<T>;

function sessionOn(onClient: OnClient): SqlSession {
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
  const shared = sessionOn(pooled(pool));
  return {
    all: shared.all,
    values: shared.values,
    firstValues: shared.firstValues,
    run: shared.run,
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(sessionOn((use) => use(client)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: async () => undefined,
  };
}
