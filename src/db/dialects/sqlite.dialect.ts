import { applySqliteCompoundWrite } from './sqlite-compound-write';
import { sqliteTrashMoves } from './sqlite-trash-moves';
import { sqliteWebhookClaims } from './sqlite-webhook-claims';
import { toIsoTimestamp, type Dialect } from './dialect';
import { sqliteClientSearchCondition } from './sqlite-client-search';

export const sqliteDialect: Dialect = {
  name: 'sqlite',

  clientSearchCondition: sqliteClientSearchCondition,

  // Stored as TEXT in one fixed-width ISO form, so text order is time order.
  toDbTimestamp: (iso) => new Date(iso).toISOString(),
  // Values written by this app are already canonical; anything else is parsed.
  fromDbTimestamp: (value) => (typeof value === 'string' && value.length === 24 && value.endsWith('Z') ? value : toIsoTimestamp(value)),

  // One WITH statement on PostgreSQL, one transaction of statements on SQLite.
  applyCompoundWrite: applySqliteCompoundWrite,

  trashMoves: sqliteTrashMoves,

  webhookClaims: sqliteWebhookClaims,

  lockReadRows: '',

  classifyError(error) {
    const code = (error as { code?: string } | null)?.code ?? '';
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique_violation';
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key_violation';
    return null;
  },
};
