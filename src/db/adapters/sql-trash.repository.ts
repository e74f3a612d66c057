import type { TrashEntry, TrashListQuery, TrashRepository, TrashStats } from '../../repositories/trash.repository';
import type { KeysetPosition, Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
import type { SqlSession } from '../sql/sql-executor';
import { CLIENT_READ_COLUMNS, valuesToClient } from '../tables/clients.table';
import { EXCHANGE_READ_COLUMNS, valuesToExchange } from '../tables/exchanges.table';
import { Conditions, keysetQuery } from './keyset';

const NEWEST_FIRST = { column: 'deleted_at', direction: 'desc' } as const;
const CLIENTS_SELECT = `SELECT ${CLIENT_READ_COLUMNS.join(', ')}, deleted_at FROM clients_trash`;
// Exchanges trashed with their client come back with it: they are not listed on their own.
const EXCHANGES_SELECT = `SELECT ${EXCHANGE_READ_COLUMNS.join(', ')}, deleted_at FROM exchanges_trash`;

/** Oldest first, at most `limit` of them: each purge statement stays short. */
const EXPIRED_CLIENTS = 'SELECT id FROM clients_trash WHERE deleted_at < ? ORDER BY deleted_at, id LIMIT ?';
const EXPIRED_EXCHANGES =
  'SELECT id FROM exchanges_trash WHERE trashed_with_client IS NULL AND deleted_at < ? ORDER BY deleted_at, id LIMIT ?';

export class SqlTrashRepository implements TrashRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Two keyset queries, one per trash table (each served by its (deleted_at, id) index), merged:
   * the page is the first `limit` of both, in one order.
   */
  async list(query: TrashListQuery): Promise<Page<TrashEntry>> {
    const entries: TrashEntry[] = [];
    if (query.type !== 'exchange') {
      for (const values of await this.page(CLIENTS_SELECT, new Conditions(), query)) {
        const deletedAt = this.dialect.fromDbTimestamp(values[CLIENT_READ_COLUMNS.length]);
        const record = valuesToClient(values, this.dialect);
        entries.push({ type: 'client', id: record.id, deletedAt, record });
      }
    }
    if (query.type !== 'client') {
      for (const values of await this.page(EXCHANGES_SELECT, new Conditions().add('trashed_with_client IS NULL'), query)) {
        const deletedAt = this.dialect.fromDbTimestamp(values[EXCHANGE_READ_COLUMNS.length]);
        const record = valuesToExchange(values, this.dialect);
        entries.push({ type: 'exchange', id: record.id, deletedAt, record });
      }
    }
    entries.sort((a, b) => (a.deletedAt === b.deletedAt ? compare(b.id, a.id) : compare(b.deletedAt, a.deletedAt)));
    const data = entries.slice(0, query.limit);
    const last = data.at(-1);
    const nextPosition: KeysetPosition | null = entries.length > query.limit && last ? { value: last.deletedAt, id: last.id } : null;
    return { data, nextPosition };
  }

  purgeBefore(cutoff: string, limit: number): Promise<number> {
    const before = this.dialect.toDbTimestamp(cutoff);
    return this.sql.atomically(async (tx) => {
      // A client goes with the exchanges trashed with it; those trashed on their own keep their own date.
      const withClients = await tx.run(`DELETE FROM exchanges_trash WHERE trashed_with_client IN (${EXPIRED_CLIENTS})`, [before, limit]);
      const clients = await tx.run(`DELETE FROM clients_trash WHERE id IN (${EXPIRED_CLIENTS})`, [before, limit]);
      const exchanges = await tx.run(`DELETE FROM exchanges_trash WHERE id IN (${EXPIRED_EXCHANGES})`, [before, limit]);
      return withClients + clients + exchanges;
    });
  }

  async stats(): Promise<TrashStats> {
    const [clients, exchanges] = await Promise.all(
      ['clients_trash', 'exchanges_trash'].map((table) => this.sql.firstValues(`SELECT count(*), min(deleted_at) FROM ${table}`)),
    );
    const oldest = [clients?.[1], exchanges?.[1]]
      .filter((value) => value !== null && value !== undefined)
      .map((value) => this.dialect.fromDbTimestamp(value))
      .sort()[0];
    return { clients: Number(clients?.[0] ?? 0), exchanges: Number(exchanges?.[0] ?? 0), oldestDeletedAt: oldest ?? null };
  }

  private page(select: string, conditions: Conditions, query: TrashListQuery): Promise<unknown[][]> {
    const after = query.after && { value: this.dialect.toDbTimestamp(query.after.value) as string, id: query.after.id };
    const { sql, params } = keysetQuery(select, conditions, NEWEST_FIRST, after, query.limit);
    return this.sql.values(sql, params);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
