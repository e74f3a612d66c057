import type { Database } from '../db/open-database';
import { CRM_TABLES } from '../db/tables/crm-tables';
import type { SqlSession } from '../db/sql/sql-executor';
import { ValidationError } from '../domain/errors';
import { BulkWriter } from './bulk-writer';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, ExportFormatError, type RecordCounts } from './format';
import { parseClientRecord, parseExchangeRecord } from './record-schemas';

export interface ImportOptions {
  /** Empty the CRM tables first (in the same transaction) instead of refusing a non-empty target. */
  truncate?: boolean;
  batchSize?: number;
  onProgress?: (imported: Readonly<RecordCounts>) => void;
}

/** The target already holds CRM rows and --truncate was not given. */
export class ImportRefusedError extends Error {}

/** Tables emptied by --truncate, children first. Idempotency replays would describe rows that are gone. */
const TRUNCATE_ORDER = CRM_TABLES.map((table) => table.name).reverse();

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
): Promise<RecordCounts> {
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ExportFormatError('the input is empty: not a crm export');
  checkHeader(first.value);

  const { knex, sql, dialect, tools } = database;
  let lineNumber = 1;
  try {
    const written = await sql.transaction(async (session) => {
      await prepareTarget(session, options.truncate === true);
      const writer = new BulkWriter(session, dialect, tools, { batchSize: options.batchSize, onFlush: options.onProgress });
      let trailer: RecordCounts | null = null;
      let seenExchange = false;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        lineNumber += 1;
        const at = `line ${lineNumber}`;
        if (trailer) throw new ExportFormatError(`${at}: data after the end line`);
        const line = parseJson(next.value, at);
        if (line.type === 'client') {
          if (seenExchange) throw new ExportFormatError(`${at}: a client after the exchanges (clients must come first)`);
          await writer.addClient(record(parseClientRecord, line.data, at));
        } else if (line.type === 'exchange') {
          seenExchange = true;
          await writer.addExchange(record(parseExchangeRecord, line.data, at));
        } else if (line.type === 'end') {
          trailer = parseCounts(line.counts, at);
        } else {
          throw new ExportFormatError(`${at}: unknown record type ${JSON.stringify(line.type)}`);
        }
      }
      if (!trailer) throw new ExportFormatError(`the input stops at line ${lineNumber} without its end line: the file is truncated`);
      const written = await writer.flush();
      if (written.clients !== trailer.clients || written.exchanges !== trailer.exchanges) {
        throw new ExportFormatError(
          `the end line announces ${trailer.clients} clients and ${trailer.exchanges} exchanges; the file holds ${written.clients} and ${written.exchanges}`,
        );
      }
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
    if (kind === 'unique_violation') throw new ExportFormatError(`at or before line ${lineNumber}: an id appears twice`);
    throw error;
  } finally {
    // Stop reading (and close the file) when the import ends early.
    await iterator.return?.();
  }
}

export function checkHeader(text: string): void {
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
}

async function prepareTarget(session: SqlSession, truncate: boolean): Promise<void> {
  if (truncate) {
    for (const table of TRUNCATE_ORDER) await session.run(`DELETE FROM ${table}`);
    return;
  }
  const client = await session.firstValues('SELECT id FROM clients LIMIT 1');
  const exchange = await session.firstValues('SELECT id FROM exchanges LIMIT 1');
  if (client || exchange)
    throw new ImportRefusedError(
      'the target database already has clients; import into an empty database or pass --truncate to replace them',
    );
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

function parseCounts(value: unknown, at: string): RecordCounts {
  const counts = value as Partial<Record<keyof RecordCounts, unknown>> | null;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!counts || !valid(counts.clients) || !valid(counts.exchanges)) throw new ExportFormatError(`${at}: the end line has no valid counts`);
  return { clients: counts.clients, exchanges: counts.exchanges };
}
