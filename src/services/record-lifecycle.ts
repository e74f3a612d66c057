import { NotFoundError, VersionConflictError } from '../domain/errors';
import type { Actor, ChangeContext, FieldChanges, HistoryAction, HistoryEntry, RecordType } from '../domain/history';

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

/** What deleting needs of a record type's repository. */
interface DeletableRecords<T extends { readonly version: number }> {
  findById(id: string): Promise<T | null>;
  trash(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean>;
  deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean>;
}

export interface DeleteRequest {
  readonly resource: string;
  readonly id: string;
  readonly expectedVersion: number | undefined;
  readonly change: ChangeContext;
  /** `?permanent=true`: a trashed record may be deleted for good too. */
  readonly permanent: boolean;
  readonly settings: TrashSettings;
}

/**
 * Moves a record to the trash, or deletes it for good (`permanent`, or a retention of 0 days).
 * When nothing matched, says why: the record is not there (404: unknown ids, and trashed ones
 * unless permanent), or not at the version asked (412).
 */
export async function deleteRecord<T extends { readonly version: number }>(
  records: DeletableRecords<T>,
  findTrashed: (id: string) => Promise<T | null>,
  { resource, id, expectedVersion, change, permanent, settings }: DeleteRequest,
): Promise<void> {
  let current: T | null;
  if (permanent || settings.retentionDays === 0) {
    if (await records.deletePermanently(id, expectedVersion, change)) return;
    current = (await records.findById(id)) ?? (permanent ? await findTrashed(id) : null);
  } else {
    if (await records.trash(id, expectedVersion, change)) return;
    current = await records.findById(id);
  }
  if (!current) throw new NotFoundError(resource, id);
  throw new VersionConflictError(expectedVersion ?? -1, current.version);
}
