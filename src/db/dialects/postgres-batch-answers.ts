import pg from 'pg';
import type { Pending } from '../sql/same-turn-batches';

/**
 * Answers every item of a batch from one shared statement (`together`, its results in the
 * items' order), or, when PostgreSQL refused that statement, each item from a statement of its
 * own (`alone`): a refused statement took no effect, so running each again gives each the
 * answer it would have had alone (its own error included). Any other failure, a lost
 * connection, fails them all, as it fails a lone statement. A batch of one goes alone.
 */
export async function answerBatch<Item, Result>(
  batch: readonly Pending<Item, Result>[],
  together: (items: Item[]) => Promise<Result[]>,
  alone: (item: Item) => Promise<Result>,
): Promise<void> {
  const answerAlone = (pending: Pending<Item, Result>) => alone(pending.item).then(pending.resolve, pending.reject);
  if (batch.length === 1) return answerAlone(batch[0] as Pending<Item, Result>);
  let results: Result[];
  try {
    results = await together(batch.map((pending) => pending.item));
  } catch (error) {
    if (error instanceof pg.DatabaseError) await Promise.all(batch.map(answerAlone));
    else for (const pending of batch) pending.reject(error);
    return;
  }
  batch.forEach((pending, index) => pending.resolve(results[index] as Result));
}
