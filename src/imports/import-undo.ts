import type { Client } from '../domain/client';
import { fieldChanges, type Actor } from '../domain/history';
import type { ImportSession } from '../repositories/import-store';
import { CLIENT_HISTORY_FIELDS, laterThan } from '../services/client.service';
import { historyEntry } from '../services/record-lifecycle';
import type { ImportChange, UndoConflict, UndoResult } from './import-job';
import { MAX_REPORTED_ERRORS } from './import-job';

const CHANGES_PER_PAGE = 1000;

/**
 * Takes a committed import back, in the session's transaction: the clients it created go to the
 * trash (restorable, with a `deleted` history entry, whatever happened to them since); the ones it
 * updated get their values from before it back, unless they changed after it (another version
 * than the import left, or no longer live): those are left as they are and reported.
 */
export async function undoImport(session: ImportSession, jobId: string, at: string, actor: Actor): Promise<UndoResult> {
  const result = { trashed: 0, restored: 0, alreadyGone: 0, conflicts: [] as UndoConflict[] };
  const conflict = (entry: UndoConflict) => {
    if (result.conflicts.length < MAX_REPORTED_ERRORS) result.conflicts.push(entry);
  };
  let after: string | null = null;
  for (;;) {
    const page: ImportChange[] = await session.jobs.changes(jobId, after, CHANGES_PER_PAGE);
    for (const change of page) {
      if (change.kind === 'created') {
        if (await session.clients.trash(change.clientId, undefined, { at, actor })) result.trashed += 1;
        else result.alreadyGone += 1;
        continue;
      }
      const current = await session.clients.findById(change.clientId);
      if (!current) conflict({ clientId: change.clientId, reason: 'no longer live (in the trash or deleted)' });
      else if (current.version !== change.versionAfter)
        conflict({
          clientId: change.clientId,
          reason: `changed since the import (version ${change.versionAfter}, now ${current.version})`,
        });
      else if (await restore(session, current, change.before, at, actor)) result.restored += 1;
      else conflict({ clientId: change.clientId, reason: 'changed while the undo ran' });
    }
    const last = page.at(-1);
    if (!last || page.length < CHANGES_PER_PAGE) return result;
    after = last.clientId;
  }
}

/** False when the client changed since it was read (PostgreSQL: a concurrent write). */
async function restore(
  session: ImportSession,
  current: Client,
  before: ImportChange['before'],
  at: string,
  actor: Actor,
): Promise<boolean> {
  const next: Client = { ...current, ...before, updatedAt: laterThan(at, current.updatedAt), version: current.version + 1 };
  const entry = historyEntry('client', next, 'updated', fieldChanges(current, next, CLIENT_HISTORY_FIELDS), next.updatedAt, actor);
  return session.clients.replace(next, current.version, entry);
}
