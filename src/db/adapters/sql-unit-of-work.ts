import type { Repositories, UnitOfWork } from '../../repositories/unit-of-work';
import type { Dialect } from '../dialects';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';
import { SqlClientRepository } from './sql-client.repository';
import { SqlExchangeRepository } from './sql-exchange.repository';
import { SqlIdempotencyRepository } from './sql-idempotency.repository';

function repositoriesOn(sql: SqlSession, dialect: Dialect): Repositories {
  return {
    clients: new SqlClientRepository(sql, dialect),
    exchanges: new SqlExchangeRepository(sql, dialect),
    idempotency: new SqlIdempotencyRepository(sql, dialect),
  };
}

export class SqlUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly dialect: Dialect,
  ) {
    this.repositories = repositoriesOn(sql, dialect);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.sql.transaction((session) => work(repositoriesOn(session, this.dialect)));
  }
}
