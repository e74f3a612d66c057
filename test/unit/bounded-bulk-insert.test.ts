import { boundedBulkInsert } from '../../src/db/adapters/bounded-bulk-insert';
import type { DialectTools } from '../../src/db/dialects';
import { rowsPerInsert } from '../../src/db/sql/multi-row-insert';
import type { SqlSession } from '../../src/db/sql/sql-executor';

/** The chunk sizes a bulk insert of `count` rows of `width` columns is split into. */
async function chunkSizes(count: number, width: number): Promise<number[]> {
  const sizes: number[] = [];
  const tools = { bulkInsert: async (_session: unknown, _table: string, rows: readonly unknown[]) => void sizes.push(rows.length) };
  const row = Object.fromEntries(Array.from({ length: width }, (_, column) => [`c${column}`, column]));
  await boundedBulkInsert(tools as unknown as DialectTools, {} as SqlSession, 't', Array(count).fill(row));
  return sizes;
}

describe('boundedBulkInsert', () => {
  it('writes every row, in chunks of powers of two no wider than one statement takes', async () => {
    expect(await chunkSizes(1000, 17)).toEqual([256, 256, 256, 128, 64, 32, 8]);
    expect(await chunkSizes(0, 3)).toEqual([]);
    expect(await chunkSizes(1, 3)).toEqual([1]);
  });

  it('leaves a dozen distinct statement sizes per table, whatever the batch sizes', async () => {
    const seen = new Set<number>();
    for (let count = 1; count <= 1500; count += 7) for (const size of await chunkSizes(count, 7)) seen.add(size);
    expect(seen.size).toBeLessThanOrEqual(Math.log2(rowsPerInsert(7)) + 1);
    expect([...seen].every((size) => Number.isInteger(Math.log2(size)) && size <= rowsPerInsert(7))).toBe(true);
  });
});
