import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialects';
import type { Migration } from './migration';

/** Index-backed search: FTS5 trigram on SQLite, pg_trgm on PostgreSQL (see the dialects). */
export const clientSearchIndex: Migration = {
  name: '0004_client_search_index',
  async up(knex: Knex) {
    await dialectOf(knex).createClientSearchIndex(knex);
  },
  async down(knex: Knex) {
    await dialectOf(knex).dropClientSearchIndex(knex);
  },
};
