import type { ColumnKind } from './table-specs';

/**
 * The one form a row takes between a reader, a writer and the checksum, whichever database it
 * came from: text as text, integers as numbers, timestamps as ISO-8601 UTC strings with
 * milliseconds. Values sit in the table spec's column order.
 */
export type CanonicalValue = string | number | null;
export type CanonicalRow = CanonicalValue[];

/**
 * Canonical rows as text, one line per row: the checksum hashes these lines. The format is
 * PostgreSQL's COPY text format over canonical values (tab between values, \N for null,
 * backslash escapes for \\ \b \f \n \r \t \v, exactly the characters PostgreSQL escapes on output),
 * so PostgreSQL can load the very text that was hashed and can emit it for verification
 * (postgres-endpoint.ts) without any per-value work in Node. The encoding is unambiguous: no
 * unescaped tab or newline can come from a value.
 */
const ESCAPE_NEEDED = /[\\\b\f\n\r\t\v]/;
const ESCAPABLE = /[\\\b\f\n\r\t\v]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

export function encodeCanonicalLines(rows: readonly CanonicalRow[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (i > 0) text += '\t';
      if (value === null || value === undefined) text += '\\N';
      else if (typeof value === 'number') text += value;
      else text += ESCAPE_NEEDED.test(value) ? value.replace(ESCAPABLE, (c) => ESCAPES[c] ?? c) : value;
    }
    text += '\n';
  }
  return text;
}

/** One canonical line back into values (integers for `int` columns). */
export function decodeCanonicalLine(line: string, kinds: readonly ColumnKind[]): CanonicalRow {
  const fields = line.split('\t');
  if (fields.length !== kinds.length) throw new Error(`expected ${kinds.length} values in a row, got ${fields.length}`);
  return fields.map((field, i) => {
    if (field === '\\N') return null;
    const text = field.includes('\\') ? field.replace(/\\(.)/gs, (_m, c: string) => UNESCAPES[c] ?? c) : field;
    return kinds[i] === 'int' ? Number(text) : text;
  });
}

const ISO_LENGTH = 24; // 2026-11-24T18:00:00.000Z

/** Any timestamp a driver returns (ISO text, other date text, Date, epoch ms) -> ISO with ms. */
export function canonicalTimestamp(value: unknown): string {
  if (typeof value === 'string') {
    // What this app writes on SQLite is already canonical: the common case costs three tests.
    if (value.length === ISO_LENGTH && value.charCodeAt(10) === 84 /* T */ && value.endsWith('Z')) return value;
    return isoOf(new Date(value), value);
  }
  if (value instanceof Date || typeof value === 'number') return isoOf(new Date(value), value);
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

function isoOf(date: Date, original: unknown): string {
  // An unreadable timestamp stops the copy: writing it as null or "now" would be silent loss.
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a timestamp: ${String(original)}`);
  return date.toISOString();
}

/** A driver value of a column of the given kind, in canonical form (null stays null). */
function canonicalValue(kind: ColumnKind, value: unknown): CanonicalValue {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamp') return canonicalTimestamp(value);
  if (kind === 'int') return typeof value === 'number' ? value : Number(value);
  return typeof value === 'string' ? value : String(value);
}

/**
 * Rewrites, in place, the values of a driver row whose column kinds need it, and returns the row
 * as canonical. Text columns are left alone, which keeps a million rows cheap.
 */
export function rowCanonicaliser(kinds: readonly ColumnKind[]): (row: unknown[]) => CanonicalRow {
  const converted = kinds.flatMap((kind, position) => (kind === 'timestamp' || kind === 'int' ? [{ kind, position }] : []));
  return (row) => {
    for (const { kind, position } of converted) row[position] = canonicalValue(kind, row[position]);
    return row as CanonicalRow;
  };
}
