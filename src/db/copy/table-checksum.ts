import { createHash, type Hash } from 'node:crypto';
import type { RowBatch } from './row-batch';

/**
 * A running SHA-256 over a table's canonical lines in primary-key order, plus the row count.
 * Both sides of a copy feed it the batches they read, so equal digests mean equal tables,
 * whatever each database's own rendering of its types.
 */
export class TableChecksum {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  add(batch: RowBatch): void {
    this.hash.update(batch.lines());
    this.count += batch.count;
  }

  get rows(): number {
    return this.count;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
