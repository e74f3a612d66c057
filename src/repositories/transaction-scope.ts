import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Code reached past the transaction it runs in: it called a unit of work's top-level
 * repositories from inside transaction(work), or kept a transaction's repositories after it
 * ended. A programming error, raised at once and the same way on every backend: left alone,
 * such a write would wait forever for the transaction holding SQLite's writer, and on
 * PostgreSQL would run on another connection that cannot see the transaction's own writes.
 */
export class TransactionScopeError extends Error {
  override readonly name = 'TransactionScopeError';
}

const TOP_LEVEL_INSIDE_TRANSACTION =
  "Top-level repositories (unitOfWork.repositories) were called inside a transaction on the same database. Inside transaction(work), use the repositories passed to work, or a service's joining(joinedUnitOfWork(repositories)).";
const NESTED =
  "transaction(work) was called inside a transaction on the same database. Join it explicitly: pass the repositories of the enclosing transaction on (a service's joining(joinedUnitOfWork(repositories))), or open the transaction one level up.";
const USED_AFTER_END =
  "A transaction's repositories were used after the transaction had ended. Use them only inside the work passed to transaction(work).";

/** What a transaction's repositories check before each call. */
export interface TransactionHandle {
  readonly open: boolean;
}

interface OpenTransaction {
  readonly scope: TransactionScope<unknown>;
  repositories: unknown;
  open: boolean;
  /** A transaction on another database that this one runs inside. */
  readonly outer: OpenTransaction | undefined;
}

const enclosingTransaction = new AsyncLocalStorage<OpenTransaction>();
let openTransactions = 0;

/**
 * Which transaction, if any, the running code is inside, per database: what lets a unit of work
 * refuse, at once, a top-level call or a second transaction made from inside a transaction (on
 * SQLite either would wait forever for the writer the transaction holds). Tracking needs async
 * hooks on every promise the process creates (on Node 20 they double the cost of an await, and
 * creates under load lost about 7% of their throughput to them), so it is a check for tests and
 * development, like an assertion: production runs without it (tracking false), and the storage
 * is only enabled while a transaction is open even when tracking.
 */
export class TransactionScope<Repositories> {
  constructor(private readonly tracking = true) {}

  /** The repositories of the enclosing transaction on this database, if the caller runs in one (when tracking). */
  current(): Repositories | undefined {
    if (openTransactions === 0) return undefined;
    // A disabled storage keeps no context, but on Node versions where contexts travel without
    // hooks a finished transaction's context can still be seen: `open` tells them apart.
    for (let transaction = enclosingTransaction.getStore(); transaction; transaction = transaction.outer) {
      if (transaction.open && transaction.scope === this) return transaction.repositories as Repositories;
    }
    return undefined;
  }

  /** The error for a top-level call, or undefined when the caller runs in no transaction here. */
  topLevelCallError(): TransactionScopeError | undefined {
    return this.current() === undefined ? undefined : new TransactionScopeError(TOP_LEVEL_INSIDE_TRANSACTION);
  }

  /** The error for a transaction opened inside one on this database, or undefined. */
  nestedTransactionError(): TransactionScopeError | undefined {
    return this.current() === undefined ? undefined : new TransactionScopeError(NESTED);
  }

  /**
   * Runs work as the transaction whose repositories `open` makes (given the handle they check):
   * every unit of work call made from inside work, however deep, sees them as current().
   */
  async run<T>(open: (handle: TransactionHandle) => Repositories, work: (repositories: Repositories) => Promise<T>): Promise<T> {
    if (!this.tracking) {
      const handle = { open: true };
      try {
        return await work(open(handle));
      } finally {
        handle.open = false;
      }
    }
    const outer = openTransactions === 0 ? undefined : enclosingTransaction.getStore();
    const transaction: OpenTransaction = { scope: this, repositories: undefined, open: true, outer };
    const repositories = open(transaction);
    transaction.repositories = repositories;
    openTransactions += 1;
    try {
      return await enclosingTransaction.run(transaction, () => work(repositories));
    } finally {
      transaction.open = false;
      openTransactions -= 1;
      if (openTransactions === 0) enclosingTransaction.disable();
    }
  }
}

/** The error for a call through a transaction's repositories after the transaction ended. */
export function endedTransactionError(handle: TransactionHandle): TransactionScopeError | undefined {
  return handle.open ? undefined : new TransactionScopeError(USED_AFTER_END);
}
