import type { IdempotencyRecord, IdempotencyRepository, StoredResponse } from '../idempotency.repository';
import { instant, type MemoryAccess } from './memory-tables';

const keyOf = (scope: string, key: string) => JSON.stringify([scope, key]);

export class InMemoryIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async claim(scope: string, key: string, requestHash: string, expiresAt: string): Promise<boolean> {
    const id = keyOf(scope, key);
    // Like the SQL adapter, an expired claim gives way by the wall clock, not the service's clock.
    const now = Date.now();
    return this.tables.write(({ idempotencyKeys }) => {
      const current = idempotencyKeys.get(id);
      if (current && current.expiresAt > now) return false;
      idempotencyKeys.set(id, { requestHash, response: null, expiresAt: instant(expiresAt) });
      return true;
    });
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    // Serialised as the SQL adapter stores it, so a body JSON cannot represent fails here as it does there.
    const stored = { status: response.status, body: JSON.stringify(response.body) ?? null, location: response.location };
    await this.tables.write(({ idempotencyKeys }) => {
      const id = keyOf(scope, key);
      const current = idempotencyKeys.get(id);
      if (current) idempotencyKeys.set(id, { ...current, response: stored });
    });
  }

  async find(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    const current = this.tables.read().idempotencyKeys.get(keyOf(scope, key));
    if (!current || current.expiresAt <= instant(now) || current.response === null) return null;
    const { status, body, location } = current.response;
    return { requestHash: current.requestHash, response: { status, body: JSON.parse(body ?? 'null'), location } };
  }

  async deleteExpired(now: string): Promise<number> {
    const cutoff = instant(now);
    return this.tables.write(({ idempotencyKeys }) => {
      let removed = 0;
      for (const [id, entry] of idempotencyKeys) {
        if (entry.expiresAt <= cutoff) {
          idempotencyKeys.delete(id);
          removed += 1;
        }
      }
      return removed;
    });
  }
}
