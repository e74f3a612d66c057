import { DUE_DELIVERIES, EVENTS_TO_FAN_OUT, type WebhookClaims } from './webhook-claims';

/**
 * One process serves a SQLite file, and its writes take turns: a select and an update in one
 * transaction (which also reads on the writer connection) cannot interleave with another claim.
 */
export const sqliteWebhookClaims: WebhookClaims = {
  eventsToFanOut: (session, limit) => session.values(EVENTS_TO_FAN_OUT, [limit]),

  leaseDueDeliveries: (session, now, leaseUntil, limit) =>
    session.atomically(async (tx) => {
      const ids = (await tx.values(DUE_DELIVERIES, [now, now, limit])).map((row) => row[0] as string);
      if (ids.length > 0)
        await tx.run(`UPDATE webhook_deliveries SET lease_until = ? WHERE id IN (${ids.map(() => '?').join(',')})`, [leaseUntil, ...ids]);
      return ids;
    }),
};
