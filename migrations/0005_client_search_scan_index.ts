import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialects';
import type { Migration } from './migration';

/** Cheaper searches for common terms in the default order (see the dialects; SQLite only). */
export const clientSearchScanIndex: Migration = {
  name: '0005_client_search_scan_index',
  async up(knex: Knex) {
    await dialectOf(knex).createClientSearchScanIndex(knex);
  },
  async down(knex: Knex) {
    await dialectOf(knex).dropClientSearchScanIndex(knex);
  },
};
