import type { RecordType } from '../../domain/history';
import type { HistoryPage, HistoryRepository } from '../history.repository';
import { fromStored } from './memory-history';
import type { MemoryAccess } from './memory-tables';

export class InMemoryHistoryRepository implements HistoryRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async list(recordType: RecordType, recordId: string, limit: number, before: number | null): Promise<HistoryPage> {
    const entries = (this.tables.read().history.get(recordId) ?? [])
      .filter((entry) => entry.recordType === recordType && (before === null || entry.version < before))
      .reverse();
    const page = entries.slice(0, limit);
    const last = page.at(-1);
    return { data: page.map(fromStored), nextBefore: entries.length > limit && last ? last.version : null };
  }
}
