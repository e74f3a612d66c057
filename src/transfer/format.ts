import type { Client } from '../domain/client';
import type { Exchange } from '../domain/exchange';
import type { HistoryEntry } from '../domain/history';

/**
 * The portable export format (docs/export-format.md): NDJSON, one header line, one line per
 * record (grouped by type in RECORD_TYPES order), one trailer line with the counts.
 */
export const EXPORT_FORMAT = 'crm-export';

/**
 * Bump when a reader of the previous version would misread a file; readers refuse newer ones.
 * 2: the trash (trashedClient, trashedExchange) and the history are carried too.
 */
export const EXPORT_FORMAT_VERSION = 2;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  source: { driver: 'sqlite' | 'postgres' };
}

/** The live records: what version 1 carried, and what the backups and restores report. */
export interface RecordCounts {
  clients: number;
  exchanges: number;
}

/** Every kind of record a file holds, as its end line counts them. */
export interface ExportCounts extends RecordCounts {
  trashedClients: number;
  trashedExchanges: number;
  history: number;
}

/** The record types, in the order a file holds them: each type after every record of the ones before. */
export const RECORD_TYPES = ['client', 'exchange', 'trashedClient', 'trashedExchange', 'history'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Which count of the end line a record type adds to. */
export const COUNT_OF: Readonly<Record<RecordType, keyof ExportCounts>> = {
  client: 'clients',
  exchange: 'exchanges',
  trashedClient: 'trashedClients',
  trashedExchange: 'trashedExchanges',
  history: 'history',
};

/** The record types a file of the given version may hold. */
export function recordTypesOf(version: number): readonly RecordType[] {
  return version === 1 ? ['client', 'exchange'] : RECORD_TYPES;
}

export function emptyCounts(): ExportCounts {
  return { clients: 0, exchanges: 0, trashedClients: 0, trashedExchanges: 0, history: 0 };
}

export type ExportLine =
  | { type: 'client'; data: Client }
  | { type: 'exchange'; data: Exchange }
  | { type: 'trashedClient'; deletedAt: string; data: Client }
  | { type: 'trashedExchange'; deletedAt: string; trashedWithClient: string | null; data: Exchange }
  | { type: 'history'; data: HistoryEntry }
  | { type: 'end'; counts: ExportCounts };

/** A file (or stream) that is not a valid export, or one this version cannot read. */
export class ExportFormatError extends Error {}

/** One line of NDJSON: JSON.stringify never emits a raw newline, so a record never spans lines. */
export function toLine(value: ExportHeader | ExportLine): string {
  return JSON.stringify(value) + '\n';
}

/**
 * Follows the record types of a file line by line: refuses a type the file's version does not
 * have, or one that comes after records of a later type; counts the records of each type.
 */
export class RecordSequence {
  readonly counts = emptyCounts();
  private readonly allowed: readonly RecordType[];
  private position = 0;

  constructor(private readonly version: number) {
    this.allowed = recordTypesOf(version);
  }

  /** The record type of a line's `type`, or null for the end line; throws for anything else. */
  next(type: unknown, at: string): RecordType | null {
    if (type === 'end') return null;
    const position = this.allowed.indexOf(type as RecordType);
    if (position < 0) {
      const known = (RECORD_TYPES as readonly unknown[]).includes(type);
      throw new ExportFormatError(
        known
          ? `${at}: a ${String(type)} record in a version ${this.version} file (they came with version 2)`
          : `${at}: unknown record type ${JSON.stringify(type)}`,
      );
    }
    if (position < this.position) {
      const [later, earlier] = [this.allowed[this.position], this.allowed[position]];
      throw new ExportFormatError(
        `${at}: a ${earlier} record after the ${later} records (the types come in the order ${this.allowed.join(', ')})`,
      );
    }
    this.position = position;
    const found = this.allowed[position] as RecordType;
    this.counts[COUNT_OF[found]] += 1;
    return found;
  }
}

/** The end line's counts: the two of version 1, all five from version 2 on. */
export function parseCounts(value: unknown, version: number, at: string): ExportCounts {
  const counts = value as Partial<Record<keyof ExportCounts, unknown>> | null;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const keys = recordTypesOf(version).map((type) => COUNT_OF[type]);
  if (!counts || typeof counts !== 'object' || keys.some((key) => !valid(counts[key])))
    throw new ExportFormatError(`${at}: the end line has no valid counts`);
  const parsed = emptyCounts();
  for (const key of keys) parsed[key] = counts[key] as number;
  return parsed;
}

/** The counts that differ between what the end line announces and what the file held, or null. */
export function describeCountMismatch(announced: ExportCounts, held: ExportCounts): string | null {
  const keys = (Object.keys(announced) as Array<keyof ExportCounts>).filter((key) => announced[key] !== held[key]);
  if (keys.length === 0) return null;
  return `the end line announces ${keys.map((key) => `${announced[key]} ${key}`).join(', ')}; the file holds ${keys.map((key) => held[key]).join(', ')}`;
}

/** "3 clients and 12 exchanges", then the trash and history when there are any. */
export function describeCounts(counts: RecordCounts & Partial<ExportCounts>): string {
  const live = `${counts.clients} clients and ${counts.exchanges} exchanges`;
  const extra = [
    counts.trashedClients || counts.trashedExchanges
      ? `${counts.trashedClients ?? 0} clients and ${counts.trashedExchanges ?? 0} exchanges in the trash`
      : null,
    counts.history ? `${counts.history} history entries` : null,
  ].filter((part): part is string => part !== null);
  return extra.length === 0 ? live : `${live} (plus ${extra.join(', ')})`;
}
