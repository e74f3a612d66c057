import type { ConcurrentLookups, KeyedList, KeyLookup } from '../sql/key-lookup';
import { SameTurnBatches, type Pending } from '../sql/same-turn-batches';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { columnNamed } from '../tables/table-definition';
import { answerBatch } from './postgres-batch-answers';
import { ARRAY_TYPE } from './postgres-compound-write';

/** Keys read by one statement at most; more are split. */
export const MAX_KEYS_PER_STATEMENT = 64;

const REUSABLE: StatementOptions = { reusable: true };

interface Asked {
  readonly lookup: KeyLookup;
  readonly key: string;
}

type Waiting = Pending<Asked, unknown[] | undefined>;

interface Listed {
  readonly list: KeyedList;
  readonly params: readonly unknown[];
  /** The parameters besides the key: the same for every read of a batch. */
  readonly others: readonly unknown[];
}

type WaitingList = Pending<Listed, unknown[][]>;

/** The statement reading many keys of each lookup (`= ANY` of an array): one text for any number of keys. */
const texts = new Map<KeyLookup, string>();
const listTexts = new Map<KeyedList, string>();

/**
 * Reads by id that arrive in the same turn of the event loop are one statement, `WHERE id =
 * ANY (array)`, in one round trip: PostgreSQL starts one executor and walks one index for all
 * of them. So are the pages of client timelines with the same limit (and cursor): each
 * client's page is the statement as written, run for every key of an array (`CROSS JOIN
 * LATERAL`). Each reader gets its rows, as if its read had run alone a moment later; a read
 * never joins a transaction (the sessions of transactions read alone). A refused statement
 * is answered read by read (answerBatch).
 */
export class PostgresKeyLookups implements ConcurrentLookups {
  private readonly batches = new SameTurnBatches<Asked, unknown[] | undefined>(MAX_KEYS_PER_STATEMENT, (batch) => void this.read(batch));

  private readonly listBatches = new SameTurnBatches<Listed, unknown[][]>(MAX_KEYS_PER_STATEMENT, (batch) => void this.readLists(batch));

  /** session: statements outside any transaction (the pool), without concurrentLookups itself. */
  constructor(private readonly session: SqlSession) {}

  find(lookup: KeyLookup, key: string): Promise<unknown[] | undefined> {
    return this.batches.add(lookup.sql, { lookup, key });
  }

  list(list: KeyedList, params: readonly unknown[]): Promise<unknown[][]> {
    // Lists share a statement only with the same other parameters (the limit, a cursor).
    const others = params.filter((_, index) => index !== list.keyAt);
    return this.listBatches.add(`${list.sql}\u0000${others.join('\u0000')}`, { list, params, others });
  }

  private readLists(batch: WaitingList[]): Promise<void> {
    const { list, others } = (batch[0] as WaitingList).item;
    return answerBatch(
      batch,
      async (asked) => {
        const keys = asked.map((item) => item.params[list.keyAt]);
        const rows = await this.session.values(listText(list), [keys, ...others], REUSABLE);
        // Each row starts with the position (from 1) of the read it answers.
        const answers: unknown[][][] = asked.map(() => []);
        for (const row of rows) answers[Number(row[0]) - 1]?.push(row.slice(1));
        return answers;
      },
      (item) => this.session.values(item.list.sql, item.params, REUSABLE),
    );
  }

  private read(batch: Waiting[]): Promise<void> {
    const { lookup } = (batch[0] as Waiting).item;
    return answerBatch(
      batch,
      async (asked) => {
        const rows = await this.session.values(manyKeysText(lookup), [asked.map((item) => item.key)], REUSABLE);
        const keyAt = lookup.columns.indexOf(lookup.keyColumn);
        const byKey = new Map(rows.map((row) => [String(row[keyAt]).toLowerCase(), row]));
        return asked.map((item) => byKey.get(item.key.toLowerCase()));
      },
      (item) => this.session.firstValues(item.lookup.sql, [item.key], REUSABLE),
    );
  }
}

function manyKeysText(lookup: KeyLookup): string {
  let text = texts.get(lookup);
  if (text === undefined) {
    const keyType = ARRAY_TYPE[columnNamed(lookup.table, lookup.keyColumn).type];
    text = `SELECT ${lookup.columns.join(', ')} FROM ${lookup.table.name} WHERE ${lookup.keyColumn} = ANY (?::${keyType})`;
    texts.set(lookup, text);
  }
  return text;
}

/**
 * The list's statement for an array of keys: the statement as written, its key placeholder
 * reading each key in turn, every row prefixed with the position of its key, sorted by that
 * position and then as the statement sorts.
 */
function listText(list: KeyedList): string {
  let text = listTexts.get(list);
  if (text === undefined) {
    const pieces = list.sql.split('?');
    if (list.keyAt >= pieces.length - 1) throw new Error(`no placeholder ${list.keyAt} in ${list.sql}`);
    const inner = pieces.reduce((sql, piece, index) => `${sql}${index === list.keyAt + 1 ? 'asked.key' : '?'}${piece}`);
    const order = list.orderBy.map((term) => `listed.${term}`).join(', ');
    text = `SELECT asked.position, listed.* FROM unnest(?::${ARRAY_TYPE[list.keyType]}) WITH ORDINALITY AS asked (key, position) CROSS JOIN LATERAL (${inner}) AS listed ORDER BY asked.position, ${order}`;
    listTexts.set(list, text);
  }
  return text;
}
