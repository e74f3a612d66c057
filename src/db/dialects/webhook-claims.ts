import type { SqlSession } from '../sql/sql-executor';

/**
 * How the webhook dispatcher takes work so that two instances never take the same: PostgreSQL
 * locks rows with FOR UPDATE SKIP LOCKED (another instance's transaction skips them instead of
 * waiting); SQLite has one writer at a time, so a transaction is enough.
 * Timestamps are given as the driver stores them (Dialect.toDbTimestamp).
 */
export interface WebhookClaims {
  /**
   * Inside the transaction `session` belongs to: up to `limit` events not yet fanned out, oldest
   * first, as [id, type, created_at] rows, held by this transaction until it ends.
   */
  eventsToFanOut(session: SqlSession, limit: number): Promise<unknown[][]>;
  /**
   * Sets lease_until on up to `limit` pending deliveries due at `now` whose lease is free or
   * expired, to active subscriptions, soonest due first; resolves with their ids.
   */
  leaseDueDeliveries(session: SqlSession, now: unknown, leaseUntil: unknown, limit: number): Promise<string[]>;
}

// The id order is the write order: ids are UUIDv7. The (fanned_out_at, id) index serves it.
export const EVENTS_TO_FAN_OUT = 'SELECT id, type, created_at FROM webhook_events WHERE fanned_out_at IS NULL ORDER BY id LIMIT ?';

export const DUE_DELIVERIES =
  'SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id ' +
  "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?) AND w.active = 1 " +
  'ORDER BY d.next_attempt_at LIMIT ?';
