import type { ClientRepository } from './client.repository';
import type { DuplicatesRepository } from './duplicates.repository';
import type { ExchangeRepository } from './exchange.repository';
import type { HistoryRepository } from './history.repository';
import type { IdempotencyRepository } from './idempotency.repository';
import type { TrashRepository } from './trash.repository';
import type { WebhookRepository } from './webhook.repository';

export interface Repositories {
  readonly clients: ClientRepository;
  readonly exchanges: ExchangeRepository;
  readonly idempotency: IdempotencyRepository;
  readonly history: HistoryRepository;
  readonly trash: TrashRepository;
  readonly webhooks: WebhookRepository;
  readonly duplicates: DuplicatesRepository;
}

/**
 * Each repository write is atomic by itself (a record and the rows depending on it);
 * transaction(work) combines several: work runs against repositories that share one
 * transaction, all of it commits or none. Transactions on one store never see each other's
 * uncommitted writes. A use case that runs inside another one's transaction joins it
 * explicitly, through joinedUnitOfWork (a service's joining(uow)); a second
 * transaction(...) opened inside one is refused (TransactionScopeError) where the scope is
 * tracked, in tests and development.
 */
export interface UnitOfWork {
  /**
   * Autocommit access, for reads and single writes (each atomic) outside any transaction. Called
   * from inside a transaction on the same store, they throw TransactionScopeError.
   */
  readonly repositories: Repositories;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

/**
 * A unit of work inside an open transaction: its transaction(work) runs work on that
 * transaction's repositories, so it commits or rolls back with it (no savepoint).
 */
export function joinedUnitOfWork(repositories: Repositories): UnitOfWork {
  return { repositories, transaction: (work) => work(repositories) };
}
