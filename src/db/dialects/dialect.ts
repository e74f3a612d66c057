import type { CompoundWrite } from '../sql/compound-write';
import type { SqlSession } from '../sql/sql-executor';
import type { TrashMoves } from './trash-moves';
import type { WebhookClaims } from './webhook-claims';

/** A WHERE condition for a search term, and whether one plan serves every term it is chosen for. */
export interface SearchCondition {
  readonly sql: string;
  readonly params: unknown[];
  /** The statement may be kept prepared under a name (StatementOptions.reusable). */
  readonly reusable: boolean;
}

/**
 * What the running API needs to know of its database, chosen once per connection: how values
 * are stored, how driver errors read, and how to search. The repositories call these; nothing
 * else asks which database it is talking to. Operator tools have theirs in DialectTools.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * The condition selecting clients whose search_text contains the folded term literally,
   * index-backed where the database allows it; the list's sort column informs the plan.
   */
  clientSearchCondition(sql: SqlSession, foldedTerm: string, sortColumn: string): Promise<SearchCondition>;
  /** A JS value the driver stores as the column's timestamp type. */
  toDbTimestamp(iso: string): string | Date;
  /** Whatever the driver returned for a timestamp column, as ISO-8601 UTC with milliseconds. */
  fromDbTimestamp(value: unknown): string;
  /**
   * Applies a change to one row and the rows depending on it, all or none, in as few round
   * trips as the database allows; resolves with the number of rows the change matched.
   */
  applyCompoundWrite(sql: SqlSession, write: CompoundWrite): Promise<number>;
  /** Moves to and from the trash, and permanent deletes, each atomic with its history entries. */
  readonly trashMoves: TrashMoves;
  /** How the webhook dispatcher takes events and deliveries without two instances taking the same. */
  readonly webhookClaims: WebhookClaims;
  /**
   * What ends a SELECT that locks the rows it reads until the transaction ends: FOR UPDATE on
   * PostgreSQL (in the order the rows are returned); nothing on SQLite, which has no row locks
   * and needs none, a transaction holding the one writer lock from its BEGIN IMMEDIATE.
   */
  readonly lockReadRows: string;
  /** Driver error -> a stable kind the adapters can translate, or null when unknown. */
  classifyError(error: unknown): 'unique_violation' | 'foreign_key_violation' | null;
}

export function toIsoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  throw new TypeError(`Not a timestamp: ${typeof value}`);
}
