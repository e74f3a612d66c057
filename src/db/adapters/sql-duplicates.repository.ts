import {
  groupKeysAfter,
  type DuplicateGroup,
  type DuplicateListQuery,
  type DuplicatePage,
  type DuplicateReason,
  type DuplicatesRepository,
} from '../../repositories/duplicates.repository';
import type { Dialect } from '../dialects';
import type { SqlSession } from '../sql/sql-executor';
import { CLIENT_READ_COLUMNS, valuesToClient } from '../tables/clients.table';

/** The indexed key column of each reason (migration 0009; partial indexes, hence IS NOT NULL). */
const KEY_COLUMN: Readonly<Record<DuplicateReason, 'email_key' | 'phone_key' | 'name_key'>> = {
  email: 'email_key',
  phone: 'phone_key',
  name_company: 'name_key',
};

/**
 * The next groups of a reason: a walk of its key index in order, counting each key's entries,
 * until `limit` keys held more than one client. Where duplicates are rare, a page may read far
 * into the index (the whole of it on the last page): it never reads the clients themselves.
 */
function groupsSql(column: string, after: boolean): string {
  return `SELECT ${column} FROM clients WHERE ${column} IS NOT NULL${after ? ` AND ${column} > ?` : ''}
    GROUP BY ${column} HAVING count(*) > 1 ORDER BY ${column} LIMIT ?`;
}

/**
 * The members of the page's groups of one reason, oldest first, at most `members` per group,
 * with each group's size, in one statement (window functions: SQLite 3.25+, PostgreSQL).
 */
function membersSql(column: string, keys: number): string {
  const columns = CLIENT_READ_COLUMNS.join(', ');
  return `SELECT ${columns}, dup_key, dup_total FROM (
      SELECT ${columns}, ${column} AS dup_key,
        row_number() OVER (PARTITION BY ${column} ORDER BY created_at, id) AS dup_rank,
        count(*) OVER (PARTITION BY ${column}) AS dup_total
      FROM clients WHERE ${column} IN (${Array(keys).fill('?').join(', ')})
    ) ranked WHERE dup_rank <= ? ORDER BY dup_key, dup_rank`;
}

const KEY_AT = CLIENT_READ_COLUMNS.length;
const TOTAL_AT = KEY_AT + 1;

export class SqlDuplicatesRepository implements DuplicatesRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async list(query: DuplicateListQuery): Promise<DuplicatePage> {
    const positions = await groupKeysAfter(query.after, query.limit + 1, async (reason, afterKey, limit) => {
      const params = afterKey === null ? [limit] : [afterKey, limit];
      const rows = await this.sql.values(groupsSql(KEY_COLUMN[reason], afterKey !== null), params);
      return rows.map((row) => row[0] as string);
    });
    const hasMore = positions.length > query.limit;
    const page = hasMore ? positions.slice(0, query.limit) : positions;
    const groups = new Map<string, DuplicateGroup>();
    for (const reason of new Set(page.map((position) => position.reason))) {
      const keys = page.filter((position) => position.reason === reason).map((position) => position.key);
      const rows = await this.sql.values(membersSql(KEY_COLUMN[reason], keys.length), [...keys, query.membersPerGroup]);
      for (const row of rows) {
        const key = row[KEY_AT] as string;
        const id = `${reason}\u0000${key}`;
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { reason, key, total: Number(row[TOTAL_AT]), clients: [] }));
        group.clients.push(valuesToClient(row, this.dialect));
      }
    }
    return {
      data: page.flatMap(({ reason, key }) => {
        const group = groups.get(`${reason}\u0000${key}`);
        return group && group.total > 1 ? [group] : [];
      }),
      nextPosition: hasMore ? page.at(-1)! : null,
    };
  }
}
