import type { Knex } from 'knex';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

function sessionOn(db: Knex): SqlSession {
  return {
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return ((await db.raw(sql, params as Knex.RawBinding[])) as PgResult).rows as Row[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return ((await db.raw(sql, params as Knex.RawBinding[])) as PgResult).rowCount ?? 0;
    },
  };
}

/**
 * PostgreSQL through Knex's pool: knex.raw turns `?` into `$n` and a network round trip
 * dominates the cost, so the query builder's overhead is what is avoided here.
 */
export function createPostgresSqlExecutor(knex: Knex): SqlExecutor {
  const pool = sessionOn(knex);
  return {
    all: pool.all,
    run: pool.run,
    transaction: (work) => knex.transaction((trx) => work(sessionOn(trx))),
    // The pool belongs to the Knex instance, closed with it.
    close: async () => undefined,
  };
}
