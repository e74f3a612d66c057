import pg from 'pg';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/** `?` placeholders (the repositories' portable form) -> `$1, $2, ...`, computed once per SQL text. */
const numbered = new Map<string, string>();
function toNumbered(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let index = 0;
    text = sql.replace(/\?/g, () => `$${(index += 1)}`);
    numbered.set(sql, text);
  }
  return text;
}

function sessionOn(db: Queryable): SqlSession {
  return {
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return (await db.query(toNumbered(sql), params as unknown[])).rows as Row[];
    },
    async values(sql: string, params: readonly unknown[] = []) {
      return (await db.query({ text: toNumbered(sql), values: params as unknown[], rowMode: 'array' })).rows;
    },
    async firstValues(sql: string, params: readonly unknown[] = []) {
      return (await db.query({ text: toNumbered(sql), values: params as unknown[], rowMode: 'array' })).rows[0];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return (await db.query(toNumbered(sql), params as unknown[])).rowCount ?? 0;
    },
  };
}

/**
 * The API's statements go straight to a pg Pool: a network round trip dominates each query,
 * and Knex's query runner (kept for migrations and tools) would add as much again. The pool
 * belongs to the connection factory, which closes it.
 */
export function createPostgresSqlExecutor(pool: pg.Pool): SqlExecutor {
  const shared = sessionOn(pool);
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
        const result = await work(sessionOn(client));
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
