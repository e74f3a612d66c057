import { Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { ValidationError } from '../domain/errors';
import { foldHeader } from './column-mapping';
import type { CsvDelimiter } from './csv-delimiter';

/** One data record and the row a spreadsheet shows it on (the header is row 1). */
export interface CsvRecord {
  readonly row: number;
  readonly cells: readonly string[];
}

/** Characters handed to the parser at a time: with backpressure, records are parsed as they are used. */
const CHUNK_CHARS = 64 * 1024;

function* chunksOf(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += CHUNK_CHARS) yield text.slice(start, start + CHUNK_CHARS);
}

/**
 * The header and the data records of a CSV text, parsed with csv-parse as they are consumed (a
 * 100,000-row file is never held as one array). Row numbers are those of a spreadsheet showing
 * the file: one row per record whatever line breaks its quoted cells hold, blank lines counted
 * as the empty rows they show as. Records whose cells are all blank are passed over. A record
 * with another number of fields than the header is refused, naming its row.
 */
export async function* readCsv(text: string, delimiter: CsvDelimiter): AsyncGenerator<CsvRecord, void, undefined> {
  let width = -1;
  let row = 0;
  try {
    for await (const { record, info } of parsed(text, delimiter)) {
      row = info.records + info.empty_lines;
      if (width === -1) {
        width = record.length;
        continue;
      }
      if (record.every((cell) => cell.trim() === '')) continue;
      if (record.length !== width) throw raggedRow(row, record.length, width);
      yield { row, cells: record };
    }
  } catch (error) {
    throw unreadable(error, row + 1);
  }
}

/** Every record with its parse info, parsed a chunk at a time as the caller asks for more. */
function parsed(text: string, delimiter: CsvDelimiter): AsyncIterable<{ record: string[]; info: Info }> {
  return Readable.from(chunksOf(text), { objectMode: false }).pipe(
    parse({
      delimiter,
      info: true,
      skip_empty_lines: true,
      // Checked by readCsv, so the row named is the spreadsheet's, blank lines included.
      relax_column_count: true,
      // A stray quote inside an unquoted cell (5" screen) is text, as Excel reads it.
      relax_quotes: true,
      bom: false,
    }),
  );
}

/**
 * csv-parse's refusals (a quote opened and never closed) as the 422 they are, naming the row
 * where the record starts: the one after the last record read, or after those the parser had
 * read when it failed (records it parsed but had not handed over yet are dropped with the error).
 */
function unreadable(error: unknown, nextRow: number): unknown {
  // By its code: csv-parse's stream and sync entry points each have their own CsvError class.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return error;
  const row = Math.max(nextRow, Number((error as { records?: number }).records ?? 0) + 1);
  const message = code === 'CSV_QUOTE_NOT_CLOSED' ? 'opens a quote that is never closed' : 'cannot be read as CSV';
  return new ValidationError([{ path: `row ${row}`, message }], `Row ${row} ${message}; check its quotes`);
}

// A header row is a few hundred characters: the part of the file parsed to find it.
const HEADER_CHARS = 1024 * 1024;

/** The header row: the first record, its names trimmed; blank names become `Column C` (its letter). */
export function readHeader(text: string, delimiter: CsvDelimiter): string[] {
  let header: string[] | undefined;
  try {
    parseSync(text.slice(0, HEADER_CHARS), {
      delimiter,
      to: 1,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      on_record: (record: string[]) => (header ??= record),
    });
  } catch (error) {
    // A problem after the header (or past the part read) is readCsv's to report, with its row.
    if (!header) throw unreadable(error, 1);
  }
  if (header) return checkHeader(header.map((name, index) => name.trim() || `Column ${columnLetter(index)}`));
  throw new ValidationError([{ path: 'body', message: 'is empty' }], 'The upload is empty: send a CSV file with a header row');
}

function checkHeader(columns: string[]): string[] {
  const seen = new Map<string, string>();
  const errors = [];
  for (const name of columns) {
    const folded = foldHeader(name);
    const first = seen.get(folded);
    if (first !== undefined) errors.push({ path: `columns.${name}`, message: `repeats the column ${JSON.stringify(first)}` });
    else seen.set(folded, name);
  }
  if (errors.length > 0) throw new ValidationError(errors, 'The header row names a column twice: rename one of them');
  return columns;
}

function raggedRow(row: number, fields: number, width: number): ValidationError {
  return new ValidationError(
    [{ path: `row ${row}`, message: `has ${fields} field${fields === 1 ? '' : 's'} where the header has ${width}` }],
    `Row ${row} has ${fields} field${fields === 1 ? '' : 's'} where the header row has ${width}; check its quotes and delimiters`,
  );
}

/** A, B, …, Z, AA, AB…: how a spreadsheet names the column at this 0-based index. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
