import type { TrashItem, TrashType } from '../domain/trash';
import type { TrashStats } from '../repositories/trash.repository';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { ListResult } from './client.service';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { DEFAULT_TRASH, type TrashSettings } from './record-lifecycle';

export interface TrashListParams {
  limit: number;
  cursor?: string;
  type?: TrashType;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Records purged per statement: small batches keep each write short, so requests never wait long behind one. */
export const PURGE_BATCH = 200;

export class TrashService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: TrashSettings = DEFAULT_TRASH,
  ) {}

  /** Newest deletions first; exchanges trashed with their client come back with it and are not listed. */
  async list(params: TrashListParams): Promise<ListResult<TrashItem>> {
    const context = cursorContext('-deletedAt', 'timestamp', { type: params.type });
    const page = await this.uow.repositories.trash.list({
      limit: params.limit,
      after: params.cursor ? decodeCursor(params.cursor, context) : null,
      type: params.type,
    });
    const data = page.data.map((entry) => ({ ...entry, purgeAt: this.purgeAt(entry.deletedAt) }) as TrashItem);
    return { data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }

  /**
   * Deletes for good what has been in the trash longer than the retention, batch after batch,
   * each its own short write. Resolves with the number of records removed.
   */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(Date.parse(this.clock()) - this.settings.retentionDays * DAY_MS).toISOString();
    let removed = 0;
    for (;;) {
      const batch = await this.uow.repositories.trash.purgeBefore(cutoff, PURGE_BATCH);
      removed += batch;
      if (batch === 0) return removed;
    }
  }

  stats(): Promise<TrashStats> {
    return this.uow.repositories.trash.stats();
  }

  private purgeAt(deletedAt: string): string {
    return new Date(Date.parse(deletedAt) + this.settings.retentionDays * DAY_MS).toISOString();
  }
}
