import type { ChangeContext, HistoryAction, HistoryEntry, RecordType } from '../../domain/history';
import { instant, isoOf, type MemoryTables, type StoredHistoryEntry } from './memory-tables';

/** The entry a trash move, restore or permanent delete writes for a record at its new version: no field changes. */
export function moveEntry(
  recordType: RecordType,
  recordId: string,
  version: number,
  action: HistoryAction,
  change: ChangeContext,
): HistoryEntry {
  return { recordType, recordId, version, action, at: change.at, actor: change.actor, changes: {} };
}

/** As the SQL adapters store it: the instant, and changes as JSON text (so a value JSON cannot hold fails here too). */
function toStored(entry: HistoryEntry): StoredHistoryEntry {
  const at = instant(entry.at);
  if (Number.isNaN(at)) throw new Error(`invalid timestamp: history entry of ${entry.recordId} at ${entry.at}`);
  return {
    recordType: entry.recordType,
    recordId: entry.recordId,
    version: entry.version,
    action: entry.action,
    at,
    actor: entry.actor,
    changes: JSON.stringify(entry.changes),
  };
}

export function fromStored(stored: StoredHistoryEntry): HistoryEntry {
  return {
    recordType: stored.recordType,
    recordId: stored.recordId,
    version: stored.version,
    action: stored.action,
    at: isoOf(stored.at),
    actor: stored.actor,
    changes: JSON.parse(stored.changes) as HistoryEntry['changes'],
  };
}

/**
 * Prepares entries to be written together: throws, before anything is written, on the
 * primary key (record id, version) being taken already or twice among them. The returned
 * function writes them.
 */
export function prepareEntries(tables: MemoryTables, entries: readonly HistoryEntry[]): () => void {
  const stored = entries.map(toStored);
  const keys = new Set<string>();
  for (const entry of stored) {
    const key = `${entry.recordId} ${entry.version}`;
    const taken = tables.history.get(entry.recordId)?.some((existing) => existing.version === entry.version);
    if (taken || keys.has(key)) throw new Error(`duplicate key: history of ${entry.recordId} already has version ${entry.version}`);
    keys.add(key);
  }
  return () => {
    for (const entry of stored) {
      const kept = tables.history.get(entry.recordId) ?? [];
      tables.history.set(
        entry.recordId,
        [...kept, entry].sort((a, b) => a.version - b.version),
      );
    }
  };
}
