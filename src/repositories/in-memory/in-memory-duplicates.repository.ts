import { emailKey, nameCompanyKey, phoneKey, phoneRegion } from '../../domain/duplicate-keys';
import {
  groupKeysAfter,
  type DuplicateListQuery,
  type DuplicatePage,
  type DuplicateReason,
  type DuplicatesRepository,
} from '../duplicates.repository';
import { copyClient } from './memory-records';
import type { MemoryAccess, StoredClient } from './memory-tables';

/** The keys the SQL adapters store beside each client, computed here when read. */
const KEY_OF: Readonly<Record<DuplicateReason, (row: StoredClient) => string | null>> = {
  email: (row) => emailKey(row.client.email),
  phone: (row) => phoneKey(row.client.phone, phoneRegion()),
  name_company: (row) => nameCompanyKey(row.client.name, row.client.company),
};

/** Keys in the databases' order: UTF-8 bytes (SQLite BINARY, PostgreSQL COLLATE "C"), not UTF-16 units. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Oldest first, ties by id: the SQL adapters' member order. */
function oldestFirst(a: StoredClient, b: StoredClient): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class InMemoryDuplicatesRepository implements DuplicatesRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async list(query: DuplicateListQuery): Promise<DuplicatePage> {
    const clients = [...this.tables.read().clients.values()];
    const groupsOf = (reason: DuplicateReason) => {
      const groups = new Map<string, StoredClient[]>();
      for (const row of clients) {
        const key = KEY_OF[reason](row);
        if (key === null) continue;
        const members = groups.get(key);
        if (members) members.push(row);
        else groups.set(key, [row]);
      }
      return groups;
    };
    const byReason = new Map<DuplicateReason, Map<string, StoredClient[]>>();
    const positions = await groupKeysAfter(query.after, query.limit + 1, async (reason, afterKey, limit) => {
      const groups = groupsOf(reason);
      byReason.set(reason, groups);
      return [...groups.entries()]
        .filter(([key, members]) => members.length > 1 && (afterKey === null || byteOrder(key, afterKey) > 0))
        .map(([key]) => key)
        .sort(byteOrder)
        .slice(0, limit);
    });
    const hasMore = positions.length > query.limit;
    const page = hasMore ? positions.slice(0, query.limit) : positions;
    return {
      data: page.map(({ reason, key }) => {
        const members = [...byReason.get(reason)!.get(key)!].sort(oldestFirst);
        return {
          reason,
          key,
          total: members.length,
          clients: members.slice(0, query.membersPerGroup).map((row) => copyClient(row.client)),
        };
      }),
      nextPosition: hasMore ? page.at(-1)! : null,
    };
  }
}
