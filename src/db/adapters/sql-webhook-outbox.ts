import { v7 as uuidv7 } from 'uuid';
import { WEBHOOK_TEST_EVENT } from '../../domain/webhook-event';
import type {
  AttemptRecorded,
  ClaimedDelivery,
  DeliveredAttempt,
  FailedAttempt,
  MadeAttempt,
  OutboxStats,
  OutboxStore,
  Round,
  RoundOutcome,
} from '../../webhooks/outbox-store';
import type { Dialect } from '../dialects';
import { multiRowInsertSql, rowsPerInsert } from '../sql/multi-row-insert';
import type { SqlExecutor, SqlSession, StatementOptions } from '../sql/sql-executor';
import { webhookDeliveriesTable } from '../tables/webhooks.tables';

const REUSABLE: StatementOptions = { reusable: true };
const DELIVERY_COLUMNS = webhookDeliveriesTable.columns.map((column) => column.sql);

const ANY_ACTIVE = 'SELECT 1 FROM webhooks WHERE active = 1 LIMIT 1';
const ACTIVE_SUBSCRIPTIONS = 'SELECT id, events, created_at FROM webhooks WHERE active = 1';
const CLAIMED_DETAILS =
  'SELECT d.id, d.webhook_id, d.event_id, d.attempts, w.url, w.secret, e.type, e.payload, e.created_at ' +
  'FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id WHERE d.id IN';
// Every write of an attempt is guarded by the lease: an instance whose lease expired (and whose
// delivery another instance may have taken since) writes nothing.
const LEASE_GUARD = "WHERE id = ? AND status = 'pending' AND lease_until = ?";
const DELIVERED =
  "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, " +
  "delivered_at = ?, next_attempt_at = NULL, lease_until = NULL, updated_at = ? WHERE status = 'pending'";
const FAILED =
  'UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?, ' +
  `next_attempt_at = ?, lease_until = NULL, updated_at = ? ${LEASE_GUARD}`;
const ANSWERING = 'UPDATE webhooks SET failing_since = NULL WHERE failing_since IS NOT NULL';
const FAILING = 'UPDATE webhooks SET failing_since = ? WHERE id = ? AND failing_since IS NULL';
// Switching a subscription off is a change of the record the API shows: a new version.
const SWITCH_OFF =
  'UPDATE webhooks SET active = 0, version = version + 1, updated_at = ? WHERE id = ? AND active = 1 AND failing_since <= ?';
const PURGE_DELIVERIES =
  'DELETE FROM webhook_deliveries WHERE id IN ' +
  "(SELECT id FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND updated_at < ? LIMIT ?)";
const PURGE_EVENTS =
  'DELETE FROM webhook_events WHERE id IN (SELECT e.id FROM webhook_events e WHERE e.fanned_out_at < ? ' +
  'AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id) LIMIT ?)';
const PENDING_TO_ACTIVE = "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND w.active = 1";
const STATS =
  'SELECT (SELECT count(*) FROM webhooks WHERE active = 1), ' +
  '(SELECT count(*) FROM webhooks WHERE active = 0 AND failing_since IS NOT NULL), ' +
  `(SELECT count(*) ${PENDING_TO_ACTIVE}), ` +
  `(SELECT min(e.created_at) ${PENDING_TO_ACTIVE.replace('WHERE', 'JOIN webhook_events e ON e.id = d.event_id WHERE')}), ` +
  '(SELECT min(created_at) FROM webhook_events WHERE fanned_out_at IS NULL)';

interface Subscription {
  readonly id: string;
  readonly events: ReadonlySet<string>;
  readonly createdAt: string;
}

