import { defineTable, type RowOf } from './table-definition';

/**
 * CSV imports: the upload (its decoded text until it is committed or expires), what was
 * detected in it, and what its commit and its undo did (JSON text).
 */
export const importJobsTable = defineTable()({
  name: 'import_jobs',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', type: 'uuid' },
    { sql: 'status', type: 'text' },
    { sql: 'source', type: 'text', nullable: true },
    { sql: 'encoding', type: 'text' },
    { sql: 'delimiter', type: 'text' },
    { sql: 'columns', type: 'json-text' },
    { sql: 'mapping', type: 'json-text' },
    { sql: 'preview', type: 'json-text' },
    { sql: 'row_count', type: 'int' },
    { sql: 'created_at', type: 'timestamp' },
    { sql: 'expires_at', type: 'timestamp' },
    { sql: 'committed_at', type: 'timestamp', nullable: true },
    { sql: 'undone_at', type: 'timestamp', nullable: true },
    { sql: 'result', type: 'json-text', nullable: true },
    { sql: 'undo', type: 'json-text', nullable: true },
  ],
});

/** One client a committed import created or updated, with what undoing it needs. */
export const importJobChangesTable = defineTable()({
  name: 'import_job_changes',
  primaryKey: ['job_id', 'client_id'],
  columns: [
    { sql: 'job_id', type: 'uuid' },
    { sql: 'client_id', type: 'uuid' },
    { sql: 'kind', type: 'text' },
    // The client's fields before an update (JSON text); null for a client the import created.
    { sql: 'before', type: 'json-text', nullable: true },
    { sql: 'version_after', type: 'int' },
  ],
});

export type ImportJobRow = RowOf<typeof importJobsTable>;
export type ImportJobChangeRow = RowOf<typeof importJobChangesTable>;
