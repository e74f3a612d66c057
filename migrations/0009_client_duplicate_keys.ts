import type { Knex } from 'knex';
import { emailKey, nameCompanyKey, phoneKey, phoneRegion } from '../src/domain/duplicate-keys';
import type { Migration, MigrationDriver } from './migration';

/**
 * Duplicate keys: the folded email, the normalised phone and the folded name + company of each
 * client, kept beside it so that finding duplicates and matching an imported row are index
 * lookups. The trash keeps the same columns (a restore moves the row back column for column).
 * Compared byte by byte on PostgreSQL (COLLATE "C", as SQLite's BINARY does): the duplicates
 * list is then ordered the same on both backends, and the b-tree compares faster.
 */
const TABLES = ['clients', 'clients_trash'] as const;
const KEYS = ['email_key', 'phone_key', 'name_key'] as const;

/** Partial: most clients have no company, some no email or phone; those rows need no entry. */
const INDEXES = KEYS.map((key) => ({ name: `clients_${key}_idx`, key }));

/*
 * The backfill computes the keys with the application's own functions: libphonenumber's
 * parsing and Unicode folding are not something SQL can do alike on both backends. Unlike
 * the rest of a migration, that code can change later; it only ever runs on rows written
 * before this step, and the application recomputes a key at each write of the client anyway.
 * Numbers without an international prefix are read in the process's region (PHONE_DEFAULT_REGION,
 * set at start-up before migrations run; FR by default).
 */
const BATCH = 2000;

interface KeySource {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

async function backfill(knex: Knex, driver: MigrationDriver, table: (typeof TABLES)[number]): Promise<void> {
  const region = phoneRegion();
  let after: string | null = null;
  for (;;) {
    const query = knex(table).select('id', 'name', 'email', 'phone', 'company').orderBy('id').limit(BATCH);
    const rows: KeySource[] = await (after === null ? query : query.where('id', '>', after));
    const last = rows.at(-1);
    if (last === undefined) return;
    const keys = rows.map((row) => ({
      id: row.id,
      email_key: emailKey(row.email),
      phone_key: phoneKey(row.phone, region),
      name_key: nameCompanyKey(row.name, row.company),
    }));
    // One statement per batch: the keys travel as one JSON parameter.
    await knex.raw(driver === 'postgres' ? POSTGRES_UPDATE(table) : SQLITE_UPDATE(table), [JSON.stringify(keys)]);
    after = last.id;
  }
}

const POSTGRES_UPDATE = (table: string) =>
  `UPDATE ${table} AS t SET email_key = k.email_key, phone_key = k.phone_key, name_key = k.name_key
   FROM json_to_recordset(?::json) AS k (id uuid, email_key text, phone_key text, name_key text) WHERE t.id = k.id`;

const SQLITE_UPDATE = (table: string) =>
  `UPDATE ${table} SET email_key = k.email_key, phone_key = k.phone_key, name_key = k.name_key
   FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.email_key') AS email_key,
           json_extract(value, '$.phone_key') AS phone_key, json_extract(value, '$.name_key') AS name_key FROM json_each(?)) AS k
   WHERE ${table}.id = k.id`;

export const clientDuplicateKeys: Migration = {
  name: '0009_client_duplicate_keys',
  async up(knex: Knex, driver: MigrationDriver) {
    for (const table of TABLES) {
      await knex.schema.alterTable(table, (builder) => {
        for (const key of KEYS) {
          if (driver === 'postgres') builder.specificType(key, 'text COLLATE "C"').nullable();
          else builder.text(key).nullable();
        }
      });
      await backfill(knex, driver, table);
    }
    // After the backfill: one index build instead of an index update per row.
    for (const { name, key } of INDEXES) await knex.raw(`CREATE INDEX ${name} ON clients (${key}) WHERE ${key} IS NOT NULL`);
  },
  async down(knex: Knex) {
    for (const { name } of INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
    // Plain ALTER TABLE (SQLite 3.35+): Knex's SQLite dropColumn copies the table into a new one,
    // which drops the search triggers 0004 put on clients.
    for (const table of TABLES) for (const key of KEYS) await knex.raw(`ALTER TABLE ${table} DROP COLUMN ${key}`);
  },
};
