import type { CompoundWrite, ConcurrentInserts, InsertedRow, TableRows } from '../sql/compound-write';
import { SameTurnBatches, type Pending } from '../sql/same-turn-batches';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { columnNamed } from '../tables/table-definition';
import { answerBatch } from './postgres-batch-answers';
import { applyPostgresCompoundWrite, ARRAY_TYPE, columnArrays, insertFromArrays, shapeOf } from './postgres-compound-write';

/** Past this many rows a batch is split: one statement's arrays stay small, its latency short. */
export const MAX_INSERTS_PER_STATEMENT = 32;

const REUSABLE: StatementOptions = { reusable: true };

type Queued = Pending<CompoundWrite, number>;

/** The batched statement of each shape: the same text for any number of rows, so it stays prepared. */
const texts = new Map<string, string>();

/**
 * Creates that arrive in the same turn of the event loop are written by one statement: the
 * rows, their tags, history entries and events as arrays (unnest), in one round trip and one
 * commit. Measured on one backend, a create then costs PostgreSQL about 80 µs of CPU in a batch
 * of 8 instead of about 230 µs alone: parsing, planning, executor start-up and the commit's WAL
 * flush are paid once per statement. Nothing waits for a timer: the batch goes at the end of
 * the turn in which its first write came, so a lone write is not delayed.
 *
 * Each write is still answered as if it ran alone. The statement is atomic; when the database
 * refuses it (a foreign key, a unique key, a check on any one row) nothing was written, and
 * each write of the batch is applied again on its own, for its own answer. A connection lost
 * mid-statement fails every write of the batch, as it fails a lone write: none was acknowledged.
 */
export class PostgresInsertBatcher implements ConcurrentInserts {
  private readonly batches = new SameTurnBatches<CompoundWrite, number>(MAX_INSERTS_PER_STATEMENT, (batch) => void this.write(batch));

  /** session: statements outside any transaction (the pool), without concurrentInserts itself. */
  constructor(private readonly session: SqlSession) {}

  apply(write: CompoundWrite): Promise<number> {
    return this.batches.add(shapeOf(write), write);
  }

  private write(batch: Queued[]): Promise<void> {
    return answerBatch(
      inParentOrder(batch),
      async (writes) => {
        await this.session.firstValues(batchedText(writes[0] as CompoundWrite), batchedParams(writes), REUSABLE);
        return writes.map(() => 1);
      },
      (write) => applyPostgresCompoundWrite(this.session, write),
    );
  }
}

function insertedRow(write: CompoundWrite): InsertedRow {
  if (!write.insertsRow || write.children) throw new Error('only single-row inserts without child sets are written together');
  return write.insertsRow;
}

/** The batch sorted by the parent ids of its writes (InsertedRow.parentColumn), or as it came. */
function inParentOrder(batch: Queued[]): Queued[] {
  const { columns, parentColumn } = insertedRow((batch[0] as Queued).item);
  if (parentColumn === undefined) return batch;
  const at = columns.indexOf(parentColumn);
  const parentOf = (queued: Queued) => String(queued.item.params[at]);
  return [...batch].sort((a, b) => (parentOf(a) < parentOf(b) ? -1 : parentOf(a) > parentOf(b) ? 1 : 0));
}

function batchedText(write: CompoundWrite): string {
  const shape = shapeOf(write);
  let text = texts.get(shape);
  if (text === undefined) {
    const { table, columns } = insertedRow(write);
    const arrays = columns.map((name) => `?::${ARRAY_TYPE[columnNamed(table, name).type]}`);
    const parts = [`written AS (INSERT INTO ${table.name} (${columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) RETURNING 1)`];
    (write.inserts ?? []).forEach((rows, index) => parts.push(`added_${index} AS (${insertFromArrays(rows.table, rows.onlyWith)})`));
    text = `WITH ${parts.join(', ')} SELECT count(*)::int FROM written`;
    texts.set(shape, text);
  }
  return text;
}

/** One array per inserted column, then one per column of each dependent table, rows of every write in order. */
function batchedParams(writes: readonly CompoundWrite[]): unknown[] {
  const [first] = writes as [CompoundWrite];
  const params: unknown[] = insertedRow(first).columns.map((_, index) => writes.map((write) => write.params[index]));
  (first.inserts ?? []).forEach((rows, index) => {
    const all: TableRows = { table: rows.table, rows: writes.flatMap((write) => write.inserts?.[index]?.rows ?? []) };
    params.push(...columnArrays(all));
  });
  return params;
}
