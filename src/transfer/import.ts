import type { Database } from '../db/open-database';
import { clientsTable } from '../db/tables/clients.table';
import { CRM_TABLES } from '../db/tables/crm-tables';
import { exchangesTable } from '../db/tables/exchanges.table';
import { historyTable } from '../db/tables/history.table';
import { clientsTrashTable, exchangesTrashTable } from '../db/tables/trash.tables';
import type { SqlSession } from '../db/sql/sql-executor';
import { ValidationError } from '../domain/errors';
import { BulkWriter } from './bulk-writer';
import {
  describeCountMismatch,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  ExportFormatError,
  parseCounts,
  RecordSequence,
  type ExportCounts,
  type RecordType,
} from './format';
import {
  parseClientRecord,
  parseExchangeRecord,
  parseHistoryRecord,
  parseTrashedClientLine,
  parseTrashedExchangeLine,
} from './record-schemas';

export interface ImportOptions {
  /** Empty the CRM tables first (in the same transaction) instead of refusing a non-empty target. */
  truncate?: boolean;
  batchSize?: number;
  onProgress?: (imported: Readonly<ExportCounts>) => void;
}

/** The target already holds CRM rows and --truncate was not given. */
export class ImportRefusedError extends Error {}

/** Tables emptied by --truncate, children first. Idempotency replays would describe rows that are gone. */
const TRUNCATE_ORDER = CRM_TABLES.map((table) => table.name).reverse();
/** A target holding rows in any of these is not empty. */
const HELD_TABLES = [clientsTable, exchangesTable, clientsTrashTable, exchangesTrashTable, historyTable].map((table) => table.name);

/**
 * Reads an export line by line and writes it in batches inside ONE transaction: a bad record,
 * a missing trailer or counts that disagree roll everything back, so the target ends either
 * with the whole file or exactly as it was. Derived columns (search_text, sort_name,
 * client_tags) are recomputed, never read from the file.
 */
export async function importDatabase(
  database: Pick<Database, 'knex' | 'sql' | 'dialect' | 'tools'>,
  lines: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ExportCounts> {
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ExportFormatError('the input is empty: not a crm export');
  const version = checkHeader(first.value);

  const { knex, sql, dialect, tools } = database;
  let lineNumber = 1;
  try {
    const written = await sql.transaction(async (session) => {
      await prepareTarget(session, options.truncate === true);
      const writer = new BulkWriter(session, dialect, tools, { batchSize: options.batchSize, onFlush: options.onProgress });
      const sequence = new RecordSequence(version);
      let trailer: ExportCounts | null = null;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        lineNumber += 1;
        const at = `line ${lineNumber}`;
        if (trailer) throw new ExportFormatError(`${at}: data after the end line`);
        const line = parseJson(next.value, at);
        const type = sequence.next(line.type, at);
        if (type === null) trailer = parseCounts(line.counts, version, at);
        else await addRecord(writer, type, line, at);
      }
      if (!trailer) throw new ExportFormatError(`the input stops at line ${lineNumber} without its end line: the file is truncated`);
      const written = await writer.flush();
      const mismatch = describeCountMismatch(trailer, written);
      if (mismatch) throw new ExportFormatError(mismatch);
      await refuseLiveAndTrashed(session);
      return written;
    });
    // The rows are committed by now; statistics only speed up the queries that follow.
    await tools.refreshPlannerStatistics(knex).catch(() => undefined);
    return written;
  } catch (error) {
    const kind = dialect.classifyError(error);
    // Batched inserts fail somewhere in the batch that ends at the line being read.
    if (kind === 'foreign_key_violation')
      throw new ExportFormatError(`at or before line ${lineNumber}: an exchange refers to a client that is not in the file`);
    if (kind === 'unique_violation')
      throw new ExportFormatError(`at or before line ${lineNumber}: an id (or a history entry's id and version) appears twice`);
    throw error;
  } finally {
    // Stop reading (and close the file) when the import ends early.
    await iterator.return?.();
  }
}

/** One record line into the writer, checked against the API's rules first. */
async function addRecord(writer: BulkWriter, type: RecordType, line: Record<string, unknown>, at: string): Promise<void> {
  switch (type) {
    case 'client':
      return writer.addClient(record(parseClientRecord, line.data, at));
    case 'exchange':
      return writer.addExchange(record(parseExchangeRecord, line.data, at));
    case 'trashedClient': {
      const { deletedAt } = record(parseTrashedClientLine, line, at);
      return writer.addTrashedClient(record(parseClientRecord, line.data, at), deletedAt);
    }
    case 'trashedExchange': {
      const { deletedAt, trashedWithClient } = record(parseTrashedExchangeLine, line, at);
      return writer.addTrashedExchange(record(parseExchangeRecord, line.data, at), deletedAt, trashedWithClient);
    }
    case 'history':
      return writer.addHistory(record(parseHistoryRecord, line.data, at));
  }
}

/**
 * A record is live or in the trash, never both: a restore would collide with the live copy.
 * The tables' own keys cannot tell, so the import looks once all rows are in (an index lookup
 * per trashed record).
 */
async function refuseLiveAndTrashed(session: SqlSession): Promise<void> {
  for (const [live, trash, kind] of [
    [clientsTable.name, clientsTrashTable.name, 'client'],
    [exchangesTable.name, exchangesTrashTable.name, 'exchange'],
  ] as const) {
    const both = await session.firstValues(`SELECT t.id FROM ${trash} t WHERE EXISTS (SELECT 1 FROM ${live} l WHERE l.id = t.id) LIMIT 1`);
    if (both) throw new ExportFormatError(`${kind} ${String(both[0])} is both live and in the trash`);
  }
}

/** Checks an export's first line; resolves with the file's format version. */
export function checkHeader(text: string): number {
  const header = parseJson(text, 'line 1');
  if (header.format !== EXPORT_FORMAT) throw new ExportFormatError(`line 1: not a crm export (no "format":"${EXPORT_FORMAT}" header)`);
  const version = header.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new ExportFormatError('line 1: the header has no valid version');
  if (version > EXPORT_FORMAT_VERSION) {
    throw new ExportFormatError(
      `the file is in export format version ${version}; this crm reads versions up to ${EXPORT_FORMAT_VERSION}: import it with a newer crm`,
    );
  }
  return version;
}

async function prepareTarget(session: SqlSession, truncate: boolean): Promise<void> {
  if (truncate) {
    for (const table of TRUNCATE_ORDER) await session.run(`DELETE FROM ${table}`);
    return;
  }
  // Trashed records and history count: they are data the import would mix with the file's.
  for (const table of HELD_TABLES) {
    if (await session.firstValues(`SELECT 1 FROM ${table} LIMIT 1`))
      throw new ImportRefusedError(
        'the target database already has clients; import into an empty database or pass --truncate to replace them',
      );
  }
}

function parseJson(text: string, at: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExportFormatError(text.trim() === '' ? `${at}: empty line` : `${at}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ExportFormatError(`${at}: not a JSON object`);
  return value as Record<string, unknown>;
}

function record<T>(parse: (data: unknown) => T, data: unknown, at: string): T {
  try {
    return parse(data);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ExportFormatError(`${at}: invalid record: ${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
}
