import type { Client } from '../domain/client';
import { mergeClientFields, mergedTagsError, mergeSourceErrors } from '../domain/client-merge';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError, type FieldError } from '../domain/errors';
import { fieldChanges, type Actor } from '../domain/history';
import type { Repositories, UnitOfWork } from '../repositories/unit-of-work';
import { CLIENT_HISTORY_FIELDS, laterThan } from './client.service';
import type { Clock } from './clock';
import { DEFAULT_TRASH, historyEntry, type TrashSettings } from './record-lifecycle';

export interface MergeRequest {
  readonly survivorId: string;
  /** Well-formed client ids, in the order their values fill the survivor's empty fields. */
  readonly sourceIds: readonly string[];
  /** From If-Match: the survivor must still be at this version. */
  readonly expectedVersion?: number;
  readonly actor?: Actor;
}

/**
 * Folds duplicate clients into one. Everything a merge writes is written here, in one
 * transaction: the sources' exchanges move to the survivor, the survivor takes the merged
 * fields, the sources go to the trash (or, with a retention of 0 days, are deleted for good), and
 * every record involved gets a `merged` history entry.
 * Any refusal (or failure) leaves all of them as they were.
 */
export class ClientMergeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly trash: TrashSettings = DEFAULT_TRASH,
  ) {}

  /** The same use case on another unit of work: an open transaction (an idempotent POST's) it joins. */
  joining(uow: UnitOfWork): ClientMergeService {
    return new ClientMergeService(uow, this.clock, this.trash);
  }

  /** The survivor after the merge, at its next version. */
  async merge({ survivorId, sourceIds, expectedVersion, actor = null }: MergeRequest): Promise<Client> {
    const idErrors = mergeSourceErrors(survivorId, sourceIds);
    if (idErrors.length > 0) throw new ValidationError(idErrors, 'These sources cannot be merged');
    return this.uow.transaction(async (repos) => {
      // Every client involved, locked in one statement in id order: nothing can change or trash
      // one of them, or add an exchange to a source, until the merge commits, and two merges of
      // overlapping clients wait for each other instead of deadlocking.
      const live = new Map((await repos.clients.findLiveForUpdate([survivorId, ...sourceIds])).map((client) => [client.id, client]));
      const survivor = live.get(survivorId);
      if (!survivor) throw new NotFoundError('Client', survivorId);
      if (expectedVersion !== undefined && expectedVersion !== survivor.version) {
        throw new VersionConflictError(expectedVersion, survivor.version);
      }
      const sources = await liveSources(repos, sourceIds, live);
      const merged = mergeClientFields(survivor, sources);
      const tagsError = mergedTagsError(merged.fields);
      if (tagsError) throw new ValidationError([tagsError], 'These sources cannot be merged');

      const now = this.clock();
      const change = { at: now, actor };
      for (const source of sources) await repos.exchanges.moveToClient(source.id, survivor.id, change);
      const next: Client = { ...survivor, ...merged.fields, updatedAt: laterThan(now, survivor.updatedAt), version: survivor.version + 1 };
      const changes = {
        mergedFrom: { from: null, to: sources.map((source) => source.id) },
        ...fieldChanges(survivor, next, CLIENT_HISTORY_FIELDS),
      };
      const entry = historyEntry('client', next, 'merged', changes, next.updatedAt, actor);
      if (!(await repos.clients.replace(next, survivor.version, entry))) throw changedMeanwhile(survivor.id);
      for (const source of sources) {
        if (!(await repos.clients.trash(source.id, source.version, change, 'merged'))) throw changedMeanwhile(source.id);
        // A retention of 0 days keeps nothing to restore, as DELETE does; the merged entry stays in the history.
        if (this.trash.retentionDays === 0) await repos.clients.deletePermanently(source.id, undefined, change);
      }
      return next;
    });
  }
}

/**
 * The sources, in the order given, all live; otherwise why not: unknown ids are the caller's
 * mistake in the body (422, one error per source), trashed ones contradict the current state
 * (409: restore them first, or leave them out).
 */
async function liveSources(repos: Repositories, sourceIds: readonly string[], live: ReadonlyMap<string, Client>): Promise<Client[]> {
  const unknown: FieldError[] = [];
  const trashed: string[] = [];
  for (const [index, id] of sourceIds.entries()) {
    if (live.has(id)) continue;
    if (await repos.clients.findInTrash(id)) trashed.push(id);
    else unknown.push({ path: `sources.${index}`, message: `no client has the id ${id}` });
  }
  if (unknown.length > 0) throw new ValidationError(unknown, 'Some sources are not clients');
  if (trashed.length > 0) {
    const which = trashed.length === 1 ? `Client ${trashed[0]} is` : `Clients ${trashed.join(', ')} are`;
    throw new ConflictError(
      `${which} in the trash: restore ${trashed.length === 1 ? 'it' : 'them'} first, or leave ${trashed.length === 1 ? 'it' : 'them'} out of the merge`,
    );
  }
  return sourceIds.map((id) => live.get(id) as Client);
}

/** Cannot happen while the merge holds its locks; if it ever did, the transaction rolls back whole. */
function changedMeanwhile(id: string): ConflictError {
  return new ConflictError(`Client ${id} changed while the merge ran; nothing was merged`);
}
