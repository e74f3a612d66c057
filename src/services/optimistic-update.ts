import { NotFoundError, VersionConflictError } from '../domain/errors';

export interface OptimisticUpdate<T extends { version: number }> {
  resource: string;
  id: string;
  /** From If-Match: the write must apply to exactly this version. */
  expectedVersion?: number;
  load(): Promise<T | null>;
  /** The new state, or null when the change would alter nothing. */
  change(current: T): T | null;
  /** Writes next if the record is still at current.version. */
  save(next: T, current: T): Promise<boolean>;
}

const ATTEMPTS = 5;

/**
 * Read, change, write-if-unchanged. With If-Match a concurrent change is the caller's 412;
 * without it the change is re-applied on top of the newer version, so no write is lost and
 * none overwrites another blindly.
 */
export async function updateOptimistically<T extends { version: number }>(op: OptimisticUpdate<T>): Promise<T> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const current = await op.load();
    if (!current) throw new NotFoundError(op.resource, op.id);
    if (op.expectedVersion !== undefined && op.expectedVersion !== current.version) {
      throw new VersionConflictError(op.expectedVersion, current.version);
    }
    const next = op.change(current);
    if (next === null) return current;
    if (await op.save(next, current)) return next;
  }
  throw new Error(`${op.resource} ${op.id} kept changing during the update`);
}
