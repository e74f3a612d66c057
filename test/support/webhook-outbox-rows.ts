import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../src/db/open-database';
import type { WebhookDeliveryRow } from '../../src/db/tables/webhooks.tables';

export const T0 = '2026-11-24T18:00:00.000Z';

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface InsertedWebhook {
  readonly id: string;
  readonly secret: string;
}

/** A subscription row, as the webhooks API writes it. */
export async function insertWebhook(
  database: Database,
  fields: { url: string; events?: string[]; active?: boolean; createdAt?: string; secret?: string },
): Promise<InsertedWebhook> {
  const { dialect } = database;
  const id = uuidv7();
  const secret = fields.secret ?? newSecret();
  const at = dialect.toDbTimestamp(fields.createdAt ?? T0);
  await database.knex('webhooks').insert({
    id,
    url: fields.url,
    events: JSON.stringify(fields.events ?? ['*']),
    active: fields.active === false ? 0 : 1,
    description: null,
    secret,
    created_at: at,
    updated_at: at,
    version: 1,
    failing_since: null,
  });
  return { id, secret };
}

/** An outbox event, as the write path leaves it (not yet fanned out). */
export async function insertEvent(
  database: Database,
  fields: { type?: string; data?: Record<string, unknown>; createdAt?: string } = {},
): Promise<{ id: string; data: Record<string, unknown> }> {
  const id = uuidv7();
  const data = fields.data ?? { id: uuidv7(), name: 'Hélène Dupont', version: 1 };
  await database.knex('webhook_events').insert({
    id,
    type: fields.type ?? 'client.created',
    record_id: typeof data.id === 'string' ? data.id : null,
    payload: JSON.stringify(data),
    created_at: database.dialect.toDbTimestamp(fields.createdAt ?? T0),
    fanned_out_at: null,
  });
  return { id, data };
}

export interface DeliveryState {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly leaseUntil: string | null;
  readonly deliveredAt: string | null;
}

export async function deliveriesOf(database: Database, webhookId?: string): Promise<DeliveryState[]> {
  const query = database.knex<WebhookDeliveryRow>('webhook_deliveries').orderBy('id');
  const rows = (await (webhookId ? query.where({ webhook_id: webhookId }) : query)) as WebhookDeliveryRow[];
  const time = (value: unknown) => (value === null || value === undefined ? null : database.dialect.fromDbTimestamp(value));
  return rows.map((row) => ({
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    status: row.status,
    attempts: Number(row.attempts),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    nextAttemptAt: time(row.next_attempt_at),
    leaseUntil: time(row.lease_until),
    deliveredAt: time(row.delivered_at),
  }));
}

export async function webhookState(
  database: Database,
  id: string,
): Promise<{ active: number; version: number; failingSince: string | null }> {
  const row = (await database.knex('webhooks').where({ id }).first()) as { active: number; version: number; failing_since: unknown };
  return {
    active: Number(row.active),
    version: Number(row.version),
    failingSince: row.failing_since === null ? null : database.dialect.fromDbTimestamp(row.failing_since),
  };
}

/** Delivery rows as the dispatcher leaves them, `count` at a time (for the log purge). */
export async function insertDeliveries(
  database: Database,
  fields: { webhookId: string; eventId: string; status: 'pending' | 'delivered' | 'failed'; at: string; count?: number },
): Promise<void> {
  const at = database.dialect.toDbTimestamp(fields.at);
  const rows = Array.from({ length: fields.count ?? 1 }, () => ({
    id: uuidv7(),
    webhook_id: fields.webhookId,
    event_id: fields.eventId,
    status: fields.status,
    attempts: fields.status === 'pending' ? 0 : 1,
    next_attempt_at: fields.status === 'pending' ? at : null,
    lease_until: null,
    last_status: fields.status === 'pending' ? null : fields.status === 'delivered' ? 200 : 500,
    last_error: fields.status === 'failed' ? 'HTTP 500' : null,
    delivered_at: fields.status === 'delivered' ? at : null,
    created_at: at,
    updated_at: at,
  }));
  await database.knex.batchInsert('webhook_deliveries', rows, 200);
}

/** Marks an event fanned out at `at` (the dispatcher's doing). */
export async function markFannedOut(database: Database, eventId: string, at: string): Promise<void> {
  await database
    .knex('webhook_events')
    .where({ id: eventId })
    .update({ fanned_out_at: database.dialect.toDbTimestamp(at) });
}
