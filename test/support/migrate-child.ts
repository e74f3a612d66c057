// A child process that migrates the database named by its environment, with one extra slow
// step appended so that two children started together really overlap inside the lock.
import { setTimeout as sleep } from 'node:timers/promises';
import { migrations } from '../../migrations';
import type { Migration } from '../../migrations/migration';
import { loadConfig } from '../../src/config/load-config';
import { Migrator } from '../../src/db/migrator';
import { openDatabase } from '../../src/db/open-database';
import { createMountProbe } from '../../src/storage/mount-probe';
import { resolveStorage } from '../../src/storage/resolve-storage';

const slowStep: Migration = {
  name: '9999_test_slow_step',
  async up(knex) {
    await knex.schema.createTable('test_slow_step_runs', (table) => table.string('pid'));
    await knex('test_slow_step_runs').insert({ pid: String(process.pid) });
    // Tells a watching test that this process now holds the migration lock.
    process.stdout.write('slow-step-started\n');
    await sleep(Number(process.env.SLOW_STEP_MS ?? 400));
  },
  async down(knex) {
    await knex.schema.dropTable('test_slow_step_runs');
  },
};

async function main() {
  const config = loadConfig();
  const database = openDatabase(resolveStorage(config, { probe: createMountProbe() }), config.database);
  try {
    const applied = await new Migrator(database.knex, database.tools, [...migrations, slowStep]).up();
    process.stdout.write(JSON.stringify({ applied }) + '\n');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
