import { IdempotencyConflictError } from '../domain/errors';
import { joinedUnitOfWork, type UnitOfWork } from '../repositories/unit-of-work';
import type { StoredResponse } from '../repositories/idempotency.repository';
import type { Clock } from './clock';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyRequest {
  /** Whose key this is (a digest of the API key): keys never collide across callers. */
  readonly scope: string;
  readonly key: string;
  /** Digest of method, path and body: the same key with another request is a conflict. */
  readonly requestHash: string;
}

export interface ExecutedResponse extends StoredResponse {
  readonly replayed: boolean;
}

/**
 * Runs a POST at most once per key. The key is claimed, the work done and its response stored
 * in one transaction: the work gets that transaction as its unit of work and joins it (a
 * service's joining(uow)), so a crash or a failure leaves neither the record nor the key, and a
 * concurrent request with the same key waits for the first and then replays its answer.
 */
export class IdempotencyService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(request: IdempotencyRequest | null, work: (uow: UnitOfWork) => Promise<StoredResponse>): Promise<ExecutedResponse> {
    // Without a key the work runs on the service's own unit of work: a use case's write is one
    // atomic repository call, or a transaction the use case opens itself; no extra BEGIN/COMMIT.
    if (!request) return { ...(await work(this.uow)), replayed: false };
    return this.uow.transaction(async (repos) => {
      const now = this.clock();
      const expiresAt = new Date(Date.parse(now) + IDEMPOTENCY_TTL_MS).toISOString();
      if (await repos.idempotency.claim(request.scope, request.key, request.requestHash, expiresAt)) {
        const response = await work(joinedUnitOfWork(repos));
        await repos.idempotency.complete(request.scope, request.key, response);
        return { ...response, replayed: false };
      }
      const existing = await repos.idempotency.find(request.scope, request.key, now);
      if (!existing || existing.requestHash !== request.requestHash) throw new IdempotencyConflictError();
      return { ...existing.response, replayed: true };
    });
  }

  async purgeExpired(): Promise<number> {
    const now = this.clock();
    return this.uow.transaction((repos) => repos.idempotency.deleteExpired(now));
  }
}
