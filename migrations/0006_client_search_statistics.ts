import { dialectMigration } from './migration';

/** Steadier search plans on PostgreSQL: more of search_text sampled for the planner (see the dialects). */
export const clientSearchStatistics = dialectMigration('0006_client_search_statistics', 'raiseClientSearchStatistics', 'resetClientSearchStatistics');
