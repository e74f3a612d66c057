import pg from 'pg';
import { answerBatch } from '../../src/db/dialects/postgres-batch-answers';
import { SameTurnBatches, type Pending } from '../../src/db/sql/same-turn-batches';

/** A batch of pending items whose answers are collected as settled results. */
function pendingItems(items: string[]) {
  const settled: Array<{ item: string; value?: string; error?: unknown }> = [];
  const batch: Pending<string, string>[] = items.map((item) => ({
    item,
    resolve: (value) => settled.push({ item, value }),
    reject: (error) => settled.push({ item, error }),
  }));
  return { batch, settled };
}

function refusal(message: string): pg.DatabaseError {
  return new pg.DatabaseError(message, 0, 'error');
}

describe('answering a shared statement (PostgreSQL)', () => {
  it('answers each item from the shared statement when it succeeds', async () => {
    const { batch, settled } = pendingItems(['a', 'b']);
    const alone = jest.fn(async (item: string) => `alone ${item}`);
    await answerBatch(batch, async (items) => items.map((item) => `shared ${item}`), alone);
    expect(settled).toEqual([
      { item: 'a', value: 'shared a' },
      { item: 'b', value: 'shared b' },
    ]);
    expect(alone).not.toHaveBeenCalled();
  });

  it('runs each item alone when the database refused the shared statement, each with its own answer', async () => {
    const { batch, settled } = pendingItems(['good', 'bad']);
    const alone = async (item: string) => {
      if (item === 'bad') throw refusal('violates foreign key constraint');
      return `alone ${item}`;
    };
    await answerBatch(batch, () => Promise.reject(refusal('violates foreign key constraint')), alone);
    expect(settled).toEqual([
      { item: 'good', value: 'alone good' },
      { item: 'bad', error: expect.any(pg.DatabaseError) },
    ]);
  });

  it('fails every item, and runs none again, when the statement failed otherwise (a lost connection)', async () => {
    const { batch, settled } = pendingItems(['a', 'b', 'c']);
    const lost = new Error('Connection terminated unexpectedly');
    const alone = jest.fn(async (item: string) => item);
    await answerBatch(batch, () => Promise.reject(lost), alone);
    expect(settled).toEqual([
      { item: 'a', error: lost },
      { item: 'b', error: lost },
      { item: 'c', error: lost },
    ]);
    expect(alone).not.toHaveBeenCalled();
  });

  it('sends a batch of one alone, never as a shared statement', async () => {
    const { batch, settled } = pendingItems(['only']);
    const together = jest.fn(async (items: string[]) => items);
    await answerBatch(batch, together, async (item) => `alone ${item}`);
    expect(settled).toEqual([{ item: 'only', value: 'alone only' }]);
    expect(together).not.toHaveBeenCalled();
  });
});

describe('collecting items by turn of the event loop', () => {
  /** Batches as they are handed over: each one's group items, answered with their own names. */
  function collector(max: number) {
    const sent: string[][] = [];
    const batches = new SameTurnBatches<string, string>(max, (batch) => {
      sent.push(batch.map((pending) => pending.item));
      for (const pending of batch) pending.resolve(pending.item);
    });
    return { sent, batches };
  }

  it('hands over what came in one turn together, per group, in slices of at most max', async () => {
    const { sent, batches } = collector(2);
    const answers = Promise.all(['a1', 'a2', 'a3'].map((item) => batches.add('a', item)).concat(batches.add('b', 'b1')));
    expect(sent).toEqual([]);
    expect(await answers).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(sent).toEqual([['a1', 'a2'], ['a3'], ['b1']]);
  });

  it('hands over items of a later turn in a batch of their own', async () => {
    const { sent, batches } = collector(10);
    const first = batches.add('a', 'first');
    await new Promise((resolve) => setImmediate(resolve));
    const second = batches.add('a', 'second');
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(sent).toEqual([['first'], ['second']]);
  });
});
