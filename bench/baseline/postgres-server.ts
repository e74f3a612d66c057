import pg from 'pg';
import { serveBaseline } from './baseline-http';
import type { BaselineStore, ClientRow, ExchangeRow, HistoryRow } from './baseline-store';
import { CLIENT_COLUMNS, EXCHANGE_COLUMNS, numbered, probeSession, searchCondition } from './search-sql';

/**
 * Bare baseline on PostgreSQL: node:http + a pg Pool as large as the app's pool for API
 * statements (DATABASE_POOL_MAX, default 10, less the one connection the app keeps for Knex:
 * README, "How the code reaches the database"). It sits at PostgreSQL's limit for each answer:
 * every statement is a named prepared statement (parsed and planned once per connection, the
 * search included), and a create is one statement, the client and its tags written by one
 * data-modifying WITH, in one round trip and atomic without BEGIN and COMMIT. Started by
 * bench/run.ts with DATABASE_URL and PORT.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
const pool = new pg.Pool({ connectionString: url, max: Math.max(1, Number(process.env.DATABASE_POOL_MAX ?? 10) - 1) });

const INSERT_CLIENT_COLUMNS =
  'id, name, email, phone, company, status, tags, notes, search_text, sort_name, email_key, phone_key, name_key, created_at, updated_at, version';

// The new row, then its tags and its history entry from the rows it returned, in one statement.
const INSERT_CLIENT_WITH_TAGS = `WITH client AS (
  INSERT INTO clients (${INSERT_CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id
), tags AS (INSERT INTO client_tags (client_id, tag) SELECT client.id, tag FROM client, unnest($17::text[]) AS tag)
INSERT INTO history (record_id, version, record_type, action, at, actor, changes)
SELECT client.id, $18, $19, $20, $21, $22, $23 FROM client`;

const INSERT_EXCHANGE = `WITH exchange AS (
  INSERT INTO exchanges (${EXCHANGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
) INSERT INTO history (record_id, version, record_type, action, at, actor, changes)
SELECT exchange.id, $12, $13, $14, $15, $16, $17 FROM exchange`;

function historyValues(row: HistoryRow): unknown[] {
  return [row.version, row.record_type, row.action, row.at, row.actor, row.changes];
}

// One name per text, as the app derives them: the same text always runs under the same name.
const names = new Map<string, string>();
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `baseline_${names.size + 1}`));
  return name;
}

async function rows<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
  return (await pool.query<Row>({ name: nameOf(text), text, values })).rows;
}

function clientValues(row: ClientRow): unknown[] {
  return [
    row.id,
    row.name,
    row.email,
    row.phone,
    row.company,
    row.status,
    row.tags,
    row.notes,
    row.search_text,
    row.sort_name,
    row.email_key,
    row.phone_key,
    row.name_key,
    row.created_at,
    row.updated_at,
    row.version,
  ];
}

function exchangeValues(row: ExchangeRow): unknown[] {
  return [
    row.id,
    row.client_id,
    row.kind,
    row.direction,
    row.subject,
    row.body,
    row.occurred_at,
    row.follow_up_at,
    row.created_at,
    row.updated_at,
    row.version,
  ];
}

// One session for the life of the server, as the app has one pool: the dialect remembers per
// session which terms it has probed.
const probe = probeSession((text, values) => rows(numbered(text), values));

const store: BaselineStore = {
  async listClients(limit, search) {
    if (!search) return rows<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients ORDER BY created_at DESC, id DESC LIMIT $1`, [limit + 1]);
    const { sql, params } = await searchCondition('postgres', probe, search);
    return rows<ClientRow>(numbered(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`), [
      ...params,
      limit + 1,
    ]);
  },
  async getClient(id) {
    return (await rows<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = $1`, [id]))[0];
  },
  async insertClient(row, tags, history) {
    await rows(INSERT_CLIENT_WITH_TAGS, [...clientValues(row), tags, ...historyValues(history)]);
  },
  timeline: (clientId, limit) =>
    rows<ExchangeRow>(`SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE client_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`, [
      clientId,
      limit + 1,
    ]),
  async insertExchange(row, history) {
    try {
      await rows(INSERT_EXCHANGE, [...exchangeValues(row), ...historyValues(history)]);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '23503') return false;
      throw error;
    }
  },
  async ping() {
    await pool.query('SELECT 1');
  },
  close: () => pool.end(),
};

serveBaseline(store, (iso) => iso);
