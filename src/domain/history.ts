/** The kinds of records that have a history and a trash. */
export type RecordType = 'client' | 'exchange';

export const HISTORY_ACTIONS = ['created', 'updated', 'deleted', 'restored', 'merged', 'imported'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** A field's value before and after a change; `from` is null for a field a create set. */
export type FieldChanges = Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;

/**
 * Who made a change: the label of the API key (`API_KEYS` entries `label:key`), otherwise
 * `key-` and the first 8 hex digits of the key's SHA-256; null when authentication is off.
 * Never the key itself.
 */
export type Actor = string | null;

/** One change of one record: the version it produced, what it was, when, by whom, and what changed. */
export interface HistoryEntry {
  readonly recordType: RecordType;
  readonly recordId: string;
  readonly version: number;
  readonly action: HistoryAction;
  readonly at: string;
  readonly actor: Actor;
  readonly changes: FieldChanges;
}

/** What a write needs to record its history entry: when and by whom. */
export interface ChangeContext {
  readonly at: string;
  readonly actor: Actor;
}

/**
 * The fields whose values differ between two states of a record (compared by value, so tags in
 * the same order are unchanged). A created record is compared with nothing: every field it sets.
 */
export function fieldChanges<T extends object>(before: T | null, after: T, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    const from = before === null ? null : before[field];
    const to = after[field];
    if (before === null ? to === null || (Array.isArray(to) && to.length === 0) : JSON.stringify(from) === JSON.stringify(to)) continue;
    changes[field] = { from: from ?? null, to };
  }
  return changes;
}
