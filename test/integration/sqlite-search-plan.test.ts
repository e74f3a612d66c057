import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import { commonTermThreshold } from '../../src/db/dialects/common-terms';
import { createdEntry, makeClient } from '../factories/records';
import { useMigratedScratchDatabase } from '../support/test-databases';

/** SQLite's own plans for q: which index serves a rare and a common term (search must read an index, not every client). */
describe('SQLite search plans', () => {
  const db = useMigratedScratchDatabase('sqlite');

  it('calls a term common from about the square root of the number of clients, within bounds', () => {
    expect(commonTermThreshold(0)).toBe(64);
    expect(commonTermThreshold(10_000)).toBe(100);
    expect(commonTermThreshold(1_000_000)).toBe(1000);
    expect(commonTermThreshold(100_000_000)).toBe(2000);
  });

  it('reads a rare term from the FTS index and walks the scan index for a common one', async () => {
    const { database } = db;
    const uow = new SqlUnitOfWork(database.sql, database.dialect);
    await uow.transaction(async (r) => {
      for (let i = 0; i < 400; i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        const client = makeClient({
          name: i < 100 ? `Dupont ${i}` : i === 100 ? 'Zéphyrin' : `Client ${i}`,
          email: null,
          createdAt: at,
          updatedAt: at,
        });
        await r.clients.insert(client, createdEntry(client));
      }
    });
    const planOf = async (term: string): Promise<string> => {
      const condition = await database.dialect.clientSearchCondition(database.sql, term, 'created_at');
      const sql = `EXPLAIN QUERY PLAN SELECT id FROM clients WHERE ${condition.sql} ORDER BY created_at DESC, id DESC LIMIT 21`;
      const steps = await database.sql.all<{ detail: string }>(sql, condition.params);
      return steps.map((step) => step.detail).join(' | ');
    };
    expect(await planOf('zephyrin')).toMatch(/client_search_fts VIRTUAL TABLE/);
    expect(await planOf('dupont')).toMatch(/USING (COVERING )?INDEX clients_created_at_search_idx/);
  });
});
