import { NotFoundError, VersionConflictError } from '../domain/errors';
import type { Actor, FieldChanges, HistoryAction, HistoryEntry, RecordType } from '../domain/history';

/** How long the trash keeps a record; 0 deletes at once, as before the trash existed. */
export interface TrashSettings {
  readonly retentionDays: number;
}

export const DEFAULT_TRASH: TrashSettings = { retentionDays: 30 };

/** The history entry of a write that produced `record` at its version. */
export function historyEntry(
  recordType: RecordType,
  record: { readonly id: string; readonly version: number },
  action: HistoryAction,
  changes: FieldChanges,
  at: string,
  actor: Actor,
): HistoryEntry {
  return { recordType, recordId: record.id, version: record.version, action, at, actor, changes };
}

/** Why a conditional delete matched nothing: the record is not there (404), or not at the version asked (412). */
export function failedDelete(
  resource: string,
  id: string,
  expectedVersion: number | undefined,
  current: { readonly version: number } | null,
): Error {
  if (!current) return new NotFoundError(resource, id);
  return new VersionConflictError(expectedVersion ?? -1, current.version);
}
