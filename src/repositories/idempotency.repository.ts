/** A response kept so that a retried POST gets the same answer. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly location: string | null;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly response: StoredResponse;
}

export interface IdempotencyRepository {
  /**
   * Claims (scope, key) for this request inside the current transaction. Returns false when
   * another request already holds it (committed); waits while a concurrent one is in flight.
   */
  claim(scope: string, key: string, requestHash: string, expiresAt: string): Promise<boolean>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  find(scope: string, key: string, now: string): Promise<IdempotencyRecord | null>;
  deleteExpired(now: string): Promise<number>;
}
