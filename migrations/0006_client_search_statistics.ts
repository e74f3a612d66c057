import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialects';
import type { Migration } from './migration';

/** Steadier search plans on PostgreSQL: more of search_text sampled for the planner (see the dialects). */
export const clientSearchStatistics: Migration = {
  name: '0006_client_search_statistics',
  async up(knex: Knex) {
    await dialectOf(knex).raiseClientSearchStatistics(knex);
  },
  async down(knex: Knex) {
    await dialectOf(knex).resetClientSearchStatistics(knex);
  },
};
