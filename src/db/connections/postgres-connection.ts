import pg from 'pg';
import type { Config } from '../../config/config';

/**
 * Render's internal database URL needs no TLS; its external URL does. The URL's sslmode wins
 * when DATABASE_SSL is auto, as libpq users expect.
 */
function postgresSsl(url: string, setting: Config['database']['ssl']): false | { rejectUnauthorized: boolean } {
  if (setting === 'true') return { rejectUnauthorized: true };
  if (setting === 'no-verify') return { rejectUnauthorized: false };
  if (setting === 'false') return false;
  let mode: string | null = null;
  try {
    mode = new URL(url).searchParams.get('sslmode');
  } catch {
    return false;
  }
  if (mode === 'verify-full' || mode === 'verify-ca') return { rejectUnauthorized: true };
  if (mode === 'require' || mode === 'prefer') return { rejectUnauthorized: false };
  return false;
}

/**
 * The settings of every connection to the database, whoever opens it. pg lets sslmode in the
 * connection string override the ssl option (and reads "require" as verify-full), so the URL
 * goes in without it and the decision made above stands.
 */
export function postgresClientConfig(url: string, ssl: Config['database']['ssl']): pg.ClientConfig {
  const parsed = new URL(url);
  parsed.searchParams.delete('sslmode');
  return { connectionString: parsed.toString(), ssl: postgresSsl(url, ssl) };
}

/**
 * DATABASE_POOL_MAX bounds what one instance opens in all. Knex (migrations, health's migration
 * status, export and operator tools) holds at most one connection, opened on demand and closed
 * when idle; the API's pool, which the tools that drive pg directly also borrow from, has the rest.
 */
export const KNEX_CONNECTIONS = 1;

export function apiPoolSize(poolMax: number): number {
  return Math.max(1, poolMax - KNEX_CONNECTIONS);
}

export function createPostgresPool(config: pg.ClientConfig, max: number): pg.Pool {
  const pool = new pg.Pool({ ...config, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
