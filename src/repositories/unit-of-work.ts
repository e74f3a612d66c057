import type { ClientRepository } from './client.repository';
import type { ExchangeRepository } from './exchange.repository';
import type { IdempotencyRepository } from './idempotency.repository';

export interface Repositories {
  readonly clients: ClientRepository;
  readonly exchanges: ExchangeRepository;
  readonly idempotency: IdempotencyRepository;
}

/**
 * The one way to write: transaction(work) runs work against repositories that share one
 * transaction, all of it commits or none. Called inside a transaction on the same store, it
 * joins that transaction (no savepoint), so use cases that each open one compose into one.
 * Transactions on one store never see each other's uncommitted writes.
 */
export interface UnitOfWork {
  /**
   * Autocommit access, for reads and single-statement work outside any transaction. Called
   * from inside a transaction on the same store, they throw TransactionScopeError.
   */
  readonly repositories: Repositories;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
