import type { Knex } from 'knex';
import { timestampColumn, type Migration } from './migration';

/**
 * Webhooks: the subscriptions, the outbox of events (each written in the same transaction as
 * the change it reports) and one delivery per event and subscription, with its attempts.
 * Booleans are integers 0/1 so the column reads the same on both backends.
 */
export const webhooks: Migration = {
  name: '0008_webhooks',
  async up(knex: Knex) {
    await knex.schema.createTable('webhooks', (table) => {
      table.uuid('id').primary();
      table.string('url', 2048).notNullable();
      // JSON array text of event types, or ["*"]. The outbox's write-time check reads it.
      table.text('events').notNullable();
      table.integer('active').notNullable().checkIn(['0', '1'], 'webhooks_active_check');
      table.string('description', 500).nullable();
      // Needed in clear to sign every delivery; never shown again after creation or rotation.
      table.string('secret', 128).notNullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      table.integer('version').notNullable();
      // Since when every delivery to it has failed; null while it answers.
      timestampColumn(table, 'failing_since').nullable();
      table.index(['created_at', 'id'], 'webhooks_created_at_id_idx');
    });
    await knex.schema.createTable('webhook_events', (table) => {
      table.uuid('id').primary();
      table.string('type', 64).notNullable();
      table.uuid('record_id').nullable();
      // JSON text: the record as the API shows it (the delivered body's `data`).
      table.text('payload').notNullable();
      timestampColumn(table, 'created_at').notNullable();
      // Null until the dispatcher has made its deliveries, one per subscription it matches.
      timestampColumn(table, 'fanned_out_at').nullable();
      table.index(['fanned_out_at', 'id'], 'webhook_events_fanned_out_at_id_idx');
    });
    await knex.schema.createTable('webhook_deliveries', (table) => {
      table.uuid('id').primary();
      table.uuid('webhook_id').notNullable().references('id').inTable('webhooks').onDelete('CASCADE');
      table.uuid('event_id').notNullable().references('id').inTable('webhook_events').onDelete('CASCADE');
      table.string('status', 16).notNullable().checkIn(['pending', 'delivered', 'failed'], 'webhook_deliveries_status_check');
      table.integer('attempts').notNullable();
      timestampColumn(table, 'next_attempt_at').nullable();
      // Held by the instance delivering it until then; an instance that dies lets it expire.
      timestampColumn(table, 'lease_until').nullable();
      table.integer('last_status').nullable();
      table.string('last_error', 1000).nullable();
      timestampColumn(table, 'delivered_at').nullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      // The dispatcher claims due pending deliveries; the log lists a subscription's newest first.
      table.index(['status', 'next_attempt_at'], 'webhook_deliveries_status_next_attempt_at_idx');
      table.index(['webhook_id', 'created_at', 'id'], 'webhook_deliveries_webhook_id_created_at_id_idx');
      table.index(['event_id'], 'webhook_deliveries_event_id_idx');
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('webhook_deliveries');
    await knex.schema.dropTable('webhook_events');
    await knex.schema.dropTable('webhooks');
  },
};
