import { endedTransactionError, TransactionScope, type TransactionHandle } from '../transaction-scope';
import type { Repositories, UnitOfWork } from '../unit-of-work';
import { InMemoryClientRepository } from './in-memory-client.repository';
import { InMemoryDuplicatesRepository } from './in-memory-duplicates.repository';
import { InMemoryExchangeRepository } from './in-memory-exchange.repository';
import { InMemoryHistoryRepository } from './in-memory-history.repository';
import { InMemoryIdempotencyRepository } from './in-memory-idempotency.repository';
import { InMemoryTrashRepository } from './in-memory-trash.repository';
import { InMemoryWebhookRepository } from './in-memory-webhook.repository';
import { MemoryTables, type MemoryAccess } from './memory-tables';

function repositoriesOn(tables: MemoryAccess): Repositories {
  return {
    clients: new InMemoryClientRepository(tables),
    exchanges: new InMemoryExchangeRepository(tables),
    idempotency: new InMemoryIdempotencyRepository(tables),
    history: new InMemoryHistoryRepository(tables),
    trash: new InMemoryTrashRepository(tables),
    webhooks: new InMemoryWebhookRepository(tables),
    duplicates: new InMemoryDuplicatesRepository(tables),
  };
}

/** Transactions and top-level writes take turns, first come first served, as on SQLite's one writer. */
class Turns {
  private last: Promise<unknown> = Promise.resolve();

  take<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.last.then(work, work);
    this.last = turn.catch(() => undefined);
    return turn;
  }
}

/**
 * The repository ports in memory, with the SQL adapters' semantics (the same contract suite
 * runs on all of them): a fast tier for the services' unit tests. Reads see committed data
 * only; a transaction works on a copy of the tables and swaps it in when work succeeds, so a
 * failure leaves nothing behind. Transactions are serialised. A transaction(work) or a
 * top-level repository call made inside a transaction is refused (TransactionScopeError),
 * exactly as SqlUnitOfWork does.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;
  private committed = new MemoryTables();
  private readonly scope = new TransactionScope<Repositories>();
  private readonly turns = new Turns();

  constructor() {
    const refuse = () => this.scope.topLevelCallError();
    this.repositories = repositoriesOn({
      read: () => {
        const error = refuse();
        if (error) throw error;
        return this.committed;
      },
      write: (change) => {
        const error = refuse();
        return error ? Promise.reject(error) : this.turns.take(async () => change(this.committed));
      },
    });
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const nested = this.scope.nestedTransactionError();
    if (nested) return Promise.reject(nested);
    return this.turns.take(async () => {
      const draft = this.committed.copy();
      const result = await this.scope.run((handle) => repositoriesOn(draftAccess(draft, handle)), work);
      this.committed = draft;
      return result;
    });
  }
}

function draftAccess(draft: MemoryTables, handle: TransactionHandle): MemoryAccess {
  const open = () => {
    const error = endedTransactionError(handle);
    if (error) throw error;
    return draft;
  };
  return {
    read: open,
    write: async (change) => change(open()),
  };
}
