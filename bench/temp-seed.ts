import Database from 'better-sqlite3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { buildSearchText, buildSortName } from '../src/domain/text-normalization';

/**
 * TEMPORARY: stands in for `crm seed` until src/cli/commands/seed.command.ts lands, so the
 * harness can be developed. Deterministic (mulberry32 over --seed), Dupont-like names included.
 * bench/seed-database.ts prefers the real command as soon as the build has it.
 */
const FIRST = ['Hélène', 'Jean', 'Marie', 'Éloïse', 'Pierre', 'Chloé', 'Luc', 'Zoé', 'Alice', 'Bob', 'Emma', 'Noah', 'Olivia', 'François', 'Inès', 'Liam'];
const LAST = ['Dupont', 'Dupond', 'Martin', 'Bernard', 'Lefèvre', 'Moreau', 'Smith', 'Johnson', 'Brown', 'Girard', 'Rousseau', 'Müller', 'García', 'Dubois', 'Lambert', 'Fontaine', 'Mercier', 'Blanc', 'Faure', 'André'];
const COMPANIES = ['Boulangerie', 'Garage', 'Cabinet', 'Studio', 'Atelier', 'Acme', 'Globex', 'Initech'];
const KINDS = ['call', 'email', 'meeting', 'message', 'note'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, unknown>;

function* generate(clients: number, exchanges: number, seed: number): Generator<{ table: 'clients' | 'exchanges'; row: Row }> {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = Date.UTC(2023, 0, 1);
  const span = 3 * 365 * 86_400_000;
  const ids: string[] = [];
  for (let i = 0; i < clients; i++) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const company = random() < 0.6 ? `${pick(COMPANIES)} ${pick(LAST)}` : null;
    const email = `client${i}@example.com`;
    const at = new Date(start + Math.floor((i / clients) * span)).toISOString();
    const id = uuidv7({ msecs: start + i });
    ids.push(id);
    yield {
      table: 'clients',
      row: { id, name, email, phone: null, company, status: pick(['lead', 'prospect', 'customer', 'inactive']), tags: '[]', notes: null,
        search_text: buildSearchText([name, email, company, null]), sort_name: buildSortName(name), created_at: at, updated_at: at, version: 1 },
    };
  }
  for (let i = 0; i < exchanges; i++) {
    const at = new Date(start + Math.floor(random() * span)).toISOString();
    yield {
      table: 'exchanges',
      row: { id: uuidv7({ msecs: start + i }), client_id: pick(ids), kind: pick(KINDS), direction: random() < 0.5 ? 'inbound' : 'outbound',
        subject: `Subject ${i}`, body: 'Lorem ipsum dolor sit amet.', occurred_at: at, follow_up_at: null, created_at: at, updated_at: at, version: 1 },
    };
  }
}

const COLUMNS = {
  clients: ['id', 'name', 'email', 'phone', 'company', 'status', 'tags', 'notes', 'search_text', 'sort_name', 'created_at', 'updated_at', 'version'],
  exchanges: ['id', 'client_id', 'kind', 'direction', 'subject', 'body', 'occurred_at', 'follow_up_at', 'created_at', 'updated_at', 'version'],
};

export async function tempSeed(target: { sqlitePath?: string; databaseUrl?: string }, clients: number, exchanges: number, seed: number): Promise<void> {
  if (target.sqlitePath) {
    const db = new Database(target.sqlitePath);
    const statements = {
      clients: db.prepare(`INSERT INTO clients (${COLUMNS.clients.join(', ')}) VALUES (${COLUMNS.clients.map((c) => '@' + c).join(', ')})`),
      exchanges: db.prepare(`INSERT INTO exchanges (${COLUMNS.exchanges.join(', ')}) VALUES (${COLUMNS.exchanges.map((c) => '@' + c).join(', ')})`),
    };
    db.transaction(() => {
      for (const { table, row } of generate(clients, exchanges, seed)) statements[table].run(row);
    })();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    let batch: Row[] = [];
    let table: 'clients' | 'exchanges' = 'clients';
    const flush = async () => {
      if (batch.length === 0) return;
      const columns = COLUMNS[table];
      const values: unknown[] = [];
      const tuples = batch.map((row) => `(${columns.map((column) => `$${values.push(row[column])}`).join(', ')})`);
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      batch = [];
    };
    for (const item of generate(clients, exchanges, seed)) {
      if (item.table !== table || batch.length === 1000) await flush();
      table = item.table;
      batch.push(item.row);
    }
    await flush();
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
