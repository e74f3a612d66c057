import { postgresClientSearchCondition } from './postgres-client-search';
import { applyPostgresCompoundWrite } from './postgres-compound-write';
import { postgresTrashMoves } from './postgres-trash-moves';
import { postgresWebhookClaims } from './postgres-webhook-claims';
import { toIsoTimestamp, type Dialect } from './dialect';

export const postgresDialect: Dialect = {
  name: 'postgres',

  clientSearchCondition: postgresClientSearchCondition,

  toDbTimestamp: (iso) => new Date(iso),
  // The pg type parser already returns the canonical text (pg-timestamps.ts); a Date or other
  // text only comes from a session in another time zone.
  fromDbTimestamp: (value) => (typeof value === 'string' && value.length === 24 && value.endsWith('Z') ? value : toIsoTimestamp(value)),

  // One WITH statement on PostgreSQL, one transaction of statements on SQLite.
  applyCompoundWrite: applyPostgresCompoundWrite,

  trashMoves: postgresTrashMoves,

  webhookClaims: postgresWebhookClaims,

  lockReadRows: ' FOR UPDATE',

  classifyError(error) {
    const code = (error as { code?: string } | null)?.code;
    if (code === '23505') return 'unique_violation';
    if (code === '23503') return 'foreign_key_violation';
    return null;
  },
};
