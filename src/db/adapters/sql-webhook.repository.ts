import { NotFoundError } from '../../domain/errors';
import type { DeliveryStatus, Webhook, WebhookDelivery, WebhookEventSelection } from '../../domain/webhook';
import type { Page } from '../../repositories/page';
import type {
  DeliveryListQuery,
  TestEvent,
  WebhookListQuery,
  WebhookReplaceOptions,
  WebhookRepository,
} from '../../repositories/webhook.repository';
import type { Dialect } from '../dialects';
import type { SqlSession } from '../sql/sql-executor';
import { insertSql } from '../tables/table-definition';
import {
  webhookDeliveriesTable,
  webhookEventsTable,
  webhooksTable,
  type WebhookDeliveryRow,
  type WebhookRow,
} from '../tables/webhooks.tables';
import { Conditions, keysetQuery, toPage } from './keyset';

/** Every column but the secret and failing_since: what the API shows. */
const SHOWN_COLUMNS = ['id', 'url', 'events', 'active', 'description', 'created_at', 'updated_at', 'version'] as const;
type ShownRow = Pick<WebhookRow, (typeof SHOWN_COLUMNS)[number]>;
const SELECT_WEBHOOKS = `SELECT ${SHOWN_COLUMNS.join(', ')} FROM webhooks`;
const WEBHOOK_COLUMNS = webhooksTable.columns.map((column) => column.sql);
const INSERT_WEBHOOK = insertSql(webhooksTable, WEBHOOK_COLUMNS);

/**
 * The event's type comes from a scalar subquery rather than a join: the outer query keeps one
 * table, so the keyset's unqualified `id` and `created_at` are the delivery's.
 */
const DELIVERY_COLUMNS = [
  'id',
  'event_id',
  '(SELECT type FROM webhook_events WHERE webhook_events.id = webhook_deliveries.event_id) AS type',
  'status',
  'attempts',
  'last_status',
  'last_error',
  'next_attempt_at',
  'delivered_at',
  'created_at',
];
type DeliveryListRow = Pick<
  WebhookDeliveryRow,
  'id' | 'event_id' | 'status' | 'attempts' | 'last_status' | 'last_error' | 'next_attempt_at' | 'delivered_at' | 'created_at'
> & { type: string | null };
const SELECT_DELIVERIES = `SELECT ${DELIVERY_COLUMNS.join(', ')} FROM webhook_deliveries`;
const INSERT_EVENT = insertSql(
  webhookEventsTable,
  webhookEventsTable.columns.map((column) => column.sql),
);
const DELIVERY_INSERT_COLUMNS = webhookDeliveriesTable.columns.map((column) => column.sql);
const INSERT_DELIVERY = insertSql(webhookDeliveriesTable, DELIVERY_INSERT_COLUMNS);
// A delivery being attempted keeps its lease: clearing it would let a second attempt start at once.
const RETRY_DELIVERY = `UPDATE webhook_deliveries
  SET status = 'pending', next_attempt_at = ?, lease_until = CASE WHEN lease_until > ? THEN lease_until ELSE NULL END, updated_at = ?
  WHERE id = ? AND webhook_id = ?`;

const NEWEST_FIRST = { column: 'created_at', direction: 'desc' } as const;

