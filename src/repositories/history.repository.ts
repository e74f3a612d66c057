import type { HistoryEntry, RecordType } from '../domain/history';

export interface HistoryPage {
  readonly data: HistoryEntry[];
  /** The version to continue below, or null on the last page. */
  readonly nextBefore: number | null;
}

/** Every change of every record, kept after the record is trashed or deleted for good. */
export interface HistoryRepository {
  /** A record's entries, newest first, below version `before` when given. */
  list(recordType: RecordType, recordId: string, limit: number, before: number | null): Promise<HistoryPage>;
}
