import type { Knex } from 'knex';
import type pg from 'pg';
import type { Config } from '../../config/config';
import { createPostgresSqlExecutor } from '../dialects/postgres-sql-executor';
import type { Connections } from './connections';
import { apiPoolSize, createPostgresPool, KNEX_CONNECTIONS, postgresClientConfig } from './postgres-connection';

/**
 * PostgreSQL: one pool for the API's statements and the copy's sessions, and Knex's own pool
 * of one; together at most DATABASE_POOL_MAX connections (postgres-connection.ts).
 */
export function postgresConnections(url: string, database: Pick<Config['database'], 'ssl' | 'poolMax'>): Connections {
  const config = postgresClientConfig(url, database.ssl);
  let pool: pg.Pool | undefined;
  const sharedPool = () => (pool ??= createPostgresPool(config, apiPoolSize(database.poolMax)));
  return {
    knexConfig: {
      client: 'pg',
      connection: config as Knex.PgConnectionConfig,
      pool: { min: 0, max: KNEX_CONNECTIONS },
      acquireConnectionTimeout: 10000,
    },
    createExecutor: () => createPostgresSqlExecutor(sharedPool()),
    async connect() {
      const connection = await sharedPool().connect();
      return { driver: 'postgres', connection, release: async () => connection.release() };
    },
    async close() {
      const open = pool;
      pool = undefined;
      await open?.end();
    },
  };
}
