import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { StatementOptions } from '../sql/sql-executor';

/** A `?` statement as PostgreSQL takes it: `$1, $2, …` placeholders, and the name it is prepared under. */
interface PostgresStatement {
  readonly text: string;
  readonly name: string;
}

// Keyed by the repositories' text, computed once per text. Texts come from a bounded set of
// code paths (fixed statements, list filters combined, bulk-insert widths).
const statements = new Map<string, PostgresStatement>();

function statementOf(sql: string): PostgresStatement {
  let statement = statements.get(sql);
  if (statement === undefined) {
    let index = 0;
    const text = sql.replace(/\?/g, () => `$${(index += 1)}`);
    // Derived from the text, so every connection and every instance agrees on it, and a
    // changed statement can never run under an old name.
    statement = { text, name: `crm_${createHash('sha256').update(text).digest('hex').slice(0, 24)}` };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Each named statement costs the server a parsed tree and a cached plan per connection for as
 * long as the connection lives, so a connection keeps at most this many; past it, statements
 * are sent unnamed (parsed and planned per call, still correct). The API's reusable statements
 * number about fifty-five (list pages per sort, with and without a cursor, a dozen; the trash
 * moves ten; the statements shared by concurrent creates, reads by id and timelines, eight).
 */
const MAX_NAMED_PER_CONNECTION = 64;
const namedOn = new WeakMap<pg.ClientBase, Set<string>>();

function mayName(client: pg.ClientBase, name: string): boolean {
  let names = namedOn.get(client);
  if (names === undefined) namedOn.set(client, (names = new Set()));
  if (names.has(name)) return true;
  if (names.size >= MAX_NAMED_PER_CONNECTION) return false;
  names.add(name);
  return true;
}

/**
 * The query for this client: named when the caller marks the statement reusable, so the
 * connection parses and plans it once (PostgreSQL's own plan cache then keeps a generic plan
 * once it is as good as the custom ones), unnamed otherwise.
 */
export function queryOn<Mode extends 'array' | undefined>(
  client: pg.ClientBase,
  sql: string,
  params: readonly unknown[],
  options: StatementOptions | undefined,
  rowMode: Mode,
): pg.QueryConfig & { rowMode: Mode } {
  const statement = statementOf(sql);
  const named = options?.reusable === true && mayName(client, statement.name);
  return { text: statement.text, values: params as unknown[], rowMode, ...(named ? { name: statement.name } : {}) };
}
