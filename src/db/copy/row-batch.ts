import { decodeCanonicalLine, encodeCanonicalLines, type CanonicalRow, type CanonicalValue } from './canonical-row';
import type { ColumnKind } from './table-specs';

/**
 * A batch of rows in primary-key order, available both as values (for a driver's INSERT) and as
 * canonical lines (for the checksum and for PostgreSQL's COPY). Each form is made once, on first
 * use, from the one the reader had: values from SQLite, lines from PostgreSQL.
 */
export interface RowBatch {
  readonly count: number;
  rows(): readonly CanonicalRow[];
  /** Canonical lines as UTF-8 bytes. */
  lines(): Buffer;
  /** Primary-key values of the last row: where the next keyset batch starts. */
  lastKey(): CanonicalValue[];
}

export function batchOfRows(rows: readonly CanonicalRow[], keyPositions: readonly number[]): RowBatch {
  let bytes: Buffer | undefined;
  return {
    count: rows.length,
    rows: () => rows,
    // Bytes, encoded once: both the hash and the socket would otherwise encode the text again.
    lines: () => (bytes ??= Buffer.from(encodeCanonicalLines(rows), 'utf8')),
    lastKey: () => keyPositions.map((position) => rows[rows.length - 1]?.[position] ?? null),
  };
}

/** Lines as PostgreSQL sent them (UTF-8, each ending in \n). */
export function batchOfLines(bytes: Buffer, kinds: readonly ColumnKind[], keyPositions: readonly number[]): RowBatch {
  let rows: CanonicalRow[] | undefined;
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  const lastLine = () => {
    const end = bytes.length - 1;
    return bytes.toString('utf8', bytes.lastIndexOf(10, end - 1) + 1, end);
  };
  return {
    count,
    rows: () =>
      (rows ??= bytes
        .toString('utf8')
        .split('\n')
        .slice(0, count)
        .map((line) => decodeCanonicalLine(line, kinds))),
    lines: () => bytes,
    lastKey: () => {
      const last = decodeCanonicalLine(lastLine(), kinds);
      return keyPositions.map((position) => last[position] ?? null);
    },
  };
}
