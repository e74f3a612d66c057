import type { TransactionScopeError } from '../../repositories/transaction-scope';
import type { SqlSession } from './sql-executor';

/**
 * A session that first asks `refusal` whether this call may run, and rejects with its error if
 * not. It wraps the read path of the API, so the check is one function call and, outside
 * transactions, one counter test (see TransactionScope).
 */
export function checkedSession(session: SqlSession, refusal: () => TransactionScopeError | undefined): SqlSession {
  return {
    all<Row>(sql: string, params?: readonly unknown[]) {
      const error = refusal();
      return error ? Promise.reject(error) : session.all<Row>(sql, params);
    },
    values(sql, params) {
      const error = refusal();
      return error ? Promise.reject(error) : session.values(sql, params);
    },
    firstValues(sql, params) {
      const error = refusal();
      return error ? Promise.reject(error) : session.firstValues(sql, params);
    },
    run(sql, params) {
      const error = refusal();
      return error ? Promise.reject(error) : session.run(sql, params);
    },
  };
}
