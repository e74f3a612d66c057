import { apiPoolSize, postgresClientConfig } from '../../src/db/connections/postgres-connection';

const URL_WITH = (mode: string) => `postgres://u:secret@db.example:5432/crm?sslmode=${mode}`;

describe('PostgreSQL connection settings', () => {
  it('follows sslmode in the URL when DATABASE_SSL is auto, and takes sslmode out of the URL pg sees', () => {
    expect(postgresClientConfig(URL_WITH('require'), 'auto')).toEqual({
      connectionString: 'postgres://u:secret@db.example:5432/crm',
      ssl: { rejectUnauthorized: false },
    });
    expect(postgresClientConfig(URL_WITH('verify-full'), 'auto').ssl).toEqual({ rejectUnauthorized: true });
    expect(postgresClientConfig(URL_WITH('disable'), 'auto').ssl).toBe(false);
    expect(postgresClientConfig('postgres://u@internal-host/crm', 'auto').ssl).toBe(false);
  });

  it('lets DATABASE_SSL override the URL', () => {
    expect(postgresClientConfig(URL_WITH('disable'), 'true').ssl).toEqual({ rejectUnauthorized: true });
    expect(postgresClientConfig(URL_WITH('verify-full'), 'no-verify').ssl).toEqual({ rejectUnauthorized: false });
    expect(postgresClientConfig(URL_WITH('require'), 'false').ssl).toBe(false);
  });

  it('leaves the API at least one connection, and Knex one, out of DATABASE_POOL_MAX', () => {
    expect(apiPoolSize(10)).toBe(9);
    expect(apiPoolSize(2)).toBe(1);
    expect(apiPoolSize(1)).toBe(1);
  });
});
