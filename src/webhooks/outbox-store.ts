/**
 * What the dispatcher needs of the database: turn outbox events into deliveries, lease the due
 * ones, record each attempt, purge the old log, and report on it. Timestamps are ISO-8601 UTC
 * strings; every instant is given by the caller (its clock), never read from the database.
 */
export interface OutboxStore {
  /** True when some subscription is active: the dispatcher has nothing to do otherwise. */
  anyActiveSubscription(): Promise<boolean>;

  /**
   * One round of the dispatcher's work, in one transaction (one commit, however many attempts
   * and events it covers: on SQLite a commit is a sync to disk, shared with the API's writes
   * queued beside it but never with more than 64 of them):
   * 1. records the attempts made since the last round, each guarded by its lease;
   * 2. takes up to `fanOutLimit` events not yet fanned out (oldest first) and creates one
   *    pending delivery (due at `now`) per active subscription that asks for the event's type
   *    (or "*") and existed when the event was written, marking the events fanned out;
   *    concurrent rounds never take the same event;
   * 3. leases up to `claim.limit` pending deliveries due at `now` to active subscriptions whose
   *    lease is free or expired, until `claim.leaseUntil`.
   */
  cycle(round: Round): Promise<RoundOutcome>;

  /**
   * Deletes up to `limit` delivered or failed deliveries last attempted before `cutoff`, and up
   * to `limit` events fanned out before it that no delivery refers to any more.
   */
  purgeBefore(cutoff: string, limit: number): Promise<number>;

  stats(): Promise<OutboxStats>;
}

export interface Round {
  readonly now: string;
  readonly attempts: readonly MadeAttempt[];
  readonly fanOutLimit: number;
  /** null: no room for more deliveries in flight. */
  readonly claim: { readonly leaseUntil: string; readonly limit: number } | null;
}

export interface RoundOutcome {
  /** Events fanned out; equal to fanOutLimit when more may be waiting. */
  readonly fannedOut: number;
  readonly claimed: ClaimedDelivery[];
  /** One per attempt given, in order. */
  readonly recorded: AttemptRecorded[];
}

/** An attempt to record: a 2xx, or a failure. */
export type MadeAttempt =
  | { readonly delivery: ClaimedDelivery; readonly delivered: DeliveredAttempt }
  | { readonly delivery: ClaimedDelivery; readonly failed: FailedAttempt };

/** A leased delivery with what it takes to send it. `secret` must never reach a log line. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** The lease this instance holds: recording the attempt requires it still to be the delivery's. */
  readonly leaseUntil: string;
  readonly url: string;
  readonly secret: string;
  readonly type: string;
  /** JSON text of the record as the API showed it. */
  readonly payload: string;
  readonly eventCreatedAt: string;
}

export interface DeliveredAttempt {
  readonly at: string;
  readonly status: number;
}

export interface FailedAttempt {
  readonly at: string;
  readonly status: number | null;
  readonly error: string;
  /** null: that was the last attempt, the delivery is failed. */
  readonly nextAttemptAt: string | null;
  /**
   * The subscription is switched off when it has been failing since this instant or earlier
   * (24 hours before `at`): every delivery to it has failed since.
   */
  readonly deactivateIfFailingSince: string;
}

export interface AttemptRecorded {
  /** False when the lease was lost (another instance owns the delivery now): nothing was written. */
  readonly recorded: boolean;
  /** True when this failure switched the subscription off. */
  readonly deactivated: boolean;
}

export interface OutboxStats {
  readonly active: number;
  /** Subscriptions switched off because every delivery to them failed for a day. */
  readonly deactivated: number;
  /** Deliveries waiting for an attempt, to active subscriptions. */
  readonly pendingDeliveries: number;
  readonly oldestPendingAt: string | null;
}
