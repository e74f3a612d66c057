import type { Client } from '../domain/client';
import type { Exchange } from '../domain/exchange';

/**
 * The portable export format (docs/export-format.md): NDJSON, one header line, one line per
 * record (every client before any exchange), one trailer line with the counts.
 */
export const EXPORT_FORMAT = 'crm-export';

/** Bump when a reader of the previous version would misread a file; readers refuse newer ones. */
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  source: { driver: 'sqlite' | 'postgres' };
}

export interface RecordCounts {
  clients: number;
  exchanges: number;
}

export type ExportLine = { type: 'client'; data: Client } | { type: 'exchange'; data: Exchange } | { type: 'end'; counts: RecordCounts };

/** A file (or stream) that is not a valid export, or one this version cannot read. */
export class ExportFormatError extends Error {}

/** One line of NDJSON: JSON.stringify never emits a raw newline, so a record never spans lines. */
export function toLine(value: ExportHeader | ExportLine): string {
  return JSON.stringify(value) + '\n';
}
