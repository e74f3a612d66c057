import type { Database } from '../db/open-database';
import { clientsTrashTable, exchangesTrashTable } from '../db/tables/trash.tables';

/** What the trash holds, for `crm doctor`. */
export interface TrashReport {
  readonly clients: number;
  /** Every trashed exchange, those that went with their client included. */
  readonly exchanges: number;
  /** deletedAt of the record longest in the trash; null when it is empty. */
  readonly oldestDeletedAt: string | null;
  readonly oldestAgeSeconds: number | null;
  readonly retentionDays: number;
  /** The oldest record is past the retention by more than the purge's hourly interval allows. */
  readonly overdue: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The server purges hourly: a record a little past the retention is not yet a sign of trouble. */
const PURGE_SLACK_MS = 2 * 60 * 60 * 1000;

/**
 * Sizes and the oldest deletion, read straight from the trash tables: one statement, no
 * repository, so the doctor depends on the schema only. Plain SQL both engines run alike.
 */
export async function readTrash(
  database: Pick<Database, 'sql' | 'dialect'>,
  retentionDays: number,
  now: Date = new Date(),
): Promise<TrashReport> {
  const [clients, exchanges] = [clientsTrashTable.name, exchangesTrashTable.name];
  const row = await database.sql.firstValues(
    `SELECT (SELECT COUNT(*) FROM ${clients}), (SELECT COUNT(*) FROM ${exchanges}), ` +
      `(SELECT MIN(deleted_at) FROM ${clients}), (SELECT MIN(deleted_at) FROM ${exchanges})`,
  );
  const [clientCount, exchangeCount, oldestClient, oldestExchange] = row ?? [];
  const oldest = [oldestClient, oldestExchange]
    .filter((value) => value !== null && value !== undefined)
    .map((value) => database.dialect.fromDbTimestamp(value))
    .sort()[0];
  const ageMs = oldest === undefined ? null : Math.max(0, now.getTime() - Date.parse(oldest));
  return {
    clients: Number(clientCount ?? 0),
    exchanges: Number(exchangeCount ?? 0),
    oldestDeletedAt: oldest ?? null,
    oldestAgeSeconds: ageMs === null ? null : Math.floor(ageMs / 1000),
    retentionDays,
    overdue: ageMs !== null && ageMs > retentionDays * DAY_MS + PURGE_SLACK_MS,
  };
}

export function formatTrashLine(trash: TrashReport): string {
  const size = `${trash.clients} client(s), ${trash.exchanges} exchange(s)`;
  const kept = trash.retentionDays === 0 ? 'deletes are permanent (TRASH_RETENTION_DAYS=0)' : `kept ${trash.retentionDays} days`;
  if (trash.oldestDeletedAt === null || trash.oldestAgeSeconds === null) return `Trash:       empty; ${kept}`;
  return `Trash:       ${size}; oldest deleted ${formatAge(trash.oldestAgeSeconds)} ago (${trash.oldestDeletedAt}); ${kept}`;
}

export function trashAdvice(trash: TrashReport): string | null {
  if (!trash.overdue) return null;
  return (
    `The trash holds records deleted ${formatAge(trash.oldestAgeSeconds ?? 0)} ago, past TRASH_RETENTION_DAYS=${trash.retentionDays}: ` +
    'the server purges them at start-up and hourly; they go once it runs.'
  );
}

function formatAge(seconds: number): string {
  if (seconds >= 86400) return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min`;
  return `${seconds} s`;
}
