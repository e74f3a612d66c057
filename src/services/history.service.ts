import { InvalidParameterError, NotFoundError } from '../domain/errors';
import type { HistoryEntry, RecordType } from '../domain/history';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { ListResult } from './client.service';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';

export interface HistoryListParams {
  limit: number;
  cursor?: string;
}

const RESOURCE: Readonly<Record<RecordType, string>> = { client: 'Client', exchange: 'Exchange' };

/** A record's history, newest first, readable while the record is live, trashed or deleted for good. */
export class HistoryService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(recordType: RecordType, id: string, params: HistoryListParams): Promise<ListResult<HistoryEntry>> {
    // A cursor continues the history of one record only.
    const context = cursorContext('-version', 'text', { recordType, id });
    const before = params.cursor ? versionOf(decodeCursor(params.cursor, context).value) : null;
    const page = await this.uow.repositories.history.list(recordType, id, params.limit, before);
    // Records written before history existed have none: they answer an empty list, unknown ids a 404.
    if (page.data.length === 0 && before === null && !(await this.exists(recordType, id)))
      throw new NotFoundError(RESOURCE[recordType], id);
    const next = page.nextBefore === null ? null : encodeCursor({ value: String(page.nextBefore), id }, context);
    return { data: page.data, nextCursor: next };
  }

  private async exists(recordType: RecordType, id: string): Promise<boolean> {
    const repositories = this.uow.repositories;
    const records = recordType === 'client' ? repositories.clients : repositories.exchanges;
    return (await records.findById(id)) !== null || (await records.findInTrash(id)) !== null;
  }
}

function versionOf(value: string): number {
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new InvalidParameterError([{ path: 'cursor', message: 'is not a cursor of this list' }]);
  return version;
}