/** The dispatcher's statements, on either database; the dialect supplies the claims. */
export class SqlWebhookOutbox implements OutboxStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly dialect: Dialect,
  ) {}

  async anyActiveSubscription(): Promise<boolean> {
    return (await this.sql.firstValues(ANY_ACTIVE)) !== undefined;
  }

  cycle(round: Round): Promise<RoundOutcome> {
    return this.sql.transaction(async (tx) => {
      const delivered = await this.recordDelivered(tx, round.attempts);
      const recorded: AttemptRecorded[] = [];
      for (const attempt of round.attempts)
        recorded.push(
          'delivered' in attempt
            ? { recorded: delivered.has(attempt.delivery.id), deactivated: false }
            : await this.recordFailed(tx, attempt.delivery, attempt.failed),
        );
      const fannedOut = await this.fanOut(tx, round.now, round.fanOutLimit);
      const claimed = round.claim ? await this.claimDue(tx, round.now, round.claim.leaseUntil, round.claim.limit) : [];
      return { fannedOut, claimed, recorded };
    });
  }

  private async fanOut(tx: SqlSession, now: string, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const events = await this.dialect.webhookClaims.eventsToFanOut(tx, limit);
    if (events.length === 0) return 0;
    const subscriptions = await this.activeSubscriptions(tx);
    const at = this.dialect.toDbTimestamp(now);
    const rows: unknown[][] = [];
    for (const [eventId, type, createdAt] of events) {
      const writtenAt = this.dialect.fromDbTimestamp(createdAt);
      for (const subscription of subscriptions) {
        if (subscription.createdAt <= writtenAt && wants(subscription, type as string))
          rows.push([uuidv7(), subscription.id, eventId, 'pending', 0, at, null, null, null, null, at, at]);
      }
    }
    const perInsert = rowsPerInsert(DELIVERY_COLUMNS.length);
    for (let start = 0; start < rows.length; start += perInsert) {
      const chunk = rows.slice(start, start + perInsert);
      await tx.run(multiRowInsertSql(webhookDeliveriesTable.name, DELIVERY_COLUMNS, chunk.length), chunk.flat());
    }
    const ids = events.map((event) => event[0]);
    await tx.run(`UPDATE webhook_events SET fanned_out_at = ? WHERE id IN (${placeholders(ids.length)})`, [at, ...ids]);
    return events.length;
  }

  private async claimDue(tx: SqlSession, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    const { dialect } = this;
    const ids = await dialect.webhookClaims.leaseDueDeliveries(tx, dialect.toDbTimestamp(now), dialect.toDbTimestamp(leaseUntil), limit);
    if (ids.length === 0) return [];
    const rows = await tx.values(`${CLAIMED_DETAILS} (${placeholders(ids.length)})`, ids);
    return rows.map(([id, webhookId, eventId, attempts, url, secret, type, payload, createdAt]) => ({
      id: id as string,
      webhookId: webhookId as string,
      eventId: eventId as string,
      attempts: Number(attempts),
      leaseUntil,
      url: url as string,
      secret: secret as string,
      type: type as string,
      payload: payload as string,
      eventCreatedAt: dialect.fromDbTimestamp(createdAt),
    }));
  }

  /**
   * The 2xx attempts of the round, one statement per answer status (nearly always one): a round
   * records as many as there are deliveries in flight, and a statement each would cost a round
   * trip each on PostgreSQL. Resolves with the ids recorded (those whose lease was still held).
   */
  private async recordDelivered(tx: SqlSession, attempts: readonly MadeAttempt[]): Promise<Set<string>> {
    const byStatus = new Map<number, Array<{ delivery: ClaimedDelivery; delivered: DeliveredAttempt }>>();
    for (const attempt of attempts) {
      if ('delivered' in attempt) byStatus.set(attempt.delivered.status, [...(byStatus.get(attempt.delivered.status) ?? []), attempt]);
    }
    const recorded = new Set<string>();
    const answering = new Set<string>();
    for (const [status, group] of byStatus) {
      const at = this.dialect.toDbTimestamp(
        group
          .map((attempt) => attempt.delivered.at)
          .sort()
          .at(-1) as string,
      );
      const ids = group.map((attempt) => attempt.delivery.id);
      // Leases taken in one round are equal; another instance's lease matching one of them would
      // have to fall on the same millisecond.
      const leases = [...new Set(group.map((attempt) => attempt.delivery.leaseUntil))].map((lease) => this.dialect.toDbTimestamp(lease));
      const sql = `${DELIVERED} AND id IN (${placeholders(ids.length)}) AND lease_until IN (${placeholders(leases.length)}) RETURNING id`;
      for (const [id] of await tx.values(sql, [status, at, at, ...ids, ...leases])) recorded.add(id as string);
      for (const attempt of group) if (recorded.has(attempt.delivery.id)) answering.add(attempt.delivery.webhookId);
    }
    if (answering.size > 0) await tx.run(`${ANSWERING} AND id IN (${placeholders(answering.size)})`, [...answering]);
    return recorded;
  }

  private async recordFailed(tx: SqlSession, delivery: ClaimedDelivery, attempt: FailedAttempt): Promise<AttemptRecorded> {
    const { dialect } = this;
    const at = dialect.toDbTimestamp(attempt.at);
    const next = attempt.nextAttemptAt === null ? null : dialect.toDbTimestamp(attempt.nextAttemptAt);
    const status = next === null ? 'failed' : 'pending';
    const params = [status, attempt.status, attempt.error, next, at, delivery.id, dialect.toDbTimestamp(delivery.leaseUntil)];
    if ((await tx.run(FAILED, params, REUSABLE)) === 0) return { recorded: false, deactivated: false };
    await tx.run(FAILING, [at, delivery.webhookId], REUSABLE);
    const switchedOff = await tx.run(
      SWITCH_OFF,
      [at, delivery.webhookId, dialect.toDbTimestamp(attempt.deactivateIfFailingSince)],
      REUSABLE,
    );
    return { recorded: true, deactivated: switchedOff > 0 };
  }

  async purgeBefore(cutoff: string, limit: number): Promise<number> {
    const before = this.dialect.toDbTimestamp(cutoff);
    // Deliveries first: an event goes once none refers to it any more.
    const deliveries = await this.sql.run(PURGE_DELIVERIES, [before, limit]);
    const events = await this.sql.run(PURGE_EVENTS, [before, limit]);
    return deliveries + events;
  }

  async stats(): Promise<OutboxStats> {
    const [active, deactivated, pending, oldestDelivery, oldestEvent] = (await this.sql.firstValues(STATS)) ?? [];
    const oldest = [oldestDelivery, oldestEvent]
      .filter((value) => value !== null && value !== undefined)
      .map((value) => this.dialect.fromDbTimestamp(value))
      .sort()[0];
    return {
      active: Number(active ?? 0),
      deactivated: Number(deactivated ?? 0),
      pendingDeliveries: Number(pending ?? 0),
      oldestPendingAt: oldest ?? null,
    };
  }

  private async activeSubscriptions(tx: SqlSession): Promise<Subscription[]> {
    const rows = await tx.values(ACTIVE_SUBSCRIPTIONS);
    return rows.map(([id, events, createdAt]) => ({
      id: id as string,
      events: new Set(JSON.parse(events as string) as string[]),
      createdAt: this.dialect.fromDbTimestamp(createdAt),
    }));
  }
}

/** Its listed types, or all of them for "*"; a test event is only ever sent to the subscription it tests. */
function wants(subscription: Subscription, type: string): boolean {
  return type !== WEBHOOK_TEST_EVENT && (subscription.events.has(type) || subscription.events.has('*'));
}

function placeholders(count: number): string {
  return Array(count).fill('?').join(',');
}
