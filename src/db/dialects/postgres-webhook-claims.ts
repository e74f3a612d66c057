import { DUE_DELIVERIES, EVENTS_TO_FAN_OUT, type WebhookClaims } from './webhook-claims';

/**
 * Rows locked by another instance's claim are skipped, not waited for: each instance takes
 * what is free, and a row is never taken twice while its transaction runs. A lease is set in
 * one statement (its own transaction), so it outlives the claim: an instance that dies
 * mid-delivery holds the delivery only until the lease expires.
 */
export const postgresWebhookClaims: WebhookClaims = {
  eventsToFanOut: (session, limit) => session.values(`${EVENTS_TO_FAN_OUT} FOR UPDATE SKIP LOCKED`, [limit]),

  async leaseDueDeliveries(session, now, leaseUntil, limit) {
    const rows = await session.values(
      `UPDATE webhook_deliveries SET lease_until = ? WHERE id IN (${DUE_DELIVERIES} FOR UPDATE OF d SKIP LOCKED) RETURNING id`,
      [leaseUntil, now, now, limit],
    );
    return rows.map((row) => row[0] as string);
  },
};
