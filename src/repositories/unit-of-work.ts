import type { ClientRepository } from './client.repository';
import type { ExchangeRepository } from './exchange.repository';
import type { IdempotencyRepository } from './idempotency.repository';

export interface Repositories {
  readonly clients: ClientRepository;
  readonly exchanges: ExchangeRepository;
  readonly idempotency: IdempotencyRepository;
}

/** Runs work against repositories that share one transaction: all of it commits, or none. */
export interface UnitOfWork {
  readonly repositories: Repositories;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
