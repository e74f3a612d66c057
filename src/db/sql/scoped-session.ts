import type { TransactionScopeError } from '../../repositories/transaction-scope';
import type { SqlSession, StatementOptions } from './sql-executor';

/**
 * A session that first asks `refusal` whether this call may run, and rejects with its error if
 * not. It wraps the read path of the API, so the check is one function call and, outside
 * transactions, one counter test (see TransactionScope).
 */
export function checkedSession(session: SqlSession, refusal: () => TransactionScopeError | undefined): SqlSession {
  const inserts = session.concurrentInserts;
  const lookups = session.concurrentLookups;
  return {
    all<Row>(sql: string, params?: readonly unknown[], options?: StatementOptions) {
      const error = refusal();
      return error ? Promise.reject(error) : session.all<Row>(sql, params, options);
    },
    values(sql, params, options) {
      const error = refusal();
      return error ? Promise.reject(error) : session.values(sql, params, options);
    },
    firstValues(sql, params, options) {
      const error = refusal();
      return error ? Promise.reject(error) : session.firstValues(sql, params, options);
    },
    run(sql, params, options) {
      const error = refusal();
      return error ? Promise.reject(error) : session.run(sql, params, options);
    },
    atomically(work) {
      const error = refusal();
      return error ? Promise.reject(error) : session.atomically(work);
    },
    ...(inserts && {
      concurrentInserts: {
        apply(write) {
          const error = refusal();
          return error ? Promise.reject(error) : inserts.apply(write);
        },
      },
    }),
    ...(lookups && {
      concurrentLookups: {
        find(lookup, key) {
          const error = refusal();
          return error ? Promise.reject(error) : lookups.find(lookup, key);
        },
        list(list, params) {
          const error = refusal();
          return error ? Promise.reject(error) : lookups.list(list, params);
        },
      },
    }),
  };
}
