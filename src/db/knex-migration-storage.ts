import type { Knex } from 'knex';
import type { UmzugStorage } from 'umzug';

export const MIGRATIONS_TABLE = 'crm_migrations';

export async function ensureMigrationsTable(knex: Knex): Promise<void> {
  // Two processes may both see the table missing; the loser's CREATE fails harmlessly.
  if (await knex.schema.hasTable(MIGRATIONS_TABLE)) return;
  try {
    await knex.schema.createTable(MIGRATIONS_TABLE, (table) => {
      table.string('name', 255).primary();
      table.timestamp('applied_at', { useTz: true, precision: 3 }).notNullable();
    });
  } catch (error) {
    if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) throw error;
  }
}

/**
 * umzug's record of applied migrations, kept in the database being migrated and written through
 * the same transaction as the migration itself, so a step and its record commit together.
 */
export class KnexMigrationStorage implements UmzugStorage<Knex> {
  async logMigration({ name, context }: { name: string; context: Knex }): Promise<void> {
    await context(MIGRATIONS_TABLE).insert({ name, applied_at: new Date().toISOString() });
  }

  async unlogMigration({ name, context }: { name: string; context: Knex }): Promise<void> {
    await context(MIGRATIONS_TABLE).where({ name }).delete();
  }

  async executed({ context }: { context: Knex }): Promise<string[]> {
    const rows: Array<{ name: string }> = await context(MIGRATIONS_TABLE).select('name').orderBy('name');
    return rows.map((row) => row.name);
  }
}
