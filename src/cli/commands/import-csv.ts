import fs from 'node:fs';
import { SqlImportStore } from '../../db/adapters/sql-import-store';
import type { Database } from '../../db/open-database';
import { ValidationError } from '../../domain/errors';
import { IMPORT_FIELDS, type ColumnMapping, type ImportField } from '../../imports/column-mapping';
import { DUPLICATE_POLICIES, type DuplicatePolicy, type ImportJob } from '../../imports/import-job';
import { systemClock } from '../../services/clock';
import { ImportService, type CommitRequest } from '../../services/import.service';
import { EXIT, out, UsageError } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';

/** Committed, but some rows were invalid and left out (listed on stderr). */
export const EXIT_ROWS_FAILED = 3;
/** Rows listed on stderr at most; the counts cover them all. */
const ERRORS_SHOWN = 20;

/** `Nom=name,Courriel=email,Ville=`: a column, =, a field or nothing (not imported). */
export function parseColumnMap(text: string | undefined): ColumnMapping | undefined {
  if (text === undefined) return undefined;
  const mapping: Record<string, ImportField | null> = {};
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    const column = pair.slice(0, at).trim();
    const field = pair.slice(at + 1).trim();
    if (at < 1 || column === '') throw new UsageError(`--map: "${pair}" is not COLUMN=FIELD`);
    if (field !== '' && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map: ${field} is not a field (${IMPORT_FIELDS.join(', ')}, or nothing)`);
    }
    mapping[column] = field === '' ? null : (field as ImportField);
  }
  return mapping;
}

export function parseDuplicatePolicy(value: string | undefined): DuplicatePolicy {
  const policy = value ?? 'skip';
  if (!(DUPLICATE_POLICIES as readonly string[]).includes(policy))
    throw new UsageError(`--on-duplicate must be ${DUPLICATE_POLICIES.join(', ')}`);
  return policy as DuplicatePolicy;
}

/**
 * `crm import --csv`: the same two steps as the API (upload, then commit), so the import is a
 * job the API can show and undo. A dry run discards its job. Exit codes: 0 imported, 1 the file
 * was refused (nothing imported), 2 a bad mapping, 3 imported with invalid rows left out.
 */
export async function importCsvFile(database: Database, file: string, request: CommitRequest): Promise<number> {
  await database.migrator.up();
  const imports = new ImportService(new SqlImportStore(database.sql, database.dialect, database.tools), systemClock);
  let job: ImportJob;
  try {
    job = await imports.upload(fs.readFileSync(file));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`crm import: ${file}: ${error.message}\n${describeErrors(error)}Nothing was imported.\n`);
    return EXIT.failed;
  }
  out(`${file}: ${job.rows.toLocaleString('en-US')} rows, ${job.encoding}, delimiter ${JSON.stringify(job.delimiter)}`);
  const progress = createProgress(request.dryRun ? 'checking' : 'importing', job.rows);
  const started = Date.now();
  try {
    const result = await imports.commit(job.id, request, null, (rows) => progress.update(rows));
    progress.finish();
    const mapped = Object.entries(result.mapping).map(([column, field]) => `${column} -> ${field ?? '(not imported)'}`);
    out(`Columns: ${mapped.join(', ')}`);
    const verb = request.dryRun ? 'Dry run, nothing imported: would create' : 'Created';
    out(
      `${verb} ${result.created}, updated ${result.updated}, skipped ${result.skipped} duplicate(s), ` +
        `${result.failed} invalid row(s) left out, in ${formatElapsed(Date.now() - started)}.`,
    );
    for (const error of result.errors.slice(0, ERRORS_SHOWN)) {
      process.stderr.write(`  row ${error.row}${error.column ? `, ${error.column}` : ''} (${error.field}): ${error.message}\n`);
    }
    if (result.failed > ERRORS_SHOWN) process.stderr.write(`  … and ${result.failed - ERRORS_SHOWN} more\n`);
    if (request.dryRun) await imports.remove(job.id);
    else out(`Import ${job.id}: undo it with DELETE /api/v1/imports/${job.id}`);
    return result.failed > 0 ? EXIT_ROWS_FAILED : EXIT.ok;
  } catch (error) {
    progress.finish();
    await imports.remove(job.id).catch(() => undefined);
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`crm import: ${error.message}\n${describeErrors(error)}Nothing was imported.\n`);
    return EXIT.usage;
  }
}

function describeErrors(error: ValidationError): string {
  return error.errors.map((e) => `  ${e.path}: ${e.message}\n`).join('');
}
