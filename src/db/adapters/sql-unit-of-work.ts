import { endedTransactionError, TransactionScope } from '../../repositories/transaction-scope';
import type { Repositories, UnitOfWork } from '../../repositories/unit-of-work';
import type { Dialect } from '../dialects';
import { checkedSession } from '../sql/scoped-session';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';
import { SqlClientRepository } from './sql-client.repository';
import { SqlDuplicatesRepository } from './sql-duplicates.repository';
import { SqlExchangeRepository } from './sql-exchange.repository';
import { SqlHistoryRepository } from './sql-history.repository';
import { SqlIdempotencyRepository } from './sql-idempotency.repository';
import { SqlTrashRepository } from './sql-trash.repository';
import { SqlWebhookRepository } from './sql-webhook.repository';

function repositoriesOn(sql: SqlSession, dialect: Dialect): Repositories {
  return {
    clients: new SqlClientRepository(sql, dialect),
    exchanges: new SqlExchangeRepository(sql, dialect),
    idempotency: new SqlIdempotencyRepository(sql, dialect),
    history: new SqlHistoryRepository(sql, dialect),
    trash: new SqlTrashRepository(sql, dialect),
    webhooks: new SqlWebhookRepository(sql, dialect),
    duplicates: new SqlDuplicatesRepository(sql, dialect),
  };
}

interface DatabaseScope {
  readonly scope: TransactionScope<Repositories>;
  /** The executor's autocommit statements, refused inside one of its transactions. */
  readonly topLevel: SqlSession;
}

/**
 * One scope per database (executor), whatever the number of units of work built on it: a
 * transaction begun through one of them is the current one for all of them.
 */
const scopes = new WeakMap<SqlExecutor, DatabaseScope>();

function scopeOf(sql: SqlExecutor, tracking: boolean): DatabaseScope {
  let found = scopes.get(sql);
  if (!found) {
    const scope = new TransactionScope<Repositories>(tracking);
    found = { scope, topLevel: checkedSession(sql, () => scope.topLevelCallError()) };
    scopes.set(sql, found);
  }
  return found;
}

/**
 * Repositories over the SQL executor. A use case inside another's transaction joins it
 * explicitly (joinedUnitOfWork). Where the scope is checked, a transaction(work) or a top-level
 * repository call made inside a transaction on the same database is refused
 * (TransactionScopeError): on SQLite it would wait for the writer this transaction holds,
 * forever; on PostgreSQL it would run on another connection, blind to this transaction's writes.
 */
export class SqlUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;
  private readonly scope: TransactionScope<Repositories>;

  /**
   * checkTransactionScope: refuse top-level calls and nested transactions made inside a
   * transaction (see TransactionScope for its cost); on in tests and development. The first
   * unit of work built on an executor decides for it.
   */
  constructor(
    private readonly sql: SqlExecutor,
    private readonly dialect: Dialect,
    { checkTransactionScope = true }: { checkTransactionScope?: boolean } = {},
  ) {
    const { scope, topLevel } = scopeOf(sql, checkTransactionScope);
    this.scope = scope;
    this.repositories = repositoriesOn(topLevel, dialect);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const nested = this.scope.nestedTransactionError();
    if (nested) return Promise.reject(nested);
    return this.sql.transaction((session) =>
      this.scope.run(
        (handle) =>
          repositoriesOn(
            checkedSession(session, () => endedTransactionError(handle)),
            this.dialect,
          ),
        work,
      ),
    );
  }
}