export class SqlWebhookRepository implements WebhookRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async insert(webhook: Webhook, secret: string): Promise<void> {
    const row: WebhookRow = { ...this.toRow(webhook), secret, failing_since: null };
    await this.sql.run(
      INSERT_WEBHOOK,
      WEBHOOK_COLUMNS.map((column) => row[column]),
    );
  }

  async findById(id: string): Promise<Webhook | null> {
    const [row] = await this.sql.all<ShownRow>(`${SELECT_WEBHOOKS} WHERE id = ?`, [id]);
    return row ? this.toWebhook(row) : null;
  }

  async list(query: WebhookListQuery): Promise<Page<Webhook>> {
    const after = query.after && { value: this.dialect.toDbTimestamp(query.after.value) as string, id: query.after.id };
    const { sql, params } = keysetQuery(SELECT_WEBHOOKS, new Conditions(), NEWEST_FIRST, after, query.limit);
    const rows = await this.sql.all<ShownRow>(sql, params);
    return toPage(
      rows,
      query.limit,
      (row) => this.toWebhook(row),
      (row) => ({ value: this.dialect.fromDbTimestamp(row.created_at), id: row.id }),
    );
  }

  async replace(webhook: Webhook, expectedVersion: number, options: WebhookReplaceOptions = {}): Promise<boolean> {
    const row = this.toRow(webhook);
    const sets = ['url = ?', 'events = ?', 'active = ?', 'description = ?', 'updated_at = ?', 'version = ?'];
    const params: unknown[] = [row.url, row.events, row.active, row.description, row.updated_at, row.version];
    if (options.secret !== undefined) {
      sets.push('secret = ?');
      params.push(options.secret);
    }
    if (options.clearFailingSince) sets.push('failing_since = NULL');
    const changed = await this.sql.run(`UPDATE webhooks SET ${sets.join(', ')} WHERE id = ? AND version = ?`, [
      ...params,
      webhook.id,
      expectedVersion,
    ]);
    return changed > 0;
  }

  async delete(id: string, expectedVersion: number | undefined): Promise<boolean> {
    // The deliveries go with it (ON DELETE CASCADE on both backends).
    const changed =
      expectedVersion === undefined
        ? await this.sql.run('DELETE FROM webhooks WHERE id = ?', [id])
        : await this.sql.run('DELETE FROM webhooks WHERE id = ? AND version = ?', [id, expectedVersion]);
    return changed > 0;
  }

  async listDeliveries(webhookId: string, query: DeliveryListQuery): Promise<Page<WebhookDelivery>> {
    const conditions = new Conditions().add('webhook_id = ?', webhookId);
    if (query.status) conditions.add('status = ?', query.status);
    const after = query.after && { value: this.dialect.toDbTimestamp(query.after.value) as string, id: query.after.id };
    const { sql, params } = keysetQuery(SELECT_DELIVERIES, conditions, NEWEST_FIRST, after, query.limit);
    const rows = await this.sql.all<DeliveryListRow>(sql, params);
    return toPage(
      rows,
      query.limit,
      (row) => this.toDelivery(row),
      (row) => ({ value: this.dialect.fromDbTimestamp(row.created_at), id: row.id }),
    );
  }

  retryDelivery(webhookId: string, deliveryId: string, now: string): Promise<WebhookDelivery | null> {
    const at = this.dialect.toDbTimestamp(now);
    return this.sql.atomically(async (tx) => {
      if ((await tx.run(RETRY_DELIVERY, [at, at, at, deliveryId, webhookId])) === 0) return null;
      const [row] = await tx.all<DeliveryListRow>(`${SELECT_DELIVERIES} WHERE id = ?`, [deliveryId]);
      return row ? this.toDelivery(row) : null;
    });
  }

  async insertTestEvent(webhookId: string, event: TestEvent): Promise<void> {
    const at = this.dialect.toDbTimestamp(event.at);
    const eventRow: Record<string, unknown> = {
      id: event.eventId,
      type: event.type,
      record_id: null,
      payload: JSON.stringify(event.payload),
      created_at: at,
      fanned_out_at: at,
    };
    const delivery: WebhookDeliveryRow = {
      id: event.deliveryId,
      webhook_id: webhookId,
      event_id: event.eventId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      lease_until: null,
      last_status: null,
      last_error: null,
      delivered_at: null,
      created_at: at,
      updated_at: at,
    };
    try {
      await this.sql.atomically(async (tx) => {
        await tx.run(
          INSERT_EVENT,
          webhookEventsTable.columns.map((column) => eventRow[column.sql]),
        );
        await tx.run(
          INSERT_DELIVERY,
          DELIVERY_INSERT_COLUMNS.map((column) => delivery[column]),
        );
      });
    } catch (error) {
      // Deleted between the service's read and this write.
      if (this.dialect.classifyError(error) === 'foreign_key_violation') throw new NotFoundError('Webhook', webhookId);
      throw error;
    }
  }

  private toRow(webhook: Webhook): Omit<WebhookRow, 'secret' | 'failing_since'> {
    return {
      id: webhook.id,
      url: webhook.url,
      // Stored as JSON.stringify writes it: the outbox's write-time check matches "type" in this text.
      events: JSON.stringify(webhook.events),
      active: webhook.active ? 1 : 0,
      description: webhook.description,
      created_at: this.dialect.toDbTimestamp(webhook.createdAt),
      updated_at: this.dialect.toDbTimestamp(webhook.updatedAt),
      version: webhook.version,
    };
  }

  private toWebhook(row: ShownRow): Webhook {
    return {
      id: row.id,
      url: row.url,
      events: JSON.parse(row.events) as WebhookEventSelection,
      active: Number(row.active) === 1,
      description: row.description,
      createdAt: this.dialect.fromDbTimestamp(row.created_at),
      updatedAt: this.dialect.fromDbTimestamp(row.updated_at),
      version: Number(row.version),
    };
  }

  private toDelivery(row: DeliveryListRow): WebhookDelivery {
    const at = (value: unknown) => (value === null || value === undefined ? null : this.dialect.fromDbTimestamp(value));
    return {
      id: row.id,
      eventId: row.event_id,
      type: row.type ?? '',
      status: row.status as DeliveryStatus,
      attempts: Number(row.attempts),
      lastStatus: row.last_status === null ? null : Number(row.last_status),
      lastError: row.last_error,
      nextAttemptAt: at(row.next_attempt_at),
      deliveredAt: at(row.delivered_at),
      createdAt: this.dialect.fromDbTimestamp(row.created_at),
    };
  }
}
