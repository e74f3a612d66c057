import type { Knex } from 'knex';
import { Umzug } from 'umzug';
import { migrations as allMigrations } from '../../migrations';
import type { Migration } from '../../migrations/migration';
import type { DialectTools } from './dialects';
import { ensureMigrationsTable, KnexMigrationStorage } from './knex-migration-storage';

interface MigrationStatus {
  readonly applied: string[];
  readonly pending: string[];
}

/**
 * Runs the shared migrations with umzug. Every run holds the dialect's migration lock and one
 * transaction, so two instances starting together apply each step exactly once, and a step
 * that fails leaves the schema as it was.
 */
export class Migrator {
  constructor(
    private readonly knex: Knex,
    private readonly tools: DialectTools,
    private readonly migrations: readonly Migration[] = allMigrations,
  ) {}

  async up(): Promise<string[]> {
    return this.locked(async (umzug) => (await umzug.up()).map((m) => m.name));
  }

  /** Reverts the last `steps` applied migrations (all of them with steps = Infinity). */
  async down(steps = 1): Promise<string[]> {
    return this.locked(async (umzug) => {
      const applied = await umzug.executed();
      if (applied.length === 0) return [];
      const count = Math.min(steps, applied.length);
      const reverted = await umzug.down({ step: count });
      return reverted.map((m) => m.name);
    });
  }

  async status(): Promise<MigrationStatus> {
    if (!(await this.knex.schema.hasTable('crm_migrations'))) {
      return { applied: [], pending: this.migrations.map((m) => m.name) };
    }
    const umzug = this.umzugFor(this.knex);
    const [applied, pending] = await Promise.all([umzug.executed(), umzug.pending()]);
    return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
  }

  private async locked<T>(work: (umzug: Umzug<Knex>) => Promise<T>): Promise<T> {
    await ensureMigrationsTable(this.knex);
    return this.tools.withMigrationLock(this.knex, (trx) => work(this.umzugFor(trx)));
  }

  private umzugFor(context: Knex): Umzug<Knex> {
    return new Umzug<Knex>({
      migrations: this.migrations.map((migration) => ({
        name: migration.name,
        up: ({ context: db }) => migration.up(db, this.tools.name),
        down: ({ context: db }) => migration.down(db, this.tools.name),
      })),
      // umzug calls a function-valued context to build it, and a Knex instance is a function.
      context: () => context,
      storage: new KnexMigrationStorage(),
      logger: undefined,
    });
  }
}
