import { SEARCH_TEXT_STATISTICS_TARGET } from '../../migrations/0006_client_search_statistics';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

const describeOnPostgres = testBackends().includes('postgres') ? describe : describe.skip;

/** PostgreSQL's own plans for q once it has statistics: search must read an index, not every client. */
describeOnPostgres('PostgreSQL search plans', () => {
  const db = useMigratedScratchDatabase('postgres');

  it('reads a rare term from the pg_trgm index and walks the created_at index for a common one, prepared', async () => {
    const { database } = db;
    // 20,000 clients in one statement: one in twenty is a Dupont, one is a Zéphyrin.
    await database.knex.raw(`
      INSERT INTO clients (id, name, search_text, sort_name, created_at, updated_at)
      SELECT gen_random_uuid(), label, lower(label), lower(label), at, at
      FROM (SELECT CASE WHEN n = 7777 THEN 'Zéphyrin' WHEN n % 20 = 0 THEN 'Dupont ' || n ELSE 'Client ' || n END AS label,
                   timestamptz '2026-01-01' + n * interval '1 second' AS at
            FROM generate_series(1, 20000) AS n) AS generated`);
    await database.knex.raw('UPDATE clients SET search_text = ? WHERE name = ?', ['zephyrin', 'Zéphyrin']);
    // Autovacuum would gather these statistics on a live server; the test cannot wait for it.
    await database.knex.raw('ANALYZE clients');

    const planOf = async (term: string): Promise<string> => {
      const condition = await database.dialect.clientSearchCondition(database.sql, term, 'created_at');
      const sql = `EXPLAIN (FORMAT JSON) SELECT id FROM clients WHERE ${condition.sql} ORDER BY created_at DESC, id DESC LIMIT 21`;
      return JSON.stringify(await database.sql.all(sql, condition.params));
    };
    const rare = await planOf('zephyrin');
    expect(rare).toMatch(/"Index Name":"clients_search_text_trgm_idx"/);
    const common = await planOf('dupont');
    expect(common).toMatch(/"Index Name":"clients_created_at_id_idx"/);
    expect(common).not.toMatch(/clients_search_text_trgm_idx|Seq Scan/);

    // A common term's search is kept prepared: the plan PostgreSQL settles on for a prepared
    // statement once it stops planning per call must be the same walk, whatever the term.
    const dupont = await database.dialect.clientSearchCondition(database.sql, 'dupont', 'created_at');
    expect(dupont.reusable).toBe(true);
    expect((await database.dialect.clientSearchCondition(database.sql, 'zephyrin', 'created_at')).reusable).toBe(false);
    expect((await database.dialect.clientSearchCondition(database.sql, 'du', 'created_at')).reusable).toBe(false);
    expect((await database.dialect.clientSearchCondition(database.sql, 'dupont', 'sort_name')).reusable).toBe(false);
    const generic = await database.knex.transaction(async (trx) => {
      await trx.raw(
        "PREPARE common_search(text) AS SELECT id FROM clients WHERE search_text LIKE $1 ESCAPE '\\' ORDER BY created_at DESC, id DESC LIMIT 21",
      );
      await trx.raw('SET LOCAL plan_cache_mode = force_generic_plan');
      // EXECUTE is a utility statement: its argument is a literal, not a bind parameter.
      const literal = String(dupont.params[0]).replace(/'/g, "''");
      const plan = await trx.raw(`EXPLAIN (FORMAT JSON) EXECUTE common_search('${literal}')`);
      await trx.raw('DEALLOCATE common_search');
      return JSON.stringify(plan.rows);
    });
    expect(generic).toMatch(/"Index Name":"clients_created_at_id_idx"/);
    expect(generic).not.toMatch(/clients_search_text_trgm_idx|Seq Scan/);
  });

  it('samples search_text widely enough that a common term is not taken for a rare one', async () => {
    const result = await db.database.knex.raw(
      "SELECT attstattarget AS target FROM pg_attribute WHERE attrelid = 'clients'::regclass AND attname = 'search_text'",
    );
    expect(Number(result.rows[0]?.target)).toBe(SEARCH_TEXT_STATISTICS_TARGET);
    expect(SEARCH_TEXT_STATISTICS_TARGET).toBeGreaterThan(100);
  });
});
