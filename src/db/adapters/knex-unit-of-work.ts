import type { Knex } from 'knex';
import type { Repositories, UnitOfWork } from '../../repositories/unit-of-work';
import type { Dialect } from '../dialects';
import { KnexClientRepository } from './knex-client.repository';
import { KnexExchangeRepository } from './knex-exchange.repository';
import { KnexIdempotencyRepository } from './knex-idempotency.repository';

function repositoriesOn(db: Knex, dialect: Dialect): Repositories {
  return {
    clients: new KnexClientRepository(db, dialect),
    exchanges: new KnexExchangeRepository(db, dialect),
    idempotency: new KnexIdempotencyRepository(db, dialect),
  };
}

export class KnexUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;

  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
  ) {
    this.repositories = repositoriesOn(knex, dialect);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.knex.transaction((trx) => work(repositoriesOn(trx, this.dialect)));
  }
}
