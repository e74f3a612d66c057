import { IMPORT_FIELDS } from '../../imports/column-mapping';
import { DUPLICATE_POLICIES, IMPORT_STATUSES } from '../../imports/import-job';
import { CLIENT_STATUSES } from '../../domain/client';
import { idOut, timestampOut } from './common.schemas';
import { z } from './zod';

const field = z.enum(IMPORT_FIELDS);

const Mapping = z.record(z.string(), field.nullable()).openapi({
  description: 'Column name -> the client field it fills, or null: not imported',
  example: { Nom: 'name', Courriel: 'email', Ville: null },
});

const RowErrorSchema = z
  .object({
    row: z.number().int().openapi({ description: 'The row as a spreadsheet shows the file: the header is row 1', example: 7 }),
    column: z.string().optional().openapi({ example: 'Courriel' }),
    field: z.string().openapi({ example: 'email' }),
    message: z.string().openapi({ example: 'must be an email address' }),
  })
  .openapi('ImportRowError');

const PreviewClient = z
  .object({
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    status: z.enum(CLIENT_STATUSES),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
  })
  .partial();

const counts = {
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().openapi({ description: 'Duplicates skipped, and duplicates an update would not change' }),
  failed: z.number().int().openapi({ description: 'Rows not imported; errors lists the first 1000' }),
};

const CommitResultSchema = z
  .object({ ...counts, onDuplicate: z.enum(DUPLICATE_POLICIES), mapping: Mapping, errors: z.array(RowErrorSchema) })
  .openapi('ImportCommitResult');

const undoCounts = {
  trashed: z.number().int().openapi({ description: 'Clients the import created, moved to the trash' }),
  restored: z.number().int().openapi({ description: 'Clients the import updated, back to their values before it' }),
  alreadyGone: z.number().int().openapi({ description: 'Created clients already trashed or deleted' }),
  conflicts: z
    .array(z.object({ clientId: idOut, reason: z.string() }))
    .openapi({ description: 'Updated clients left as they are: they changed after the import' }),
};

const UndoResultSchema = z.object(undoCounts).openapi('ImportUndoResult');

export const ImportJobSchema = z
  .object({
    id: idOut,
    status: z.enum(IMPORT_STATUSES),
    rows: z.number().int().openapi({ description: 'Data rows (rows whose cells are all blank are not counted)' }),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']),
    delimiter: z.enum([',', ';', '\t']),
    columns: z.array(z.string()).openapi({ example: ['Nom', 'Courriel', 'Téléphone'] }),
    mapping: Mapping.openapi({ description: 'The suggested mapping, from the header names (English and French)' }),
    preview: z.array(z.object({ row: z.number().int(), client: PreviewClient, errors: z.array(RowErrorSchema) })),
    createdAt: timestampOut,
    expiresAt: timestampOut.openapi({ description: 'A pending upload not committed by then expires' }),
    committedAt: timestampOut.nullable(),
    result: CommitResultSchema.nullable(),
    undoneAt: timestampOut.nullable(),
    undo: UndoResultSchema.nullable(),
  })
  .openapi('ImportJob');

export const CommitImportBody = z
  .strictObject({
    mapping: Mapping.optional().openapi({ description: 'Overrides the suggested mapping for the columns it names' }),
    onDuplicate: z.enum(DUPLICATE_POLICIES).default('skip').openapi({
      description:
        'A row matching a live client (same email, else same phone) or an earlier row: skip it, update the client, or create anyway',
    }),
    dryRun: z.boolean().default(false).openapi({ description: 'Do everything, report, and roll back: nothing is imported' }),
  })
  .openapi({ description: 'How to import the rows' });

export const CommitOutcomeSchema = CommitResultSchema.extend({ id: idOut, status: z.enum(['committed', 'dry_run']) }).openapi(
  'ImportCommitOutcome',
);

export const UndoOutcomeSchema = z.object({ id: idOut, status: z.literal('undone'), ...undoCounts }).openapi('ImportUndoOutcome');
