import type { Client } from '../domain/client';
import type { HistoryEntry } from '../domain/history';
import type { CommitResult, ImportChange, ImportJob, UndoResult } from '../imports/import-job';
import type { ClientRepository } from './client.repository';

/** Import jobs as stored, and what undoing a committed one needs. */
export interface ImportJobRepository {
  /** Stores a new pending job with its decoded CSV. */
  insert(job: ImportJob, source: string): Promise<void>;
  /** The job without its file; null for unknown ids. */
  find(id: string): Promise<ImportJob | null>;
  /** The decoded CSV of a job that still has it (pending); null otherwise. */
  source(id: string): Promise<string | null>;
  /**
   * Marks a pending job committed, dropping its file: false when it is no longer pending (a
   * concurrent commit took it). Inside a transaction, the job stays locked until it ends.
   */
  claimForCommit(id: string, committedAt: string): Promise<boolean>;
  saveResult(id: string, result: CommitResult): Promise<void>;
  /** Marks a committed job undone; false when it is no longer committed (a concurrent undo took it). */
  markUndone(id: string, undoneAt: string): Promise<boolean>;
  saveUndo(id: string, undo: UndoResult): Promise<void>;
  /** Deletes a pending or expired job; false when there is none (unknown, or committed meanwhile). */
  discard(id: string): Promise<boolean>;
  /** Pending jobs past their expiry become expired, their file dropped, up to limit of them; how many. */
  expirePending(now: string, limit: number): Promise<number>;
  /** Deletes up to limit expired jobs whose expiry is before cutoff; how many. */
  deleteExpiredBefore(cutoff: string, limit: number): Promise<number>;
  addChanges(changes: readonly ImportChange[]): Promise<void>;
  /** A job's changes in client id order, after the given client id. */
  changes(jobId: string, afterClientId: string | null, limit: number): Promise<ImportChange[]>;
}

/** A live client found by one of its duplicate keys. */
export interface KeyedClient {
  readonly key: string;
  readonly client: Client;
}

/** The client writes and lookups an import makes in bulk. */
export interface ImportedClientRepository {
  /** For each of keys that some live client has as its email_key (or phone_key), the oldest such client (the smallest UUIDv7). */
  findLiveByKeys(column: 'email_key' | 'phone_key', keys: readonly string[]): Promise<KeyedClient[]>;
  /** Writes new clients, their tags and their history entries, in as few statements as the database allows. */
  insertMany(clients: readonly Client[], entries: readonly HistoryEntry[]): Promise<void>;
}

export interface ImportSession {
  readonly jobs: ImportJobRepository;
  readonly importedClients: ImportedClientRepository;
  /** The clients repository on the same session: updates, trash moves and reads one by one. */
  readonly clients: ClientRepository;
}

/**
 * Storage of CSV imports. A commit and an undo each run in one transaction, all of it or
 * none; the session's methods outside transaction(work) autocommit one statement each.
 */
export interface ImportStore extends ImportSession {
  transaction<T>(work: (session: ImportSession) => Promise<T>): Promise<T>;
}
