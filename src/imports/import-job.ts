import type { ClientFields } from '../domain/client';
import type { ColumnMapping } from './column-mapping';
import type { CsvDelimiter } from './csv-delimiter';
import type { CsvEncoding } from './csv-encoding';

/**
 * pending: uploaded, waiting for a commit (a dry run leaves it so); committed; undone (a
 * committed import taken back); expired: a pending upload older than a day, its file dropped.
 */
export const IMPORT_STATUSES = ['pending', 'committed', 'undone', 'expired'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const DUPLICATE_POLICIES = ['skip', 'update', 'create'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** A row that was not imported: its spreadsheet row, the column and field at fault, why. */
export interface RowError {
  readonly row: number;
  readonly column?: string;
  readonly field: string;
  readonly message: string;
}

/** One row as a client, as the preview shows it under the suggested mapping. */
export interface PreviewRow {
  readonly row: number;
  readonly client: Partial<ClientFields>;
  readonly errors: RowError[];
}

export interface CommitCounts {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
}

/** What a commit (or a dry run) did; errors lists at most MAX_REPORTED_ERRORS rows, failed counts them all. */
export interface CommitResult extends CommitCounts {
  readonly onDuplicate: DuplicatePolicy;
  readonly mapping: ColumnMapping;
  readonly errors: RowError[];
}

/** A client the undo left as it found it, because it changed after the import. */
export interface UndoConflict {
  readonly clientId: string;
  readonly reason: string;
}

export interface UndoResult {
  /** Clients the import created, moved to the trash. */
  readonly trashed: number;
  /** Clients the import updated, back to their values before it. */
  readonly restored: number;
  /** Created clients already gone (trashed or deleted since). */
  readonly alreadyGone: number;
  readonly conflicts: UndoConflict[];
}

/** An import job as stored, without its file. */
export interface ImportJob {
  readonly id: string;
  readonly status: ImportStatus;
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly columns: readonly string[];
  readonly mapping: ColumnMapping;
  readonly preview: readonly PreviewRow[];
  readonly rows: number;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly committedAt: string | null;
  readonly undoneAt: string | null;
  readonly result: CommitResult | null;
  readonly undo: UndoResult | null;
}

/** A client one committed import created or updated: what undoing it needs. */
export interface ImportChange {
  readonly jobId: string;
  readonly clientId: string;
  readonly kind: 'created' | 'updated';
  /** For an update, the client's fields before it; null for a create. */
  readonly before: ClientFields | null;
  /** The version the import left the client at: a client at another one changed since. */
  readonly versionAfter: number;
}

/** Rows reported in errors at most: failed counts them all, the list stays readable. */
export const MAX_REPORTED_ERRORS = 1000;
/** Rows shown in the preview. */
export const PREVIEW_ROWS = 5;
/** How long an upload waits for its commit. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
